package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// On PostgreSQL the archive's totals that the ranking weighs by take a
// count of every search document (about a second at a million). Searches
// that arrive together before the first count share it; once the totals
// are older than they are kept, one count in the background finds them
// again while searches go on with the old ones, never waiting for it.
func TestPostgresSearchTotalsCountedOnceAndAgainInTheBackground(t *testing.T) {
	var mu sync.Mutex
	now := searchNow
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	db := storetest.Open(t, "postgres", store.WithClock(clock))
	c := seedSearch(t, db)
	ctx := context.Background()
	sq := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: searchNow, Limit: 50}

	release := db.HoldTermCountsForTest()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := db.SearchArticles(ctx, sq)
			errs <- err
		}()
	}
	time.Sleep(100 * time.Millisecond) // let the eight reach the count
	release()
	for range 8 {
		must(t, <-errs)
	}
	if n := db.TermCountsForTest(); n != 1 {
		t.Fatalf("eight searches on a fresh store counted the archive %d times, want once", n)
	}
	before, err := db.RankTotalsForTest(ctx)
	must(t, err)

	extra := &news.Article{Title: "Another pipeline", BodySource: "A pipeline.", BodyFormat: news.FormatHTML,
		BodyHTML: "<p>A pipeline.</p>", Lang: "en", Status: news.StatusPublished, PublishedAt: searchNow.Add(-time.Hour),
		SectionID: c.kz.ID, Authors: []news.Author{c.a1}}
	must(t, db.SaveArticle(ctx, extra, 0, ""))
	if got, err := db.RankTotalsForTest(ctx); err != nil || got != before {
		t.Fatalf("totals within their keep: %d, %v; want the kept %d", got, err, before)
	}

	mu.Lock()
	now = now.Add(11 * time.Minute)
	mu.Unlock()
	release = db.HoldTermCountsForTest()
	done := make(chan error, 1)
	go func() {
		_, err := db.SearchArticles(ctx, sq)
		done <- err
	}()
	select {
	case err := <-done:
		must(t, err)
	case <-time.After(10 * time.Second):
		release()
		t.Fatal("a search waited for the count of stale totals")
	}
	if got, err := db.RankTotalsForTest(ctx); err != nil || got != before {
		t.Fatalf("totals while they are counted again: %d, %v; want the old %d", got, err, before)
	}
	release()
	db.WaitTermCountsForTest()
	if n := db.TermCountsForTest(); n != 2 {
		t.Fatalf("%d counts after the totals went stale, want 2", n)
	}
	if got, err := db.RankTotalsForTest(ctx); err != nil || got != before+1 {
		t.Fatalf("totals counted again: %d, %v; want %d", got, err, before+1)
	}
}

// A server warms the totals once it opens the store: the first search
// then finds them counted.
func TestPostgresSearchWarmedCountsTheTotalsBeforeTheFirstSearch(t *testing.T) {
	db := storetest.Open(t, "postgres")
	seedSearch(t, db)
	db.WarmSearch()
	db.WaitTermCountsForTest()
	if n := db.TermCountsForTest(); n != 1 {
		t.Fatalf("%d counts after warming, want 1", n)
	}
	_, err := db.SearchArticles(context.Background(), store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: searchNow, Limit: 50})
	must(t, err)
	if n := db.TermCountsForTest(); n != 1 {
		t.Fatalf("the first search after warming counted again (%d counts)", n)
	}
	db.WarmSearch()
	db.WaitTermCountsForTest()
	if n := db.TermCountsForTest(); n != 1 {
		t.Fatalf("warming counted totals already counted (%d counts)", n)
	}
}
