package store_test

import (
	"context"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestRenamedTagIsSearchedByItsNewName: a search document holds its
// tags' names, so a renamed tag's articles are found by the new name,
// alone and filtered on the tag, and no longer by the old one; a merged
// tag's articles by the name of the tag they were merged into. The
// records of terms follow. On both engines.
// The documents are made again after the rename commits, a batch at a
// time (one article here, so a tag of two takes two).
func TestRenamedTagIsSearchedByItsNewName(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			renamedTagIsSearchedByItsNewName(t, storetest.Open(t, engine, store.TagDocsBatchForTest(1)))
		})
	}
}

func renamedTagIsSearchedByItsNewName(t *testing.T, db *store.DB) {
	c := seedSearch(t, db)
	ctx := context.Background()
	tag, check := searchChecks(t, db, c)
	none := func(*store.SearchQuery) {}
	water := tag("water")
	check("before", "water", none, "ru-yo")
	check("before", "reservoirs", none)

	must(t, db.RenameTag(ctx, water, "Reservoirs", ""))
	db.TagDocsMadeForTest()
	check("renamed", "reservoirs", none, "ru-yo")
	check("renamed, in the tag", "reservoirs", func(q *store.SearchQuery) { q.TagID = water }, "ru-yo")
	check("renamed", "water", none)

	must(t, db.MergeTags(ctx, tag("agriculture"), water))
	// The filter follows the merge at once; the words when the
	// documents are made again.
	check("merged, in the tag, at once", "wheat", func(q *store.SearchQuery) { q.TagID = water }, "wheat")
	db.TagDocsMadeForTest()
	check("merged", "reservoirs", none, "ru-yo", "wheat")
	check("merged, in the tag", "reservoirs wheat", func(q *store.SearchQuery) { q.TagID = water }, "wheat")
	check("merged", "agriculture", none)

	stale, err := db.StaleTermRecordsForTest(ctx)
	must(t, err)
	if len(stale) > 0 {
		t.Errorf("after the rename and the merge, articles %v have no record of terms, or a stale one", stale)
	}
}
