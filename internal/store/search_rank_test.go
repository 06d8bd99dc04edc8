package store_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// rankedSearches are searches by relevance of seedSearch's archive: plain
// words, names in either script, OR, exclusions, filters, partial matches
// and a phrase (which FTS5 still ranks).
func rankedSearches(c *searchCorpus) map[string]store.SearchQuery {
	q := func(raw string) store.SearchQuery {
		return store.SearchQuery{Query: search.ParseQuery(raw), VisibleAt: searchNow, Limit: 50}
	}
	out := map[string]store.SearchQuery{}
	for _, raw := range []string{"pipeline", "gas pipeline", "Tokayev", "Токаев", "газопровод", "pipeline OR wheat",
		"pipeline -china", "harvest record", "energy", `"gas pipeline"`} {
		out[raw] = q(raw)
	}
	en := q("pipeline")
	en.Lang = "en"
	out["pipeline, English"] = en
	sec := q("pipeline energy")
	sec.SectionIDs = []int64{c.kz.ID}
	out["pipeline energy, a section"] = sec
	partial := q("pipeline harvest zanzibar")
	partial.Partial = true
	out["partial matches"] = partial
	return out
}

// On SQLite a search by relevance is ranked in Go from the terms FTS5
// counts of each match, from the first search of a store (there are no
// records to fill); on an archive smaller than the sample its document
// counts are taken from, it finds, ranks and scores every search exactly
// as FTS5's bm25 did.
func TestSearchRankedInGoAsBM25(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	if !db.TermRecordsFilled() {
		t.Error("a SQLite store does not rank in Go from its first search")
	}
	c := seedSearch(t, db)
	ctx := context.Background()
	for name, sq := range rankedSearches(c) {
		db.SetTermRankingForTest(false)
		want, err := db.SearchArticles(ctx, sq)
		must(t, err)
		db.SetTermRankingForTest(true)
		got, err := db.SearchArticles(ctx, sq)
		must(t, err)
		if len(want.Results) == 0 && name != "газопровод" {
			t.Errorf("%s: bm25 finds nothing; the comparison would prove nothing", name)
		}
		if got.Total != want.Total || got.Full != want.Full || len(got.Results) != len(want.Results) {
			t.Errorf("%s: total %d, full %d, %d results; bm25: %d, %d, %d", name, got.Total, got.Full, len(got.Results),
				want.Total, want.Full, len(want.Results))
			continue
		}
		for i, w := range want.Results {
			g := got.Results[i]
			if g.Article.ID != w.Article.ID || math.Abs(g.Score-w.Score) > 1e-9*math.Abs(w.Score) || g.BodyText != w.BodyText {
				t.Errorf("%s: result %d is %d (score %.12g), bm25's %d (score %.12g)", name, i, g.Article.ID, g.Score, w.Article.ID, w.Score)
			}
		}
	}
}

// Every write keeps the terms searches count of each article exact, in
// the article's own transaction (its record of terms on PostgreSQL, its
// full-text row on SQLite): a save, an edit of the title and the tags, a
// password, and a purge from the trash; on both engines.
func TestTermRecordsFollowWrites(t *testing.T) {
	storetest.Each(t, termRecordsFollowWrites)
}

func termRecordsFollowWrites(t *testing.T, db *store.DB) {
	ctx := context.Background()
	_, kz, _, a1, _ := seed(t, db)
	now := time.Now()
	a := article("Caspian pipeline opens", kz.ID, now.Add(-time.Hour), []news.Author{a1}, "Energy")
	must(t, db.SaveArticle(ctx, a, 0, ""))
	b := article("Wheat prices fall", kz.ID, now.Add(-2*time.Hour), []news.Author{a1}, "Agriculture")
	must(t, db.SaveArticle(ctx, b, 0, ""))
	before := searchTop(t, db, "caspian", now)
	a.Title, a.Tags = "Aral fishery reopens", []news.Tag{{Name: "Water"}, {Name: "Aral Sea"}}
	a.BodySource, a.BodyHTML = "Nets are out again.", "<p>Nets are out again.</p>"
	must(t, db.SaveArticle(ctx, a, a.Version, ""))
	b.Password = "sesame"
	must(t, db.SaveArticle(ctx, b, b.Version, ""))
	stale, err := db.StaleTermRecordsForTest(ctx)
	must(t, err)
	if len(stale) > 0 {
		t.Errorf("after the edits, articles %v have no record of terms, or a stale one", stale)
	}
	if before != a.ID || searchTop(t, db, "caspian", now) != 0 || searchTop(t, db, "aral", now) != a.ID {
		t.Errorf("searches do not follow the edit of article %d", a.ID)
	}
	must(t, db.TrashArticle(ctx, b.ID, b.Version, now.Add(-48*time.Hour), nil))
	if _, err := db.PurgeTrash(ctx, now); err != nil {
		t.Fatal(err)
	}
	if n, err := db.TermRecordsForTest(ctx); err != nil || n != 1 {
		t.Errorf("after a purge: %d records of terms (%v), want 1", n, err)
	}
}

