package store_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestPostgresPlansSearchesOnTheIndex: on PostgreSQL, a search's count
// reads the full-text index, never every row of the table with its
// search documents, however many articles match; and readers' listings
// are planned once per statement. SQLite has one way to plan both.
func TestPostgresPlansSearchesOnTheIndex(t *testing.T) {
	db := storetest.Open(t, "postgres")
	ctx := context.Background()
	_, kz, _, a1, _ := seed(t, db)
	var batch []*news.Article
	for i := range 40 {
		batch = append(batch, article("Pipeline news", kz.ID, time.Date(2026, 1, 1, i, 0, 0, 0, time.UTC), []news.Author{a1}))
	}
	must(t, db.ImportArticles(ctx, batch))
	must(t, db.Optimize(ctx))
	count := `EXPLAIN SELECT COUNT(*) FROM article_search m WHERE m.tsv @@ CAST(CAST('pipelin' AS text) AS tsquery) AND m.listed = 1`
	plan, err := db.RowsReadAsForTest(ctx, "search", count)
	must(t, err)
	if p := strings.Join(plan, "\n"); strings.Contains(p, "Seq Scan on article_search") || !strings.Contains(p, "_tsv_facets_idx") {
		t.Errorf("a search's count does not read the full-text index:\n%s", p)
	}
	mode, err := db.RowsReadAsForTest(ctx, "listing", `SHOW plan_cache_mode`)
	must(t, err)
	if len(mode) != 1 || mode[0] != "force_generic_plan" {
		t.Errorf("readers' listings plan with %q, want one generic plan per statement", mode)
	}
	other, err := db.RowsForTest(ctx, `SHOW plan_cache_mode`)
	must(t, err)
	if len(other) != 1 || other[0] != "auto" {
		t.Errorf("other reads plan with %q, want PostgreSQL's default", other)
	}
}

// TestPostgresSearchCountsVisitFewPages: on PostgreSQL a search's count
// visits the row of every match (bitmap scans read rows even when the
// index answers), so article_search keeps its documents out of its rows
// (migration 0025): 60 matching articles of some 400 words are counted
// in one or two pages, not one a match. An early page of a search by
// date of a word in most articles walks the date index.
func TestPostgresSearchCountsVisitFewPages(t *testing.T) {
	db := storetest.Open(t, "postgres")
	ctx := context.Background()
	_, kz, _, a1, _ := seed(t, db)
	var batch []*news.Article
	for i := range 60 {
		a := article(fmt.Sprintf("Pipeline news %d", i), kz.ID, time.Date(2026, 1, 1, i, 0, 0, 0, time.UTC), []news.Author{a1})
		var body strings.Builder // 400 words of a vocabulary of 150, as a short news story has
		for j := range 400 {
			fmt.Fprintf(&body, "word%x ", (i*7+j*j*13)%150)
		}
		a.BodyHTML = "<p>" + body.String() + "</p>"
		batch = append(batch, a)
	}
	must(t, db.ImportArticles(ctx, batch))
	must(t, db.Optimize(ctx))
	res, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 10})
	must(t, err)
	if res.Total != 60 {
		t.Fatalf("pipeline: %d matches, want 60", res.Total)
	}
	plan, err := db.RowsReadAsForTest(ctx, "search", `EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM article_search m
		WHERE m.tsv @@ CAST(CAST('pipelin' AS text) AS tsquery) AND m.listed = 1`)
	must(t, err)
	p := strings.Join(plan, "\n")
	m := regexp.MustCompile(`Heap Blocks: exact=(\d+)`).FindStringSubmatch(p)
	if m == nil {
		t.Fatalf("the count does not read the full-text index's matches:\n%s", p)
	}
	if pages, _ := strconv.Atoi(m[1]); pages > 2 {
		t.Errorf("counting 60 matches visits %d pages of article_search, want at most 2:\n%s", pages, p)
	}
	plan, err = db.RowsReadAsForTest(ctx, "dense", `EXPLAIN SELECT m.article_id FROM article_search m
		WHERE m.tsv @@ CAST(CAST('pipelin' AS text) AS tsquery) AND m.listed = 1 AND m.published_at <= 1900000000
		ORDER BY m.published_at DESC, m.article_id DESC LIMIT 10 OFFSET 10`)
	must(t, err)
	if p := strings.Join(plan, "\n"); !strings.Contains(p, "_published_at_article_id_idx") {
		t.Errorf("a dense search's page by date does not walk the date index:\n%s", p)
	}
}
