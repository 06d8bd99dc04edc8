package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
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
	if p := strings.Join(plan, "\n"); strings.Contains(p, "Seq Scan on article_search") || !strings.Contains(p, "article_search_tsv") {
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
