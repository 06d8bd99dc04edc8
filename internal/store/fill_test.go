package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestFillEmptyLeavesTheSchemaAsItWas fills an empty store, and checks
// that every index and foreign key is there afterwards as before, that
// a fill that fails on PostgreSQL leaves neither articles nor missing
// indexes, and that a store with articles is refused and left alone.
func TestFillEmptyLeavesTheSchemaAsItWas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, opinion, a1, a2 := seed(t, db)
		schema := func() []string {
			rows, err := db.RowsForTest(ctx, db.SchemaQueryForTest())
			must(t, err)
			return rows
		}
		before := schema()
		for _, part := range []string{"articles_visible", "article_tags_visible", "revisions_article"} {
			if !slices.ContainsFunc(before, func(s string) bool { return strings.Contains(s, part+" ") }) {
				t.Fatalf("no index %s among %q", part, before)
			}
		}
		if db.Engine() == "postgres" && !slices.ContainsFunc(before, func(s string) bool { return strings.Contains(s, "FOREIGN KEY (article_id) REFERENCES articles(id)") }) {
			t.Fatalf("no foreign key to articles among %q", before)
		}

		if db.Engine() == "postgres" { // SQLite's fill is its batches' own transactions
			broken := errors.New("the generator broke")
			err := db.FillEmpty(ctx, func(ctx context.Context) error {
				must(t, db.ImportArticles(ctx, importBatch(kz, opinion, a1, a2)))
				return broken
			})
			if !errors.Is(err, broken) {
				t.Fatalf("failed fill: %v, want %v", err, broken)
			}
			if n, err := db.CountArticles(ctx); err != nil || n != 0 {
				t.Fatalf("after a failed fill: %d articles (%v), want none", n, err)
			}
			if after := schema(); !slices.Equal(after, before) {
				t.Fatalf("after a failed fill, schema\n%q\nwant\n%q", after, before)
			}
			// The foreign keys, dropped while the rows go in, still hold:
			// an article in a section that does not exist fails the fill.
			bad := importBatch(kz, opinion, a1, a2)
			bad[1].SectionID = kz.ID + 1000
			err = db.FillEmpty(ctx, func(ctx context.Context) error { return db.ImportArticles(ctx, bad) })
			if err == nil || !strings.Contains(err.Error(), "foreign key") {
				t.Fatalf("fill with an article in no section: %v, want a foreign key's refusal", err)
			}
			if n, err := db.CountArticles(ctx); err != nil || n != 0 {
				t.Fatalf("after a refused fill: %d articles (%v), want none", n, err)
			}
		}

		list := importBatch(kz, opinion, a1, a2)
		must(t, db.FillEmpty(ctx, func(ctx context.Context) error { return db.ImportArticles(ctx, list) }))
		if after := schema(); !slices.Equal(after, before) {
			t.Fatalf("after a fill, schema\n%q\nwant\n%q", after, before)
		}
		// Readers' listings and searches find the fill's articles.
		l, err := db.ListArticles(ctx, store.ListQuery{VisibleAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 10})
		must(t, err)
		if l.Total != 5 { // the draft is not listed
			t.Errorf("listing after a fill: %d articles, want 5", l.Total)
		}
		checkCounts(t, db, "after a fill", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), []int64{kz.ID, opinion.ID}, []int64{a1.ID, a2.ID})

		err = db.FillEmpty(ctx, func(ctx context.Context) error {
			t.Error("a fill ran in a store with articles")
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "already has articles") {
			t.Errorf("fill of a store with articles: %v, want a refusal", err)
		}
		if after := schema(); !slices.Equal(after, before) {
			t.Fatalf("after a refused fill, schema\n%q\nwant\n%q", after, before)
		}
	})
}
