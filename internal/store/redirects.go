package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Redirect sends readers from an old address to a new one.
type Redirect struct {
	ID        int64
	From      string // a path, or "/?p=123" for WordPress's query addresses
	To        string
	Status    int // 301 or 302
	CreatedBy string
}

// RedirectFor returns the redirect from path, if there is one. Redirects
// are consulted only where a page is not found, and neither a redirect
// nor a not-found page is ever cached, so writing one purges nothing.
func (db *DB) RedirectFor(ctx context.Context, path string) (Redirect, error) {
	var r Redirect
	if !validKey(path) {
		return r, fmt.Errorf("store: redirect %q: %w", path, ErrNotFound)
	}
	err := db.readRow(ctx, `SELECT id, from_path, to_path, status, created_by FROM redirects WHERE from_path = ?`, path).
		Scan(&r.ID, &r.From, &r.To, &r.Status, &r.CreatedBy)
	if err != nil {
		return r, fmt.Errorf("store: redirect %q: %w", path, notFound(err))
	}
	return r, nil
}

// SaveRedirect adds an editor's redirect, or replaces the one from the
// same path; audit entries are recorded in the same transaction.
func (db *DB) SaveRedirect(ctx context.Context, r *Redirect, audit ...AuditEntry) error {
	if !strings.HasPrefix(r.From, "/") || !validKey(r.From) {
		return errors.New("store: a redirect starts from a path beginning with /")
	}
	if r.To == "" || r.To == r.From {
		return errors.New("store: a redirect needs somewhere else to go")
	}
	if r.Status != 302 {
		r.Status = 301
	}
	if r.CreatedBy == "" {
		r.CreatedBy = "editor"
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		err := db.txRow(ctx, tx, `INSERT INTO redirects (from_path, to_path, status, created_by, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, status = excluded.status, created_by = excluded.created_by
			RETURNING id`, r.From, r.To, r.Status, r.CreatedBy, unix(db.changedAt(audit))).Scan(&r.ID)
		if err != nil {
			return err
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: save redirect %q: %w", r.From, err)
	}
	return nil
}

// DeleteRedirect removes the redirect with id; audit entries are
// recorded in the same transaction.
func (db *DB) DeleteRedirect(ctx context.Context, id int64, audit ...AuditEntry) error {
	if err := db.deleteAudited(ctx, "redirects", id, audit); err != nil {
		return err
	}
	return nil
}

// CountRedirects returns how many redirects there are.
func (db *DB) CountRedirects(ctx context.Context) (int, error) {
	var n int
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM redirects`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count redirects: %w", err)
	}
	return n, nil
}

// ImportRedirects adds redirects made by an import. They never replace a
// redirect an editor made from the same path.
func (db *DB) ImportRedirects(ctx context.Context, list []Redirect) error {
	if len(list) == 0 {
		return nil
	}
	now := db.now().Unix()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range list {
			if r.From == "" || r.From == r.To || !validKey(r.From) {
				continue
			}
			if _, err := db.txExec(ctx, tx, redirectUpsert, r.From, r.To, now); err != nil {
				return fmt.Errorf("store: redirect %q: %w", r.From, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return nil
}

// movedTo records, inside tx, that the public page at from now lives at
// to since at: a renamed tag, a renamed or moved section. Redirects that
// pointed at from are pointed at to, so no reader follows a chain.
func (db *DB) movedTo(ctx context.Context, tx *sql.Tx, from, to string, at time.Time) error {
	if from == to {
		return nil
	}
	if _, err := db.txExec(ctx, tx, `UPDATE redirects SET to_path = ? WHERE to_path = ?`, to, from); err != nil {
		return err
	}
	if _, err := db.txExec(ctx, tx, `DELETE FROM redirects WHERE from_path = ?`, to); err != nil {
		return err // the new home is a page again, not a redirect
	}
	_, err := db.txExec(ctx, tx, `INSERT INTO redirects (from_path, to_path, status, created_by, created_at) VALUES (?, ?, 301, 'rename', ?)
		ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, status = 301, created_by = 'rename'`, from, to, unix(at))
	return err
}

// ListRedirects returns a page of redirects whose addresses contain q
// (all when q is empty), newest first, and how many match.
func (db *DB) ListRedirects(ctx context.Context, q string, limit, offset int) ([]Redirect, int, error) {
	like := "%" + likeEscape(q) + "%"
	var total int
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM redirects WHERE from_path LIKE ? ESCAPE '!' OR to_path LIKE ? ESCAPE '!'`, like, like).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: redirects: %w", err)
	}
	rows, err := db.read(ctx, `SELECT id, from_path, to_path, status, created_by FROM redirects
		WHERE from_path LIKE ? ESCAPE '!' OR to_path LIKE ? ESCAPE '!' ORDER BY id DESC LIMIT ? OFFSET ?`, like, like, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: redirects: %w", err)
	}
	defer rows.Close()
	var out []Redirect
	for rows.Next() {
		var r Redirect
		if err := rows.Scan(&r.ID, &r.From, &r.To, &r.Status, &r.CreatedBy); err != nil {
			return nil, 0, fmt.Errorf("store: redirects: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

const redirectUpsert = `INSERT INTO redirects (from_path, to_path, status, created_by, created_at) VALUES (?, ?, 301, 'wordpress', ?)` + redirectConflict

// redirectConflict makes an INSERT of WordPress's redirects an upsert
// that leaves an editor's redirect alone.
const redirectConflict = ` ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path WHERE redirects.created_by = 'wordpress'`
