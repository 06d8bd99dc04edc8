package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser, known by the SHA-256 of its token.
type Session struct {
	TokenHash     string
	UserID        int64
	CreatedAt     time.Time
	ExpiresAt     time.Time // the absolute end, fixed at sign-in
	IdleExpiresAt time.Time // the end if unused, moved on as it is used
}

// CreateSession records a session.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	return db.createSession(ctx, db.w, s)
}

func (db *DB) createSession(ctx context.Context, x execer, s Session) error {
	_, err := db.execOn(ctx, x, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, idle_expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.TokenHash, s.UserID, unix(s.CreatedAt), unix(s.ExpiresAt), unix(s.IdleExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns the session with that token hash, if neither of its
// ends has come, and its user, who must be enabled.
func (db *DB) SessionUser(ctx context.Context, tokenHash string, now time.Time) (User, Session, error) {
	s := Session{TokenHash: tokenHash}
	if !validKey(tokenHash) {
		return User{}, s, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	var created, expires, idle int64
	u, err := scanUser(scannerFunc(func(dst ...any) error {
		return db.readRow(ctx, `SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled, u.lang, s.created_at, s.expires_at, s.idle_expires_at
			FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.token_hash = ? AND s.expires_at > ? AND s.idle_expires_at > ? AND u.disabled = 0`, tokenHash, unix(now), unix(now)).
			Scan(append(dst, &created, &expires, &idle)...)
	}))
	if err != nil {
		return u, s, fmt.Errorf("store: session: %w", notFound(err))
	}
	s.UserID, s.CreatedAt, s.ExpiresAt, s.IdleExpiresAt = u.ID, fromUnix(created), fromUnix(expires), fromUnix(idle)
	return u, s, nil
}

// TouchSession moves a session's idle end on, never past its absolute end.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, idleExpires time.Time) error {
	_, err := db.write(ctx, `UPDATE sessions SET idle_expires_at = CASE WHEN expires_at < ? THEN expires_at ELSE ? END WHERE token_hash = ?`,
		unix(idleExpires), unix(idleExpires), tokenHash)
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.write(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user but the one whose token
// hash is keep ("" keeps none): sign out everywhere, or everywhere else.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	_, err := db.deleteUserSessions(ctx, db.w, userID, keep)
	return err
}

func (db *DB) deleteUserSessions(ctx context.Context, x execer, userID int64, keep string) (int64, error) {
	res, err := db.execOn(ctx, x, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// DeleteExpiredSessions removes sessions one of whose ends came before
// now, and reset links that can no longer be used.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := db.write(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR idle_expires_at <= ?`, unix(now), unix(now))
	if err == nil {
		_, err = db.write(ctx, `DELETE FROM password_resets WHERE expires_at <= ? OR used_at > 0`, unix(now))
	}
	if err != nil {
		return fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return nil
}

// SigninAttempt counts an attempt to sign in as key before its password
// is checked, so that attempts made at once, on any instance, are all
// counted: with n the count including this one, further attempts are
// refused until now+lockFor(n). While a lock from earlier attempts holds,
// nothing is counted and ok is false, with the time the lock ends.
func (db *DB) SigninAttempt(ctx context.Context, key string, now time.Time, lockFor func(n int) time.Duration) (ok bool, until time.Time, err error) {
	err = db.tx(ctx, func(tx *sql.Tx) error {
		// The upsert takes the row's lock and holds it to the commit, so
		// the count and the lock it implies are written as one.
		var n int
		err := db.txRow(ctx, tx, `INSERT INTO signin_failures (key, failures, locked_until, updated_at) VALUES (?, 1, 0, ?)
			ON CONFLICT (key) DO UPDATE SET failures = signin_failures.failures + 1, updated_at = excluded.updated_at
			WHERE signin_failures.locked_until <= ? RETURNING failures`, key, unix(now), unix(now)).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			var u int64
			if err := db.txRow(ctx, tx, `SELECT locked_until FROM signin_failures WHERE key = ?`, key).Scan(&u); err != nil {
				return err
			}
			until = fromUnix(u)
			return nil
		}
		if err != nil {
			return err
		}
		ok, until = true, now.Add(lockFor(n))
		_, err = db.txExec(ctx, tx, `UPDATE signin_failures SET locked_until = ? WHERE key = ?`, unix(until), key)
		return err
	})
	if err != nil {
		return false, time.Time{}, fmt.Errorf("store: sign-in attempt: %w", err)
	}
	return ok, until, nil
}

// ClearSigninFailures forgets key's attempts after a good sign-in.
func (db *DB) ClearSigninFailures(ctx context.Context, key string) error {
	_, err := db.write(ctx, `DELETE FROM signin_failures WHERE key = ?`, key)
	return err
}

// DeleteStaleSigninFailures forgets counts untouched since before whose
// lock has ended, so a flood of made-up emails does not stay in the table.
func (db *DB) DeleteStaleSigninFailures(ctx context.Context, before, now time.Time) error {
	_, err := db.write(ctx, `DELETE FROM signin_failures WHERE updated_at < ? AND locked_until <= ?`, unix(before), unix(now))
	if err != nil {
		return fmt.Errorf("store: delete stale sign-in counts: %w", err)
	}
	return nil
}
