package store

import (
	"context"
	"fmt"
	"time"
)

// APIToken is a key a program uses to write through the API on a user's
// behalf, with at most the role it was made for. Only its hash is kept.
type APIToken struct {
	ID         int64
	UserID     int64
	UserEmail  string // the maker, for the newsroom's list
	Name       string
	Role       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
	RevokedAt  time.Time // zero while it works
}

const tokenCols = `t.id, t.user_id, u.email, t.name, t.role, t.token_hash, t.created_at, t.last_used_at, t.revoked_at`

func scanToken(s scanner) (APIToken, error) {
	var t APIToken
	var created, used, revoked int64
	err := s.Scan(&t.ID, &t.UserID, &t.UserEmail, &t.Name, &t.Role, &t.Hash, &created, &used, &revoked)
	t.CreatedAt = fromUnix(created)
	if used > 0 {
		t.LastUsedAt = fromUnix(used)
	}
	if revoked > 0 {
		t.RevokedAt = fromUnix(revoked)
	}
	return t, err
}

// CreateAPIToken records t (its hash, never the token) and sets t.ID.
func (db *DB) CreateAPIToken(ctx context.Context, t *APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now().UTC()
	}
	err := db.writeRow(ctx, `INSERT INTO api_tokens (user_id, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		t.UserID, t.Name, t.Role, t.Hash, unix(t.CreatedAt)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("store: create API token %q: %w", t.Name, err)
	}
	return nil
}

// APITokenUser returns the unrevoked token with that hash and its maker,
// who must still be enabled.
func (db *DB) APITokenUser(ctx context.Context, hash string) (APIToken, User, error) {
	if !validKey(hash) {
		return APIToken{}, User{}, fmt.Errorf("store: API token: %w", ErrNotFound)
	}
	var u User
	var ucreated, disabled int64
	t, err := scanToken(scannerFunc(func(dst ...any) error {
		return db.readRow(ctx, `SELECT `+tokenCols+`, u.id, u.email, u.name, u.role, u.created_at, u.disabled
			FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE t.token_hash = ? AND t.revoked_at = 0 AND u.disabled = 0`, hash).
			Scan(append(dst, &u.ID, &u.Email, &u.Name, &u.Role, &ucreated, &disabled)...)
	}))
	if err != nil {
		return t, u, fmt.Errorf("store: API token: %w", notFound(err))
	}
	u.CreatedAt = fromUnix(ucreated)
	return t, u, nil
}

type scannerFunc func(...any) error

func (f scannerFunc) Scan(dst ...any) error { return f(dst...) }

// TouchAPIToken records that a token was used at now.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	_, err := db.write(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, unix(now), id)
	if err != nil {
		return fmt.Errorf("store: API token %d: %w", id, err)
	}
	return nil
}

// APITokens returns the tokens made by userID, or everyone's when userID
// is 0, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.read(ctx, `SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE ? = 0 OR t.user_id = ? ORDER BY t.created_at DESC, t.id DESC`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("store: API tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("store: API tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// APITokenByID returns one token.
func (db *DB) APITokenByID(ctx context.Context, id int64) (APIToken, error) {
	t, err := scanToken(db.readRow(ctx, `SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id))
	if err != nil {
		return t, fmt.Errorf("store: API token %d: %w", id, notFound(err))
	}
	return t, nil
}

// RevokeAPIToken stops a token working from now on.
func (db *DB) RevokeAPIToken(ctx context.Context, id int64, now time.Time) error {
	res, err := db.write(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, unix(now), id)
	if err != nil {
		return fmt.Errorf("store: revoke API token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: API token %d: %w", id, ErrNotFound)
	}
	return nil
}
