package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
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

// An import into the store of a running server leaves the full-text
// index merged, without a restart: whether another process imported
// (`dastan import wordpress` beside `dastan serve`, which the server
// hears by polling the generation) or the server's own process did (an
// import ends with Optimize). Searches find and rank the same articles as
// in a store the same import left unmerged.
func TestSearchIndexMergedAfterImportWhileServing(t *testing.T) {
	src, err := os.ReadFile("../wordpress/testdata/themeunittestdata.wordpress.xml")
	must(t, err)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := store.WithClock(func() time.Time { return now })
	importInto := func(db *store.DB) {
		t.Helper()
		// A transaction an item: a segment each, as a long import's batches.
		_, err := wordpress.Import(ctx, bytes.NewReader(src), wordpress.Options{Store: db, BatchSize: 1, Workers: 2})
		must(t, err)
	}
	searches := []string{"template", "markup", "image alignment", "lorem ipsum", "post -image", "comments"}
	results := func(db *store.DB) []string {
		t.Helper()
		var out []string
		for _, q := range searches {
			r, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery(q), VisibleAt: now, Limit: 100})
			must(t, err)
			for _, res := range r.Results {
				out = append(out, fmt.Sprintf("%s: %d %q %.12g", q, res.Article.ID, res.Article.Title, res.Score))
			}
			out = append(out, fmt.Sprintf("%s: %d in all", q, r.Total))
		}
		return out
	}

	// What the import leaves in a store nobody merges.
	plain := storetest.Open(t, "sqlite", clock)
	importInto(plain)
	unmerged, err := plain.SearchSegmentsForTest(ctx)
	must(t, err)
	if unmerged <= 2 {
		t.Fatalf("the import left %d segments; the test proves nothing", unmerged)
	}
	want := results(plain)
	if len(want) <= len(searches) {
		t.Fatalf("the searches find nothing: %v", want)
	}

	// merged waits for the served store's index to be merged, which the
	// server's background work does in its own time: to one segment, or
	// to the two it keeps unmerged, when a poll took a pause between the
	// import's batches for its end (a machine under load) and the merge
	// ran while the last batches were still to come.
	merged := func(t *testing.T, db *store.DB) {
		t.Helper()
		wait, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		for {
			n, err := db.SearchMergedForTest(wait)
			if n >= 1 && n <= 2 {
				return
			}
			if err != nil || wait.Err() != nil {
				n, _ = db.SearchSegmentsForTest(ctx)
				t.Fatalf("the import's %d segments are %d a minute later; want them merged into at most two without a restart", unmerged, n)
			}
			select {
			case <-wait.Done():
			case <-time.After(10 * time.Millisecond):
			}
		}
	}

	t.Run("another process", func(t *testing.T) {
		served := storetest.Open(t, "sqlite", clock, store.SearchMergeForTest(2))
		watch, stop := context.WithCancel(ctx)
		watching := make(chan struct{})
		go func() {
			defer close(watching)
			served.WatchChanges(watch, 10*time.Millisecond, nil)
		}()
		defer func() { stop(); <-watching }()
		// The import command opens the same file in a store of its own.
		importer, err := store.Open(ctx, filepath.Dir(served.SQLitePathForTest()), "", clock)
		must(t, err)
		importInto(importer)
		must(t, importer.Close())
		merged(t, served)
		if got := results(served); !slices.Equal(got, want) {
			t.Errorf("after the merge the searches find\n%v\nunmerged\n%v", got, want)
		}
	})

	t.Run("the server's own", func(t *testing.T) {
		served := storetest.Open(t, "sqlite", clock, store.SearchMergeForTest(2))
		importInto(served)
		merged(t, served)
		if got := results(served); !slices.Equal(got, want) {
			t.Errorf("after the merge the searches find\n%v\nunmerged\n%v", got, want)
		}
	})
}

// An import that leaves few segments (as a million-article one does: 7)
// is merged into one all the same, whether the server's own process or
// another imported; a start merges only past searchSegmentsKept, so that
// opening a store does not rewrite its index for the few segments a
// site's own writes leave.
func TestSearchIndexMergedWholeAfterImport(t *testing.T) {
	src, err := os.ReadFile("../wordpress/testdata/themeunittestdata.wordpress.xml")
	must(t, err)
	ctx := context.Background()
	importInto := func(db *store.DB) {
		t.Helper()
		// Batches of 20: a handful of transactions, a segment each.
		_, err := wordpress.Import(ctx, bytes.NewReader(src), wordpress.Options{Store: db, BatchSize: 20, Workers: 2})
		must(t, err)
	}
	mergedInto := func(t *testing.T, db *store.DB) int {
		t.Helper()
		wait, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		for {
			n, err := db.SearchMergedForTest(wait)
			if n == 1 || err != nil || wait.Err() != nil {
				n, _ = db.SearchSegmentsForTest(ctx)
				return n
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	t.Run("a start", func(t *testing.T) {
		plain := storetest.Open(t, "sqlite")
		importInto(plain)
		few, err := plain.SearchSegmentsForTest(ctx)
		must(t, err)
		if few < 2 || few > 8 {
			t.Fatalf("the import left %d segments; the test wants between 2 and 8 (searchSegmentsKept)", few)
		}
		dir := filepath.Dir(plain.SQLitePathForTest())
		must(t, plain.Close())
		opened, err := store.Open(ctx, dir, "", store.WithSearchMerge())
		must(t, err)
		defer opened.Close()
		if n, err := opened.SearchMergedForTest(ctx); err != nil || n != few {
			t.Errorf("a start merged %d segments into %d (%v); want them left", few, n, err)
		}
	})

	t.Run("the server's own import", func(t *testing.T) {
		own := storetest.Open(t, "sqlite", store.WithSearchMerge())
		importInto(own)
		if n := mergedInto(t, own); n != 1 {
			t.Errorf("%d segments after the import, want 1", n)
		}
	})

	t.Run("another process's import", func(t *testing.T) {
		served := storetest.Open(t, "sqlite", store.WithSearchMerge())
		watch, stop := context.WithCancel(ctx)
		watching := make(chan struct{})
		go func() {
			defer close(watching)
			served.WatchChanges(watch, 10*time.Millisecond, nil)
		}()
		defer func() { stop(); <-watching }()
		other, err := store.Open(ctx, filepath.Dir(served.SQLitePathForTest()), "")
		must(t, err)
		importInto(other)
		must(t, other.Close())
		if n := mergedInto(t, served); n != 1 {
			t.Errorf("%d segments after the import, want 1", n)
		}
	})
}
