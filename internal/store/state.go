package store

import (
	"context"
	"fmt"
)

// Generation is a number that grows whenever public content changes. Each
// instance polls it, so a write on one instance empties every page cache.
func (db *DB) Generation(ctx context.Context) (int64, error) {
	var g int64
	if err := db.readRow(ctx, `SELECT generation FROM site_state WHERE id = 1`).Scan(&g); err != nil {
		return 0, fmt.Errorf("store: generation: %w", err)
	}
	return g, nil
}

// bump records that public content changed and tells local listeners.
// A failure here only delays other instances' caches, so it is not fatal.
func (db *DB) bump(ctx context.Context) {
	db.write(ctx, `UPDATE site_state SET generation = generation + 1 WHERE id = 1`)
	db.changed()
}
