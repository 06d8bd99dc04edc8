package store

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one thing someone did that the newsroom must be able to
// account for: a publication, a deletion, a change of role.
type AuditEntry struct {
	ID        int64
	UserID    int64
	UserEmail string
	Action    string
	Subject   string
	Detail    string
	CreatedAt time.Time
}

// AddAudit records an entry.
func (db *DB) AddAudit(ctx context.Context, e AuditEntry) error {
	return db.addAudit(ctx, db.w, e)
}

// addAudit records an entry on x, a transaction when the entry must
// stand or fall with the change it records.
func (db *DB) addAudit(ctx context.Context, x execer, e AuditEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = db.now().UTC()
	}
	_, err := db.execOn(ctx, x, `INSERT INTO audit_log (user_id, action, subject, detail, created_at) VALUES (?, ?, ?, ?, ?)`,
		e.UserID, e.Action, e.Subject, e.Detail, unix(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns entries newest first.
func (db *DB) AuditLog(ctx context.Context, limit, offset int) ([]AuditEntry, error) {
	rows, err := db.read(ctx, `SELECT l.id, l.user_id, COALESCE(u.email, ''), l.action, l.subject, l.detail, l.created_at
		FROM audit_log l LEFT JOIN users u ON u.id = l.user_id ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var t int64
		if err := rows.Scan(&e.ID, &e.UserID, &e.UserEmail, &e.Action, &e.Subject, &e.Detail, &t); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.CreatedAt = fromUnix(t)
		out = append(out, e)
	}
	return out, rows.Err()
}
