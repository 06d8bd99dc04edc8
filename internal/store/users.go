package store

import (
	"context"
	"database/sql"
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
	Lang         string // the newsroom's language for them; "" is the default
}

const userCols = `id, email, name, role, password_hash, created_at, disabled, lang`

func scanUser(s scanner) (User, error) {
	var u User
	var created, disabled int64
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &created, &disabled, &u.Lang)
	u.CreatedAt, u.Disabled = fromUnix(created), disabled != 0
	return u, err
}

// SetUserLang sets the language user id reads the newsroom in.
func (db *DB) SetUserLang(ctx context.Context, id int64, lang string) error {
	res, err := db.write(ctx, `UPDATE users SET lang = ? WHERE id = ?`, lang, id)
	if err != nil {
		return fmt.Errorf("store: user %d: language: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: user %d: %w", id, ErrNotFound)
	}
	return nil
}

// ErrLastOne is returned when a change would leave no enabled user with
// a role that must always have one (the last admin).
var ErrLastOne = errors.New("the last one")

// CreateUser adds u, with audit (when not nil) in the same transaction;
// emails are kept lower-case and must be unique.
func (db *DB) CreateUser(ctx context.Context, u *User, audit *AuditEntry) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if u.CreatedAt.IsZero() {
		u.CreatedAt = db.now().UTC()
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := db.txRow(ctx, tx, `SELECT COUNT(*) FROM users WHERE email = ?`, u.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrExists
		}
		err := db.txRow(ctx, tx, `INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, u.Role, u.PasswordHash, unix(u.CreatedAt)).Scan(&u.ID)
		if err != nil || audit == nil {
			return err
		}
		return db.addAudit(ctx, tx, *audit)
	})
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
	u, err := scanUser(db.readRow(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, email))
	if err != nil {
		return u, fmt.Errorf("store: user %q: %w", email, notFound(err))
	}
	return u, nil
}

// UserByID returns the user with that id.
func (db *DB) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(db.readRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return u, fmt.Errorf("store: user %d: %w", id, notFound(err))
	}
	return u, nil
}

// Users returns every user by email.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := db.read(ctx, `SELECT `+userCols+` FROM users ORDER BY email`)
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
	err := db.readRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// SetUserRole changes a user's role.
func (db *DB) SetUserRole(ctx context.Context, id int64, role string) error {
	_, err := db.UpdateUser(ctx, id, UserChange{Role: role})
	return err
}

// UserChange is a change to one user and what must go with it, made in
// one transaction: a disabled user's sessions and API tokens end in the
// same instant as their access.
type UserChange struct {
	Role         string // "" keeps the role
	Disabled     *bool  // nil keeps it
	PasswordHash string // "" keeps the password
	// EndSessions ends the user's sessions, all but KeepSession (a token
	// hash) when that is set.
	EndSessions bool
	KeepSession string
	// RevokeTokens revokes the user's API tokens, and EndResets deletes
	// their unused password-reset links.
	RevokeTokens bool
	EndResets    bool
	// KeepRole refuses the change with ErrLastOne when it would take the
	// last enabled user with that role away from it.
	KeepRole string
	At       time.Time // when, for revocations
	// Audit, when set, makes the entry recorded with the change, from the
	// user as they were before it.
	Audit func(before User) AuditEntry
}

// UpdateUser makes change c to user id and returns the user as they were.
func (db *DB) UpdateUser(ctx context.Context, id int64, c UserChange) (User, error) {
	var before User
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		before, err = db.updateUser(ctx, tx, id, c)
		return err
	})
	if err != nil {
		return before, fmt.Errorf("store: user %d: %w", id, err)
	}
	return before, nil
}

func (db *DB) updateUser(ctx context.Context, tx *sql.Tx, id int64, c UserChange) (User, error) {
	before, err := scanUser(db.txRow(ctx, tx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return before, notFound(err)
	}
	role, disabled, hash := before.Role, before.Disabled, before.PasswordHash
	if c.Role != "" {
		role = c.Role
	}
	if c.Disabled != nil {
		disabled = *c.Disabled
	}
	if c.PasswordHash != "" {
		hash = c.PasswordHash
	}
	if _, err := db.txExec(ctx, tx, `UPDATE users SET role = ?, disabled = ?, password_hash = ? WHERE id = ?`, role, boolInt(disabled), hash, id); err != nil {
		return before, err
	}
	if c.KeepRole != "" && before.Role == c.KeepRole && !before.Disabled {
		var n int
		if err := db.txRow(ctx, tx, `SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0`, c.KeepRole).Scan(&n); err != nil {
			return before, err
		}
		if n == 0 {
			return before, ErrLastOne
		}
	}
	if c.EndSessions {
		if _, err := db.deleteUserSessions(ctx, tx, id, c.KeepSession); err != nil {
			return before, err
		}
	}
	if c.RevokeTokens {
		if _, err := db.txExec(ctx, tx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0`, unix(c.At), id); err != nil {
			return before, err
		}
	}
	if c.EndResets {
		if _, err := db.txExec(ctx, tx, `DELETE FROM password_resets WHERE user_id = ? AND used_at = 0`, id); err != nil {
			return before, err
		}
	}
	if c.Audit != nil {
		return before, db.addAudit(ctx, tx, c.Audit(before))
	}
	return before, nil
}