// searchTop is the id of the best match of raw by relevance, or 0.
func searchTop(t *testing.T, db *store.DB, raw string, now time.Time) int64 {
	t.Helper()
	res, err := db.SearchArticles(context.Background(), store.SearchQuery{Query: search.ParseQuery(raw), VisibleAt: now, Limit: 1})
	must(t, err)
	if len(res.Results) == 0 {
		return 0
	}
	return res.Results[0].Article.ID
}

// A PostgreSQL store made before the records of terms opens without
// them and gets them in the background: searches find the same articles
// meanwhile (ranked by the engine), a restart in the middle of the fill
// resumes it, and once it is done they rank as before. (SQLite keeps no
// records: TestSearchRankedInGoAsBM25.)
func TestTermRecordsFilledOnUpgrade(t *testing.T) {
	termRecordsFilledOnUpgrade(t, "", storetest.NewPostgresDatabase(t))
}

func termRecordsFilledOnUpgrade(t *testing.T, dir, url string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dir, url)
	must(t, err)
	c := seedSearch(t, db)
	searches := rankedSearches(c)
	ranked, found := map[string]string{}, map[string]string{}
	for name, sq := range searches {
		res, err := db.SearchArticles(ctx, sq)
		must(t, err)
		ranked[name], found[name] = fmt.Sprint(resultIDs(res), res.Total), foundIDs(res)
	}
	articles, err := db.CountArticles(ctx)
	must(t, err)
	must(t, db.ForgetTermRecordsForTest(ctx))
	must(t, db.Close())

	// The store opens with no records, and its fill stops after a batch
	// of two, as if the instance had stopped there.
	db, err = store.Open(ctx, dir, url, store.TermFillForTest(2, 1, 10*time.Millisecond))
	must(t, err)
	db.TermFillEndedForTest()
	if n, err := db.TermRecordsForTest(ctx); err != nil || n != 2 || db.TermRecordsFilled() {
		t.Fatalf("stopped after a batch: %d records of terms (%v), filled %v; want 2, not filled", n, err, db.TermRecordsFilled())
	}
	for name, sq := range searches {
		res, err := db.SearchArticles(ctx, sq)
		must(t, err)
		if got := foundIDs(res); got != found[name] {
			t.Errorf("%s: during the fill found %s, before %s", name, got, found[name])
		}
	}
	must(t, db.Close())

	// Started again, it resumes and finishes.
	db, err = store.Open(ctx, dir, url, store.TermFillForTest(2, 0, 10*time.Millisecond))
	must(t, err)
	wait, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	must(t, db.WaitForTermRecords(wait))
	if made := db.TermRecordsMadeForTest(); made != int64(articles-2) {
		t.Errorf("the restarted fill made %d records, want the %d left", made, articles-2)
	}
	if n, err := db.TermRecordsForTest(ctx); err != nil || n != articles {
		t.Errorf("after the fill: %d records of terms (%v), want %d", n, err, articles)
	}
	stale, err := db.StaleTermRecordsForTest(ctx)
	must(t, err)
	if len(stale) > 0 {
		t.Errorf("after the fill, articles %v have no record of terms, or a stale one", stale)
	}
	for name, sq := range searches {
		res, err := db.SearchArticles(ctx, sq)
		must(t, err)
		if got := fmt.Sprint(resultIDs(res), res.Total); got != ranked[name] {
			t.Errorf("%s: after the fill %s, before %s", name, got, ranked[name])
		}
	}
	must(t, db.Close())

	// Done once: the next start ranks in Go from the first search.
	db, err = store.Open(ctx, dir, url)
	must(t, err)
	defer db.Close()
	if !db.TermRecordsFilled() {
		t.Error("the start after the fill fills again")
	}
}

