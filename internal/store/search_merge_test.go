package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A store whose full-text index an import left in many segments has them
// merged into one after it opens, in the background, when asked to (the
// server asks); searches find and rank the same articles before and
// after, and a store not asked leaves the index as it is.
func TestSearchIndexMergedAfterOpen(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	_, kz, _, a1, _ := seed(t, db)
	now := time.Now()
	for i := range 40 { // one transaction each: a segment each, before FTS5's own merges
		body := fmt.Sprintf("Story %d about a gas pipeline", i)
		if i%3 == 0 {
			body += " and the wheat harvest"
		}
		must(t, db.SaveArticle(ctx, article(body, kz.ID, now.Add(-time.Duration(i)*time.Hour), []news.Author{a1}), 0, ""))
	}
	searches := []string{"pipeline", "wheat harvest", "gas -wheat", "story pipeline"}
	results := func(db *store.DB) []string {
		var out []string
		for _, q := range searches {
			r, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery(q), VisibleAt: now, Limit: 50})
			must(t, err)
			for _, res := range r.Results {
				out = append(out, fmt.Sprintf("%s: %d %.12g", q, res.Article.ID, res.Score))
			}
			out = append(out, fmt.Sprintf("%s: %d in all", q, r.Total))
		}
		return out
	}
	before := results(db)
	dir := filepath.Dir(db.SQLitePathForTest())
	must(t, db.Close())

	plain, err := store.Open(ctx, dir, "")
	must(t, err)
	segments, err := plain.SearchMergedForTest(ctx)
	must(t, err)
	must(t, plain.Close())
	if segments < 3 {
		t.Fatalf("the index holds %d segments; the test proves nothing", segments)
	}

	merged, err := store.Open(ctx, dir, "", store.SearchMergeForTest(2))
	must(t, err)
	defer merged.Close()
	left, err := merged.SearchMergedForTest(ctx)
	must(t, err)
	if left != 1 {
		t.Errorf("%d segments merged into %d, want 1", segments, left)
	}
	if after := results(merged); !slices.Equal(after, before) {
		t.Errorf("after the merge the searches find\n%v\nbefore\n%v", after, before)
	}
}
