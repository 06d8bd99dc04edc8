package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestPostgresPhrasesReadWordPairs: on PostgreSQL a phrase is found in
// the index of word pairs (migration 0024), which must find exactly what
// the positions of the document find, for documents written by the store
// and, through search_pairs, for those the migration filled; and a
// two-word phrase is counted on that index alone.
func TestPostgresPhrasesReadWordPairs(t *testing.T) {
	db := storetest.Open(t, "postgres")
	ctx := context.Background()
	c := seedSearch(t, db)
	var long strings.Builder // past 16,383 words, whose positions PostgreSQL merges
	for i := range 16400 {
		fmt.Fprintf(&long, "w%d ", i%300)
	}
	long.WriteString("rail link")
	day := 24 * time.Hour
	for i, body := range []string{
		"The new rail link opens.",
		strings.Repeat("rail ", 300) + "link", // a word's positions past its 256th are not kept
		"Link rail; rail, link! Rail link rail link.",
		long.String(),
		"Rail and link are apart here.",
	} {
		a := &news.Article{Title: fmt.Sprintf("Transport %d", i), BodyHTML: "<p>" + body + "</p>", BodySource: body,
			BodyFormat: news.FormatHTML, Lang: "en", Status: news.StatusPublished, PublishedAt: searchNow.Add(-day),
			SectionID: c.kz.ID, Authors: []news.Author{c.a1}}
		must(t, db.SaveArticle(ctx, a, 0, ""))
	}
	differ, err := db.RowsForTest(ctx, `SELECT article_id FROM article_search WHERE pairs <> search_pairs(tsv)`)
	must(t, err)
	if len(differ) > 0 {
		t.Errorf("the store's word pairs differ from search_pairs' (the migration's) in articles %v", differ)
	}
	for _, raw := range []string{`"rail link"`, `"link rail"`, `"new rail link"`, `"rail rail"`, `"gas pipeline"`,
		`"rail link" OR "gas pipeline"`, `"rail link" -new`, `"record harvest" bank`} {
		q := search.ParseQuery(raw)
		want, err := db.RowsForTest(ctx, `SELECT article_id FROM article_search WHERE tsv @@ CAST('`+
			strings.ReplaceAll(q.TSQuery(), `'`, `''`)+`' AS tsquery) ORDER BY article_id`)
		must(t, err)
		res, err := db.SearchArticles(ctx, store.SearchQuery{Query: q, Limit: 50, SortByDate: true})
		must(t, err)
		var got []string
		for _, r := range res.Results {
			got = append(got, fmt.Sprint(r.Article.ID))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || res.Total != len(want) {
			t.Errorf("%s: found %v (total %d), the document positions find %v", raw, got, res.Total, want)
		}
	}
	must(t, db.Optimize(ctx))
	pairs, _ := search.ParseQuery(`"rail link"`).PairsTSQuery()
	plan, err := db.RowsReadAsForTest(ctx, "search", `EXPLAIN SELECT COUNT(*) FROM article_search m
		WHERE m.pairs @@ CAST(CAST('`+strings.ReplaceAll(pairs, `'`, `''`)+`' AS text) AS tsquery) AND m.listed = 1`)
	must(t, err)
	if p := strings.Join(plan, "\n"); !strings.Contains(p, "_pairs_idx") || strings.Contains(p, "tsv") {
		t.Errorf("a two-word phrase's count does not read the index of word pairs alone:\n%s", p)
	}
}