// Instances of a cluster starting together on a store without records
// fill them once between them.
func TestTermRecordsFilledOnceInACluster(t *testing.T) {
	url := storetest.NewPostgresDatabase(t)
	ctx := context.Background()
	db, err := store.Open(ctx, "", url)
	must(t, err)
	seedSearch(t, db)
	articles, err := db.CountArticles(ctx)
	must(t, err)
	must(t, db.ForgetTermRecordsForTest(ctx))
	must(t, db.Close())
	var made int64
	var instances []*store.DB
	for range 3 {
		db, err := store.Open(ctx, "", url, store.TermFillForTest(1, 0, 10*time.Millisecond))
		must(t, err)
		defer db.Close()
		instances = append(instances, db)
	}
	wait, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for _, db := range instances {
		must(t, db.WaitForTermRecords(wait))
		made += db.TermRecordsMadeForTest()
	}
	if made != int64(articles) {
		t.Errorf("the instances made %d records between them, want %d, one each article", made, articles)
	}
	stale, err := instances[0].StaleTermRecordsForTest(ctx)
	must(t, err)
	if len(stale) > 0 {
		t.Errorf("after the fill, articles %v have no record of terms, or a stale one", stale)
	}
}

// foundIDs is r's articles, in order of id, and its total.
func foundIDs(r store.SearchResults) string {
	ids := resultIDs(r)
	slices.Sort(ids)
	return fmt.Sprint(ids, r.Total)
}

// PostgreSQL ranks searches in Go from the same records of terms as
// SQLite, by the same bm25: on the same archive, smaller than the sample
// the document counts are taken from, every search by relevance (but a
// phrase's, which ts_rank still ranks) finds the same articles in the
// same order with the same scores on both engines.
func TestPostgresRanksAsSQLite(t *testing.T) {
	lite := storetest.Open(t, "sqlite")
	pg := storetest.Open(t, "postgres")
	ctx := context.Background()
	searchesOf := map[*store.DB]map[string]store.SearchQuery{lite: rankedSearches(seedSearch(t, lite)),
		pg: rankedSearches(seedSearch(t, pg))}
	for name := range searchesOf[lite] {
		if name == `"gas pipeline"` {
			continue
		}
		want, err := lite.SearchArticles(ctx, searchesOf[lite][name])
		must(t, err)
		got, err := pg.SearchArticles(ctx, searchesOf[pg][name])
		must(t, err)
		if len(want.Results) == 0 && name != "газопровод" {
			t.Errorf("%s: SQLite finds nothing; the comparison would prove nothing", name)
		}
		if got.Total != want.Total || len(got.Results) != len(want.Results) {
			t.Errorf("%s: PostgreSQL total %d, %d results; SQLite %d, %d", name, got.Total, len(got.Results), want.Total, len(want.Results))
			continue
		}
		for i, w := range want.Results {
			g := got.Results[i]
			if g.Article.Slug != w.Article.Slug || math.Abs(g.Score-w.Score) > 1e-9*math.Abs(w.Score) {
				t.Errorf("%s: result %d is %s (score %.12g) on PostgreSQL, %s (score %.12g) on SQLite", name, i,
					g.Article.Slug, g.Score, w.Article.Slug, w.Score)
			}
		}
	}
}

func resultIDs(r store.SearchResults) []int64 {
	var ids []int64
	for _, x := range r.Results {
		ids = append(ids, x.Article.ID)
	}
	return ids
}

