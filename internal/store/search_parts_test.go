package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// partsCorpus is an archive whose words match in every density: "steppe"
// in every article, "cotton" in a third, "uranium" in one in twelve,
// "saxaul" in one in a hundred, "lithium" in the newest few only and
// "glacier" in the oldest few only.
func partsCorpus(kz, opinion news.Section, a1 news.Author) []*news.Article {
	var list []*news.Article
	const n = 600
	for i := 0; i < n; i++ {
		words := "steppe news"
		if i%3 == 0 {
			words += " cotton harvest"
		}
		if i%12 == 5 {
			words += " uranium mine"
		}
		if i%100 == 42 {
			words += " saxaul forest"
		}
		if i >= n-4 {
			words += " lithium deposit"
		}
		if i < 4 {
			words += " glacier melt"
		}
		sec := kz
		if i%4 == 1 {
			sec = opinion
		}
		list = append(list, &news.Article{Title: fmt.Sprintf("Report %d on the %s", i, words), Slug: fmt.Sprintf("report-%d", i),
			Standfirst: "A report.", BodySource: words, BodyFormat: news.FormatHTML, BodyHTML: "<p>" + words + " " + words + "</p>",
			Lang: "en", Status: news.StatusPublished, PublishedAt: searchNow.Add(-time.Duration(n-i) * time.Hour),
			SectionID: sec.ID, Authors: []news.Author{a1}})
	}
	return list
}

// partsSearches are the searches compared across stores: each density,
// pages past the first, a section, a loose query and by date.
func partsSearches(kz news.Section) map[string]store.SearchQuery {
	q := func(raw string) store.SearchQuery {
		return store.SearchQuery{Query: search.ParseQuery(raw), VisibleAt: searchNow, Limit: 10}
	}
	out := map[string]store.SearchQuery{}
	for _, raw := range []string{"steppe", "cotton", "uranium", "saxaul", "lithium", "glacier", "cotton uranium", "tundra"} {
		out[raw] = q(raw)
		second := q(raw)
		second.Offset = 10
		out[raw+", page 2"] = second
	}
	sec := q("cotton")
	sec.SectionIDs = []int64{kz.ID}
	out["cotton, a section"] = sec
	partial := q("saxaul glacier")
	partial.Partial = true
	out["saxaul glacier, partial"] = partial
	byDate := q("uranium")
	byDate.SortByDate = true
	out["uranium by date"] = byDate
	all := q("uranium")
	all.CountLimit = 0
	out["uranium, every match counted"] = all
	return out
}

// searchedSlugs is a search's page as slugs and scores, with its total.
func searchedSlugs(t *testing.T, db *store.DB, sq store.SearchQuery) string {
	t.Helper()
	res, err := db.SearchArticles(context.Background(), sq)
	must(t, err)
	out := fmt.Sprint(res.Total, ":")
	for _, r := range res.Results {
		out += fmt.Sprintf(" %s(%.9g)", r.Article.Slug, r.Score)
	}
	return out
}

// checkParts fails unless the search documents are in at least want
// parts, each closed one holding about rows documents (a split is asked
// for after every checkEvery written, so a part may hold that many more,
// and a batch's more when the batch is bigger).
func checkParts(t *testing.T, db *store.DB, want int, rows, slack int64) {
	t.Helper()
	parts, err := db.SearchPartsForTest(context.Background())
	must(t, err)
	if len(parts) < want {
		t.Fatalf("the documents are in %d parts (%v), want at least %d", len(parts), parts, want)
	}
	for _, p := range parts[:len(parts)-1] {
		if p[1] < rows || p[1] > rows+slack {
			t.Errorf("part from %d holds %d documents, want %d to %d (parts %v)", p[0], p[1], rows, rows+slack, parts)
		}
	}
}

