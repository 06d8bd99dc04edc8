package store

import (
	"context"
	"database/sql"
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

// auditIn records, inside tx, the entries of a write that takes them
// (SaveSection, RenameTag …), so the change and its account commit or
// fail together. Entries without an action (imports, fixtures) are not
// written.
func (db *DB) auditIn(ctx context.Context, tx *sql.Tx, entries []AuditEntry) error {
	for _, e := range entries {
		if e.Action == "" {
			continue
		}
		if err := db.addAudit(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

// changedAt is when a write that takes audit entries happened: the
// entries' time, which comes from the caller's clock, or the store's now.
func (db *DB) changedAt(entries []AuditEntry) time.Time {
	for _, e := range entries {
		if !e.CreatedAt.IsZero() {
			return e.CreatedAt.UTC()
		}
	}
	return db.now().UTC()
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

// deleteAudited deletes the row id of table, recording the audit entries
// in the same transaction; ErrNotFound when there is no such row.
func (db *DB) deleteAudited(ctx context.Context, table string, id int64, audit []AuditEntry) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := db.txExec(ctx, tx, `DELETE FROM `+table+` WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: delete from %s %d: %w", table, id, err)
	}
	return nil
}
