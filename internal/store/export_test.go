package store

import (
	"context"
	"path"

	"dastan/internal/news"
)

// SetStatusForTest changes a status with a bare UPDATE, as a future
// caller outside SaveArticle might, to test that listings still follow.
func (db *DB) SetStatusForTest(ctx context.Context, id int64, s news.Status) error {
	_, err := db.write(ctx, `UPDATE articles SET status = ? WHERE id = ?`, s, id)
	return err
}

// SetRankWindowForTest shrinks the search ranking window.
func (db *DB) SetRankWindowForTest(n int) { db.testRankWindow = n }

// RerunMigrationForTest runs one migration's statements again, so a test
// can check what it does to rows written before it.
func (db *DB) RerunMigrationForTest(ctx context.Context, name string) error {
	body, err := migrations.ReadFile(path.Join(db.dialect.migrationsDir(), name))
	if err != nil {
		return err
	}
	return db.script(ctx, string(body))
}
