package store

import (
	"context"
	"fmt"
	"time"
)

// AppPassword is one of a user's Application Passwords: what WordPress
// clients sign in with over HTTP Basic. Only its hash is kept.
type AppPassword struct {
	ID         int64
	UserID     int64
	UUID       string
	Name       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
	LastIP     string
	RevokedAt  time.Time // zero while it works
}

const appPasswordCols = `p.id, p.user_id, p.uuid, p.name, p.password_hash, p.created_at, p.last_used_at, p.last_ip, p.revoked_at`

func scanAppPassword(s scanner, extra ...any) (AppPassword, error) {
	var p AppPassword
	var created, used, revoked int64
	err := s.Scan(append([]any{&p.ID, &p.UserID, &p.UUID, &p.Name, &p.Hash, &created, &used, &p.LastIP, &revoked}, extra...)...)
	p.CreatedAt = fromUnix(created)
	if used > 0 {
		p.LastUsedAt = fromUnix(used)
	}
	if revoked > 0 {
		p.RevokedAt = fromUnix(revoked)
	}
	return p, err
}

// CreateAppPassword records p (its hash, never the password) and sets p.ID.
func (db *DB) CreateAppPassword(ctx context.Context, p *AppPassword) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = db.now().UTC()
	}
	err := db.writeRow(ctx, `INSERT INTO app_passwords (user_id, uuid, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		p.UserID, p.UUID, p.Name, p.Hash, unix(p.CreatedAt)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("store: create application password %q: %w", p.Name, err)
	}
	return nil
}

// AppPasswords returns a user's application passwords, newest first,
// revoked ones too.
func (db *DB) AppPasswords(ctx context.Context, userID int64) ([]AppPassword, error) {
	rows, err := db.read(ctx, `SELECT `+appPasswordCols+` FROM app_passwords p WHERE p.user_id = ? ORDER BY p.created_at DESC, p.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: application passwords: %w", err)
	}
	defer rows.Close()
	var out []AppPassword
	for rows.Next() {
		p, err := scanAppPassword(rows)
		if err != nil {
			return nil, fmt.Errorf("store: application passwords: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AppPasswordUser returns the working application password with that hash
// and its user, who must be enabled and have that email.
func (db *DB) AppPasswordUser(ctx context.Context, email, hash string) (AppPassword, User, error) {
	if !validKey(hash) {
		return AppPassword{}, User{}, fmt.Errorf("store: application password: %w", ErrNotFound)
	}
	var u User
	var ucreated, disabled int64
	p, err := scanAppPassword(db.readRow(ctx, `SELECT `+appPasswordCols+`, u.id, u.email, u.name, u.role, u.created_at, u.disabled
		FROM app_passwords p JOIN users u ON u.id = p.user_id
		WHERE p.password_hash = ? AND p.revoked_at = 0 AND u.disabled = 0 AND LOWER(u.email) = LOWER(?)`, hash, email),
		&u.ID, &u.Email, &u.Name, &u.Role, &ucreated, &disabled)
	if err != nil {
		return p, u, fmt.Errorf("store: application password: %w", notFound(err))
	}
	u.CreatedAt = fromUnix(ucreated)
	return p, u, nil
}

// TouchAppPassword records that a password was used at now from ip.
func (db *DB) TouchAppPassword(ctx context.Context, id int64, now time.Time, ip string) error {
	if _, err := db.write(ctx, `UPDATE app_passwords SET last_used_at = ?, last_ip = ? WHERE id = ?`, unix(now), ip, id); err != nil {
		return fmt.Errorf("store: application password %d: %w", id, err)
	}
	return nil
}

// RevokeAppPassword stops one of userID's passwords working from now on.
func (db *DB) RevokeAppPassword(ctx context.Context, userID, id int64, now time.Time) error {
	res, err := db.write(ctx, `UPDATE app_passwords SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at = 0`, unix(now), id, userID)
	if err != nil {
		return fmt.Errorf("store: revoke application password %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: application password %d: %w", id, ErrNotFound)
	}
	return nil
}
