package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestDeepPagesFromMarks: every page of a section's listing, of its
// English edition and of a tag's, read deep from the marks kept every
// few entries, holds what reading the whole listing in one go puts
// there; so do they after a new story (which drops the marks), and once
// a scheduled story comes due (which no write announces, but changes
// the count). Stories share their times in pairs, so a mark falls
// between two stories of one second. On both engines.
func TestDeepPagesFromMarks(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { deepPagesFromMarks(t, storetest.Open(t, engine, store.PageMarksForTest(7))) })
	}
}

func deepPagesFromMarks(t *testing.T, db *store.DB) {
	ctx := context.Background()
	nw, kz, _, a1, _ := seed(t, db)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	au := []news.Author{a1}
	for i := 0; i < 64; i++ {
		a := article(fmt.Sprintf("Story %d", i), kz.ID, now.Add(-time.Duration(i/2)*time.Hour), au, "grain")
		if i%5 == 0 {
			a.Lang = "ru"
		}
		must(t, db.SaveArticle(ctx, a, 0, ""))
	}
	due := article("Due at one", kz.ID, now.Add(time.Hour), au, "grain")
	due.Status = news.StatusScheduled
	must(t, db.SaveArticle(ctx, due, 0, ""))
	tag, err := db.TagBySlug(ctx, "grain")
	must(t, err)

	listings := map[string]store.ListQuery{
		"section":            {Section: nw.ID},
		"section in English": {Section: nw.ID, Lang: "en"},
		"tag":                {TagID: tag.ID},
	}
	check := func(when string, at time.Time) {
		t.Helper()
		for name, q := range listings {
			q.VisibleAt = at
			all := q
			all.Limit = 1000
			whole, err := db.ListArticles(ctx, all)
			must(t, err)
			want := ids(whole.Articles)
			for _, size := range []int{3, 10} {
				var got []int64
				for off := 0; off < whole.Total; off += size {
					q.Limit, q.Offset = size, off
					page, err := db.ListArticles(ctx, q)
					must(t, err)
					if page.Total != whole.Total {
						t.Fatalf("%s, %s: page at %d counts %d, want %d", when, name, off, page.Total, whole.Total)
					}
					got = append(got, ids(page.Articles)...)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s, %s, pages of %d:\n got %v\nwant %v", when, name, size, got, want)
				}
			}
		}
	}
	check("first", now)
	if db.PageMarksKeptForTest() == 0 {
		t.Fatal("no marks kept after reading deep pages")
	}
	must(t, db.SaveArticle(ctx, article("Newest", kz.ID, now.Add(-time.Minute), au, "grain"), 0, ""))
	if n := db.PageMarksKeptForTest(); n != 0 {
		t.Errorf("%d marks kept past a new story", n)
	}
	check("after a new story", now)
	check("once a story came due", now.Add(2*time.Hour))
}

// TestDeepPageMarksFoundOnce: requests arriving together for a deep page
// of a listing whose marks are not kept yet find them once: one reads the
// listing's keys while the others wait for it, and all get the page that
// reading the whole listing puts there. On both engines.
func TestDeepPageMarksFoundOnce(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { deepPageMarksFoundOnce(t, storetest.Open(t, engine, store.PageMarksForTest(7))) })
	}
}

func deepPageMarksFoundOnce(t *testing.T, db *store.DB) {
	ctx := context.Background()
	nw, kz, _, a1, _ := seed(t, db)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 64; i++ {
		must(t, db.SaveArticle(ctx, article(fmt.Sprintf("Story %d", i), kz.ID, now.Add(-time.Duration(i)*time.Hour), []news.Author{a1}, "grain"), 0, ""))
	}
	whole, err := db.ListArticles(ctx, store.ListQuery{Section: nw.ID, VisibleAt: now, Limit: 1000})
	must(t, err)
	// Page 8 of 3 lies past two marks and before the listing's middle,
	// so it is read from the front and needs the marks.
	q := store.ListQuery{Section: nw.ID, VisibleAt: now, Limit: 3, Offset: 21}
	want := ids(whole.Articles)[21:24]

	release := make(chan struct{})
	db.HoldPageMarksForTest(func() { <-release })
	const requests = 12
	pages := make(chan []int64, requests)
	errs := make(chan error, requests)
	for i := 0; i < requests; i++ {
		go func() {
			p, err := db.ListArticles(ctx, q)
			errs <- err
			pages <- ids(p.Articles)
		}()
	}
	// The first request holds before reading; the rest must queue behind
	// it rather than read the keys themselves.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		if _, waiting := db.PageMarkFindsForTest(); waiting == requests-1 {
			break
		}
		if time.Now().After(deadline) {
			finds, waiting := db.PageMarkFindsForTest()
			close(release)
			t.Fatalf("%d requests wait for the marks and %d find them; want %d waiting behind one", waiting, finds, requests-1)
		}
	}
	close(release)
	for i := 0; i < requests; i++ {
		must(t, <-errs)
		if got := <-pages; !slices.Equal(got, want) {
			t.Errorf("request %d got %v, want %v", i, got, want)
		}
	}
	if finds, _ := db.PageMarkFindsForTest(); finds != 1 {
		t.Errorf("marks found %d times, want once", finds)
	}
}
