package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dastan/internal/news"
)

// TrashArticle moves an article into the trash, remembering its status,
// and records audit (when set) in the same transaction. Like a save it
// must be based on the current version.
func (db *DB) TrashArticle(ctx context.Context, id, version int64, now time.Time, audit *AuditEntry) error {
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		before, wasLive, err := db.articleReach(ctx, tx, id)
		if err != nil {
			return err
		}
		*ch = articleChange(before, wasLive, Change{}, false)
		res, err := db.txExec(ctx, tx, `UPDATE articles SET trashed_from = status, status = 'trash', deleted_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND status <> 'trash'`, unix(now), id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		return db.auditArticle(ctx, tx, id, now, audit)
	})
	if err != nil {
		return fmt.Errorf("store: trash article %d: %w", id, err)
	}
	return nil
}

// RestoreArticle takes an article out of the trash: with the status it
// had when that is one of keep, as a draft otherwise. It records audit
// (when set) in the same transaction and returns the status the article
// had before the trash and the one it has now.
func (db *DB) RestoreArticle(ctx context.Context, id int64, keep []news.Status, now time.Time, audit *AuditEntry) (had, status news.Status, err error) {
	back := `'draft'`
	args := []any{}
	if len(keep) > 0 {
		back = `CASE WHEN trashed_from IN (` + placeholders(len(keep)) + `) THEN trashed_from ELSE 'draft' END`
		for _, s := range keep {
			args = append(args, s)
		}
	}
	err = db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		if err := db.txRow(ctx, tx, `SELECT trashed_from FROM articles WHERE id = ? AND status = 'trash'`, id).Scan(&had); err != nil {
			return notFound(err)
		}
		err := db.txRow(ctx, tx, `UPDATE articles SET status = `+back+`, trashed_from = '', deleted_at = 0, version = version + 1
			WHERE id = ? AND status = 'trash' RETURNING status`, append(args, id)...).Scan(&status)
		if err != nil {
			return notFound(err)
		}
		after, isLive, err := db.articleReach(ctx, tx, id)
		if err != nil {
			return err
		}
		*ch = articleChange(Change{}, false, after, isLive)
		return db.auditArticle(ctx, tx, id, now, audit)
	})
	if err != nil {
		return "", "", fmt.Errorf("store: restore article %d: %w", id, err)
	}
	return had, status, nil
}

// auditArticle records e, when set, about article id inside tx.
func (db *DB) auditArticle(ctx context.Context, tx *sql.Tx, id int64, now time.Time, e *AuditEntry) error {
	if e == nil {
		return nil
	}
	entry := *e
	if entry.Subject == "" {
		entry.Subject = fmt.Sprintf("article %d", id)
	}
	if entry.CreatedAt.IsZero() {
		entry.CreatedAt = now
	}
	return db.addAudit(ctx, tx, entry)
}

// TrashedAt returns when an article went into the trash; zero if it is not there.
func (db *DB) TrashedAt(ctx context.Context, id int64) (time.Time, error) {
	var t int64
	err := db.readRow(ctx, `SELECT deleted_at FROM articles WHERE id = ?`, id).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: article %d: %w", id, notFound(err))
	}
	return fromUnix(t), nil
}

// PurgeTrash deletes for good the articles trashed before cutoff.
func (db *DB) PurgeTrash(ctx context.Context, cutoff time.Time) (int64, error) {
	var res sql.Result
	var err error
	// On PostgreSQL the delete can deadlock with a renamed tag's search
	// documents made in the background (tag_docs.go: a batch holds an
	// article's document and waits on its row, the delete holds the row
	// and waits on its document), and PostgreSQL may end the delete:
	// it only removes what is already trash, so it is tried again.
	for try := 0; try < 3; try++ {
		res, err = db.write(ctx, `DELETE FROM articles WHERE status = 'trash' AND deleted_at > 0 AND deleted_at < ?`, unix(cutoff))
		if !deadlocked(err) {
			break
		}
	}
	if err != nil {
		return 0, fmt.Errorf("store: purge trash: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
