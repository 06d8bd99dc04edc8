package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrExists is returned when a new row would repeat a unique name.
var ErrExists = errors.New("already exists")

// User is a person who signs in to the newsroom. The store keeps the
// password only as the encoded hash the auth package made.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
}

const userCols = `id, email, name, role, password_hash, created_at, disabled`

func scanUser(s scanner) (User, error) {
	var u User
	var created, disabled int64
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &created, &disabled)
	u.CreatedAt, u.Disabled = fromUnix(created), disabled != 0
	return u, err
}

// CreateUser adds u; emails are kept lower-case and must be unique.
func (db *DB) CreateUser(ctx context.Context, u *User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	var n int
	if err := db.w.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE email = ?`), u.Email).Scan(&n); err != nil {
		return fmt.Errorf("store: user %q: %w", u.Email, err)
	}
	if n > 0 {
		return fmt.Errorf("store: user %q: %w", u.Email, ErrExists)
	}
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		u.Email, u.Name, u.Role, u.PasswordHash, unix(u.CreatedAt)).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("store: create user %q: %w", u.Email, err)
	}
	return nil
}

// UserByEmail returns the user with that email, in any case.
func (db *DB) UserByEmail(ctx context.Context, email string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !validKey(email) {
		return User{}, fmt.Errorf("store: user: %w", ErrNotFound)
	}
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+` FROM users WHERE email = ?`), email))
	if err != nil {
		return u, fmt.Errorf("store: user %q: %w", email, notFound(err))
	}
	return u, nil
}

// UserByID returns the user with that id.
func (db *DB) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	if err != nil {
		return u, fmt.Errorf("store: user %d: %w", id, notFound(err))
	}
	return u, nil
}

// Users returns every user by email.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// SetUserRole changes a user's role.
func (db *DB) SetUserRole(ctx context.Context, id int64, role string) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET role = ? WHERE id = ?`), role, id)
	if err != nil {
		return fmt.Errorf("store: role of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: user %d: %w", id, ErrNotFound)
	}
	return nil
}

// SetUserPassword replaces a user's password hash.
func (db *DB) SetUserPassword(ctx context.Context, id int64, hash string) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, id)
	if err != nil {
		return fmt.Errorf("store: password of user %d: %w", id, err)
	}
	return nil
}
