package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// CreateSession records a session by the hash of its token.
func (db *DB) CreateSession(ctx context.Context, tokenHash string, userID int64, now, expires time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`),
		tokenHash, userID, unix(now), unix(expires))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns the enabled user whose unexpired session has that
// token hash.
func (db *DB) SessionUser(ctx context.Context, tokenHash string, now time.Time) (User, error) {
	if !validKey(tokenHash) {
		return User{}, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`), tokenHash, unix(now)))
	if err != nil {
		return u, fmt.Errorf("store: session: %w", notFound(err))
	}
	return u, nil
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash)
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user: sign out everywhere.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), userID)
	if err != nil {
		return fmt.Errorf("store: delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that ended before now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE expires_at <= ?`), unix(now))
	return err
}

// SigninFailures returns how many sign-ins failed for key and until when
// further tries are refused.
func (db *DB) SigninFailures(ctx context.Context, key string) (int, time.Time, error) {
	var n int
	var until int64
	err := db.w.QueryRowContext(ctx, db.q(`SELECT failures, locked_until FROM signin_failures WHERE key = ?`), key).Scan(&n, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: sign-in failures: %w", err)
	}
	return n, fromUnix(until), nil
}

// RecordSigninFailure counts one more failure for key and stores the
// time until which tries are refused.
func (db *DB) RecordSigninFailure(ctx context.Context, key string, failures int, lockedUntil, now time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO signin_failures (key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`),
		key, failures, unix(lockedUntil), unix(now))
	if err != nil {
		return fmt.Errorf("store: record sign-in failure: %w", err)
	}
	return nil
}

// ClearSigninFailures forgets key's failures after a good sign-in.
func (db *DB) ClearSigninFailures(ctx context.Context, key string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM signin_failures WHERE key = ?`), key)
	return err
}