// By relevance, counting stops at the ranking window, which no page
// reaches past, when the query's own limit is further; by date, and
// when every match is to be counted, it does not. Alike on both engines.
func TestSearchCountStopsAtRankWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Now()
		for i := 0; i < 12; i++ {
			must(t, db.SaveArticle(ctx, article(fmt.Sprintf("Story %d about a pipeline", i), kz.ID, now.Add(-time.Duration(i)*time.Hour), []news.Author{a1}), 0, ""))
		}
		db.SetRankWindowForTest(5)
		for _, c := range []struct {
			name             string
			byDate           bool
			countLimit       int
			total, countedTo int
			results          int
		}{
			{"by relevance", false, 10000, 6, 5, 5},
			{"by relevance, counting all", false, 0, 12, 0, 5},
			{"by date", true, 10000, 12, 10000, 10},
		} {
			q := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: now, Limit: 10, SortByDate: c.byDate, CountLimit: c.countLimit}
			r, err := db.SearchArticles(ctx, q)
			must(t, err)
			if r.Total != c.total || r.CountLimit != c.countedTo || len(r.Results) != c.results {
				t.Errorf("%s: total %d, counted to %d, %d results; want %d, %d, %d", c.name, r.Total, r.CountLimit, len(r.Results),
					c.total, c.countedTo, c.results)
			}
			for _, res := range r.Results {
				if !c.byDate && res.Article.Title == "Story 5 about a pipeline" {
					t.Errorf("%s: the sixth newest match, past the window, is ranked", c.name)
				}
			}
		}
		// A page past the window's end shows nothing, and still counts.
		q := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: now, Limit: 10, Offset: 5, CountLimit: 10000}
		r, err := db.SearchArticles(ctx, q)
		must(t, err)
		if r.Total != 6 || len(r.Results) != 0 {
			t.Errorf("past the window: total %d, %d results; want 6, 0", r.Total, len(r.Results))
		}
	})
}

// After an import's Optimize, SQLite keeps statistics of the tables
// searches plan with, but none of FTS5's own index of segments, whose
// lookups they would make SQLite prepare again for every term.
func TestOptimizeLeavesFTSIndexUnanalyzed(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	seedSearch(t, db)
	ctx := context.Background()
	must(t, db.Optimize(ctx))
	stats := func(table string) []string {
		rows, err := db.RowsForTest(ctx, `SELECT tbl FROM sqlite_stat1 WHERE tbl = '`+table+`'
			UNION ALL SELECT tbl FROM sqlite_stat4 WHERE tbl = '`+table+`'`)
		must(t, err)
		return rows
	}
	if len(stats("article_search_meta")) == 0 {
		t.Fatal("Optimize analyzed nothing: the test would prove nothing")
	}
	if got := stats("article_search_idx"); len(got) > 0 {
		t.Errorf("%d rows of statistics of article_search_idx after Optimize", len(got))
	}
}

// On SQLite the window counts each match's terms from FTS5's position
// lists and sizes instead of a record of terms: for every match of every
// ranked search, the record it counts is the record search.DocTerms
// makes of the match's full-text columns (what PostgreSQL stores) cut
// down to the query's terms (search.Narrow), byte for byte,
// with the row's sizes joined and with FTS5's own; a word repeated past
// the largest weighted frequency a record keeps included.
func TestWindowCountsTermsAsRecords(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	c := seedSearch(t, db)
	ctx := context.Background()
	loud := &news.Article{Title: strings.Repeat("Pipeline ", 30), Standfirst: "Gas, gas and gas.", BodyFormat: news.FormatHTML,
		BodyHTML: "<p>" + strings.Repeat("The pipeline carries gas. ", 40) + "</p>", Lang: "en", Status: news.StatusPublished,
		PublishedAt: searchNow.Add(-time.Hour), SectionID: c.kz.ID, Authors: []news.Author{c.a1}, Tags: []news.Tag{{Name: "Energy"}}}
	must(t, db.SaveArticle(ctx, loud, 0, ""))
	compared := 0
	for name, sq := range rankedSearches(c) {
		rk, ok := sq.Query.Ranking()
		if !ok {
			continue
		}
		joined, own, stored, err := db.CountedRecordsForTest(ctx, sq.Query)
		must(t, err)
		for id, rec := range stored {
			want := search.Narrow(rec, rk.Wanted())
			if !bytes.Equal(joined[id], want) || !bytes.Equal(own[id], want) {
				t.Errorf("%s: article %d counted %x (FTS5's sizes %x), its record cut down %x", name, id, joined[id], own[id], want)
			}
			compared++
		}
	}
	if compared < 20 {
		t.Errorf("%d matches compared; the test proves little", compared)
	}
}
