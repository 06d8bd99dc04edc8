package store

import (
	"context"

	"dastan/internal/news"
)

// SetStatusForTest changes a status with a bare UPDATE, as a future
// caller outside SaveArticle might, to test that listings still follow.
func (db *DB) SetStatusForTest(ctx context.Context, id int64, s news.Status) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE articles SET status = ? WHERE id = ?`), s, id)
	return err
}

// SetRankWindowForTest shrinks the search ranking window.
func (db *DB) SetRankWindowForTest(n int) { db.testRankWindow = n }