// On PostgreSQL the search documents are cut into parts by id as they
// are written (migration 0036), and a search reads its ranking window
// from the newest parts first, a few steps at a time: whatever the
// words' density, it finds, ranks and counts exactly what SQLite's one
// index does, on an archive written by a fill (split inside its
// transaction) and on one written in batches and one by one (split after
// the writes commit).
func TestPostgresSearchReadsThePartsNewestFirst(t *testing.T) {
	ctx := context.Background()
	const rows, every = 50, 10
	lite := storetest.Open(t, "sqlite")
	filled := storetest.Open(t, "postgres")
	written := storetest.Open(t, "postgres")
	var searches map[string]store.SearchQuery
	for _, db := range []*store.DB{lite, filled, written} {
		db.SetRankWindowForTest(40)
		_, kz, opinion, a1, _ := seed(t, db)
		searches = partsSearches(kz)
		list := partsCorpus(kz, opinion, a1)
		switch db {
		case lite:
			must(t, db.ImportArticles(ctx, list))
		case filled:
			must(t, db.SetSearchPartsForTest(ctx, rows, every))
			must(t, db.FillEmpty(ctx, func(ctx context.Context) error {
				for i := 0; i < len(list); i += 7 {
					if err := db.ImportArticles(ctx, list[i:min(i+7, len(list))]); err != nil {
						return err
					}
				}
				return nil
			}))
		case written:
			must(t, db.SetSearchPartsForTest(ctx, rows, every))
			for i := 0; i < len(list); i += 5 {
				if i%20 == 0 {
					for _, a := range list[i : i+5] {
						must(t, db.SaveArticle(ctx, a, 0, ""))
					}
				} else {
					must(t, db.ImportArticles(ctx, list[i:i+5]))
				}
				db.WaitSearchSplitForTest()
			}
		}
	}
	checkParts(t, filled, 600/rows-1, rows, every+7)
	checkParts(t, written, 600/rows-1, rows, every+5)
	for name, sq := range searches {
		want := searchedSlugs(t, lite, sq)
		for engine, db := range map[string]*store.DB{"filled": filled, "written": written} {
			if got := searchedSlugs(t, db, sq); got != want {
				t.Errorf("%s, %s PostgreSQL store:\n got %s\nwant %s (SQLite)", name, engine, got, want)
			}
		}
	}
}

// A split waits for the table only briefly, as searches and writers
// queue behind it: while a long read holds the table, the split gives
// up and tries again, searches and writes go on, and it is done once the
// table is free.
func TestPostgresSplitGivesWayToReaders(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "postgres")
	_, kz, opinion, a1, _ := seed(t, db)
	must(t, db.SetSearchPartsForTest(ctx, 30, 1000))
	list := partsCorpus(kz, opinion, a1)
	must(t, db.ImportArticles(ctx, list[:100]))
	uranium := store.SearchQuery{Query: search.ParseQuery("uranium"), VisibleAt: searchNow, Limit: 10}
	before := searchedSlugs(t, db, uranium)

	release, err := db.HoldSearchDocsForTest(ctx)
	must(t, err)
	done := make(chan error, 1)
	go func() { done <- db.SplitSearchPartsForTest(ctx) }()
	time.Sleep(300 * time.Millisecond) // past the split's first wait for the table
	if got := searchedSlugs(t, db, uranium); got != before {
		t.Errorf("while the split waits: %s, before %s", got, before)
	}
	must(t, db.SaveArticle(ctx, list[100], 0, ""))
	if parts, err := db.SearchPartsForTest(ctx); err != nil || len(parts) != 1 {
		t.Fatalf("while the table is held: parts %v (%v), want the one", parts, err)
	}
	release()
	must(t, <-done)
	must(t, db.SaveArticle(ctx, list[102], 0, ""))
	parts, err := db.SearchPartsForTest(ctx)
	must(t, err)
	if len(parts) != 2 || parts[0][1] != 101 || parts[1][1] != 1 {
		t.Errorf("after the table was freed: parts %v, want the 101 documents closed and the next in a part of its own", parts)
	}
	if got := searchedSlugs(t, db, uranium); got != before {
		t.Errorf("after the split: %s, before %s", got, before)
	}
}
