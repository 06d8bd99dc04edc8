package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dastan/internal/news"
)

// FrontSlot is a story an editor pinned to the front page: slot 1 leads,
// the next ones stand beside it.
type FrontSlot struct {
	Slot     int
	Article  news.Article // its summary
	PinnedBy int64
	PinnedAt time.Time
}

// FrontSlots returns the pinned stories in slot order, with their
// summaries; callers decide which readers may see now.
func (db *DB) FrontSlots(ctx context.Context) ([]FrontSlot, error) {
	rows, err := db.read(ctx, `SELECT slot, article_id, pinned_by, pinned_at FROM front_slots ORDER BY slot`)
	if err != nil {
		return nil, fmt.Errorf("store: front slots: %w", err)
	}
	var slots []FrontSlot
	var ids []int64
	for rows.Next() {
		var fs FrontSlot
		var at int64
		if err := rows.Scan(&fs.Slot, &fs.Article.ID, &fs.PinnedBy, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: front slots: %w", err)
		}
		fs.PinnedAt = fromUnix(at)
		slots = append(slots, fs)
		ids = append(ids, fs.Article.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: front slots: %w", err)
	}
	list, err := db.articlesByID(ctx, ids, summaryCols, scanSummaryRow)
	if err != nil {
		return nil, fmt.Errorf("store: front slots: %w", err)
	}
	byID := map[int64]news.Article{}
	for _, a := range list {
		byID[a.ID] = a
	}
	out := slots[:0]
	for _, fs := range slots {
		if a, ok := byID[fs.Article.ID]; ok {
			fs.Article = a
			out = append(out, fs)
		}
	}
	return out, nil
}

// PinFront puts the article in slot, in place of whatever was there; a
// story pinned elsewhere moves. ErrNotFound when the article is gone.
func (db *DB) PinFront(ctx context.Context, slot int, articleID, by int64, at time.Time, audit ...AuditEntry) error {
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		var slug string
		if err := db.txRow(ctx, tx, `SELECT slug FROM articles WHERE id = ?`, articleID).Scan(&slug); err != nil {
			return fmt.Errorf("store: article %d: %w", articleID, notFound(err))
		}
		// The front page is about no one thing: any change drops it.
		ch.Articles = []string{slug}
		if _, err := db.txExec(ctx, tx, `DELETE FROM front_slots WHERE slot = ? OR article_id = ?`, slot, articleID); err != nil {
			return err
		}
		if _, err := db.txExec(ctx, tx, `INSERT INTO front_slots (slot, article_id, pinned_by, pinned_at) VALUES (?, ?, ?, ?)`,
			slot, articleID, by, unix(at)); err != nil {
			return err
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: pin to the front page: %w", err)
	}
	return nil
}

// UnpinFront empties slot; an empty slot is no error.
func (db *DB) UnpinFront(ctx context.Context, slot int, audit ...AuditEntry) error {
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		var slug string
		err := db.txRow(ctx, tx, `SELECT a.slug FROM front_slots f JOIN articles a ON a.id = f.article_id WHERE f.slot = ?`, slot).Scan(&slug)
		if errors.Is(err, sql.ErrNoRows) {
			return db.auditIn(ctx, tx, audit) // nothing pinned there: nothing readers see changes
		}
		if err != nil {
			return err
		}
		ch.Articles = []string{slug}
		if _, err := db.txExec(ctx, tx, `DELETE FROM front_slots WHERE slot = ?`, slot); err != nil {
			return err
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: unpin from the front page: %w", err)
	}
	return nil
}
