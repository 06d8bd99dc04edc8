package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PasswordReset is a one-time link an admin gives a user to set a new
// password. Only the hash of its token is kept.
type PasswordReset struct {
	TokenHash string
	UserID    int64
	CreatedBy int64 // the admin who made it; 0 for the command line
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ErrDisabled is returned for a disabled user where only enabled ones
// may be.
var ErrDisabled = errors.New("disabled")

// CreatePasswordReset records a link for an enabled user, with its audit
// entry; the user's earlier unused links stop working.
func (db *DB) CreatePasswordReset(ctx context.Context, p PasswordReset, audit AuditEntry) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var disabled int
		if err := db.txRow(ctx, tx, `SELECT disabled FROM users WHERE id = ?`, p.UserID).Scan(&disabled); err != nil {
			return notFound(err)
		}
		if disabled != 0 {
			return ErrDisabled
		}
		if _, err := db.txExec(ctx, tx, `DELETE FROM password_resets WHERE user_id = ? AND used_at = 0`, p.UserID); err != nil {
			return err
		}
		_, err := db.txExec(ctx, tx, `INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			p.TokenHash, p.UserID, p.CreatedBy, unix(p.CreatedAt), unix(p.ExpiresAt))
		if err != nil {
			return err
		}
		return db.addAudit(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: password reset for user %d: %w", p.UserID, err)
	}
	return nil
}

// PasswordResetUser returns the enabled user an unused, unexpired link
// is for.
func (db *DB) PasswordResetUser(ctx context.Context, tokenHash string, now time.Time) (User, error) {
	if !validKey(tokenHash) {
		return User{}, fmt.Errorf("store: password reset: %w", ErrNotFound)
	}
	u, err := scanUser(db.readRow(ctx, `SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled, u.lang
		FROM password_resets p JOIN users u ON u.id = p.user_id
		WHERE p.token_hash = ? AND p.used_at = 0 AND p.expires_at > ? AND u.disabled = 0`, tokenHash, unix(now)))
	if err != nil {
		return u, fmt.Errorf("store: password reset: %w", notFound(err))
	}
	return u, nil
}

// UsePasswordReset spends an unused, unexpired link of an enabled user
// and makes change c to that user, in one transaction: of two uses at
// once, one finds the link spent (ErrNotFound). It returns the user as
// they were before the change.
func (db *DB) UsePasswordReset(ctx context.Context, tokenHash string, now time.Time, c UserChange) (User, error) {
	var before User
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := db.txRow(ctx, tx, `UPDATE password_resets SET used_at = ?
			WHERE token_hash = ? AND used_at = 0 AND expires_at > ?
			AND user_id IN (SELECT id FROM users WHERE disabled = 0) RETURNING user_id`, unix(now), tokenHash, unix(now)).Scan(&id)
		if err != nil {
			return notFound(err)
		}
		before, err = db.updateUser(ctx, tx, id, c)
		return err
	})
	if err != nil {
		return before, fmt.Errorf("store: use password reset: %w", err)
	}
	return before, nil
}
