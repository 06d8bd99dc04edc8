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

// TestRenamedTagsDocumentsResumeAfterAStop: the rewriting of a renamed
// tag's documents, stopped after its first batch as a stop of the
// instance would, is resumed when the store opens again, so every
// article of the tag is found by the new name. On both engines.
func TestRenamedTagsDocumentsResumeAfterAStop(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { renamedTagsDocumentsResume(t, t.TempDir(), "") })
	t.Run("postgres", func(t *testing.T) { renamedTagsDocumentsResume(t, "", storetest.NewPostgresDatabase(t)) })
}

func renamedTagsDocumentsResume(t *testing.T, dir, url string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dir, url, store.TagDocsBatchForTest(1), store.TagDocsStopAfterForTest(1))
	must(t, err)
	c := seedSearch(t, db)
	tag, check := searchChecks(t, db, c)
	none := func(*store.SearchQuery) {}
	// "Energy" is on three articles; a batch is one of them.
	must(t, db.RenameTag(ctx, tag("energy"), "Hydrocarbons", ""))
	db.TagDocsMadeForTest()
	check("stopped after one batch", "hydrocarbons", none, "pipeline")
	must(t, db.Close())

	db, err = store.Open(ctx, dir, url, store.TagDocsBatchForTest(1))
	must(t, err)
	defer db.Close()
	db.TagDocsMadeForTest()
	_, check = searchChecks(t, db, c)
	check("opened again", "hydrocarbons", none, "pipeline", "pipelines", "ru-pipe")
	left, err := db.RowsForTest(ctx, `SELECT tag_id, after_id FROM tag_doc_rewrites`)
	must(t, err)
	if len(left) > 0 {
		t.Errorf("after the rewriting, %v are left to make", left)
	}
}
