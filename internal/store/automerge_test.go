package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestImportHoldsMergesOffUntilItEnds: while a long import runs, the
// full-text index's automatic merges are off (the writer is the import's
// bottleneck; the index is merged after it); they are back on when it
// ends, and when a store is opened after an import that died before it
// could set them back. SQLite only: PostgreSQL's index has no segments.
func TestImportHoldsMergesOffUntilItEnds(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	automerge := func(db *store.DB, want int, when string) {
		t.Helper()
		n, set, err := db.AutomergeForTest(ctx)
		must(t, err)
		if !set || n != want {
			t.Fatalf("%s: automerge %d (set %t), want %d", when, n, set, want)
		}
	}

	end, err := db.LongImport(ctx)
	must(t, err)
	automerge(db, 0, "during an import")
	end()
	automerge(db, 4, "after the import")

	// An import that dies holds them off until the store is opened again.
	end, err = db.LongImport(ctx)
	must(t, err)
	automerge(db, 0, "during a second import")
	again, err := store.Open(ctx, filepath.Dir(db.SQLitePathForTest()), "")
	must(t, err)
	defer again.Close()
	automerge(again, 4, "opened after an import that never ended")
	end()
}
