package store

import (
	"context"
	"database/sql"
	"fmt"

	"dastan/internal/news"
)

// ImportArticles writes many prepared articles in one transaction, as
// SaveArticle would one by one; importers and the demo use it for speed.
// Revisions record the import as each article's first version.
func (db *DB) ImportArticles(ctx context.Context, list []*news.Article) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, a := range list {
			if a.CreatedAt.IsZero() {
				a.CreatedAt = a.UpdatedAt
			}
			if err := db.writeArticle(ctx, tx, a, 0, "imported", a.UpdatedAt); err != nil {
				return fmt.Errorf("article %q: %w", a.Title, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import articles: %w", err)
	}
	db.bump(ctx)
	return nil
}

// Optimize refreshes the query planner's statistics, which a bulk import
// leaves far behind the tables' real sizes.
func (db *DB) Optimize(ctx context.Context) error {
	if err := db.script(ctx, db.dialect.optimize()); err != nil {
		return fmt.Errorf("store: optimize: %w", err)
	}
	return nil
}
