package store_test

import (
	"context"
	"errors"
	"fmt"
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
	clock, advance := searchClock()
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

	advance(11 * time.Minute)
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

// An import into a running server, or the first articles of an empty
// one, weigh in the ranking within a look (every half minute at most),
// not after the ten minutes the sample is otherwise kept: a search after
// articles were added has the background count it again. A look that
// finds none added counts nothing.
func TestSearchSampleFollowsAddedArticles(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { sampleFollowsAddedArticles(t, engine) })
	}
}

func sampleFollowsAddedArticles(t *testing.T, engine string) {
	clock, advance := searchClock()
	db := storetest.Open(t, engine, store.WithClock(clock))
	c := seedSearch(t, db)
	ctx := context.Background()
	score := func() float64 {
		t.Helper()
		res, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: searchNow, Limit: 50})
		must(t, err)
		for _, r := range res.Results {
			if r.Article.ID == c.ids["pipeline"] {
				return r.Score
			}
		}
		t.Fatal("the pipeline article was not found")
		return 0
	}
	before := score()
	counts := db.TermCountsForTest()

	// Five more articles of pipelines make the word commoner: it
	// weighs less once they are counted in.
	for i := range 5 {
		must(t, db.SaveArticle(ctx, &news.Article{Title: fmt.Sprintf("Pipeline %d", i), BodySource: "A pipeline.",
			BodyFormat: news.FormatHTML, BodyHTML: "<p>A pipeline.</p>", Lang: "en", Status: news.StatusPublished,
			PublishedAt: searchNow.Add(-time.Hour), SectionID: c.kz.ID, Authors: []news.Author{c.a1}}, 0, ""))
	}
	advance(store.IDFCheckForTest + time.Second)
	score() // has the background look
	db.WaitTermCountsForTest()
	if n := db.TermCountsForTest(); n != counts+1 {
		t.Fatalf("%d counts after articles were added, want %d", n, counts+1)
	}
	if after := score(); after >= before {
		t.Fatalf("pipeline's score %v after five more pipelines were counted in, want below %v", after, before)
	}

	advance(store.IDFCheckForTest + time.Second)
	score()
	db.WaitTermCountsForTest()
	if n := db.TermCountsForTest(); n != counts+1 {
		t.Fatalf("a look with no article added counted the sample again (%d counts)", n)
	}
	if n := db.TermLooksForTest(); n != 1 {
		t.Fatalf("%d looks found nothing added, want 1", n)
	}
}

// A count in the background that fails (the database unreachable) is
// logged and tried again no sooner than a look's interval later: the
// searches in between are served the totals kept, without starting
// counts of their own.
func TestPostgresSearchCountThatFailedWaitsBeforeTheNext(t *testing.T) {
	clock, advance := searchClock()
	db := storetest.Open(t, "postgres", store.WithClock(clock))
	seedSearch(t, db)
	ctx := context.Background()
	sq := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: searchNow, Limit: 50}
	search := func() {
		t.Helper()
		_, err := db.SearchArticles(ctx, sq)
		must(t, err)
		db.WaitTermCountsForTest()
	}
	search()
	before, err := db.RankTotalsForTest(ctx)
	must(t, err)
	counts := db.TermCountsForTest()

	db.FailTermCountsForTest(errors.New("database unreachable"))
	advance(11 * time.Minute)
	search() // the totals are stale: a count starts, and fails
	for range 5 {
		search()
	}
	if got, err := db.RankTotalsForTest(ctx); err != nil || got != before {
		t.Fatalf("totals after a failed count: %d, %v; want the kept %d", got, err, before)
	}
	if n := db.TermTriesForTest(); n != 2 {
		t.Fatalf("%d counts tried (one at the first search, one stale), want 2: searches after a failure retried at once", n)
	}

	db.FailTermCountsForTest(nil)
	advance(store.IDFCheckForTest)
	search()
	if n := db.TermTriesForTest(); n != 3 {
		t.Fatalf("%d counts tried after the wait, want 3", n)
	}
	if n := db.TermCountsForTest(); n != counts+1 {
		t.Fatalf("%d counts made, want %d", n, counts+1)
	}

	// A count that fails slowly (a database that times out, after a
	// minute) is waited for from its failure, not from its start.
	db.FailTermCountsForTest(errors.New("timed out"))
	advance(11 * time.Minute)
	release := db.HoldTermCountsForTest()
	_, err = db.SearchArticles(ctx, sq)
	must(t, err)
	advance(time.Minute)
	release()
	db.WaitTermCountsForTest()
	search()
	if n := db.TermTriesForTest(); n != 4 {
		t.Fatalf("%d counts tried, want 4: a search right after a slow failure tried again", n)
	}
}

// searchClock is a store's clock that starts at searchNow and moves only
// when advanced: the tests move it past the sample's keep and looks.
func searchClock() (clock func() time.Time, advance func(time.Duration)) {
	var mu sync.Mutex
	now := searchNow
	clock = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	advance = func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
	return clock, advance
}
