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

// searchChecks returns, for c's archive in db, the id of a tag by its
// slug, and a check that a search (edited by edit) finds exactly the
// articles of c's keys want.
func searchChecks(t *testing.T, db *store.DB, c *searchCorpus) (tag func(slug string) int64, check func(step, query string, edit func(*store.SearchQuery), want ...string)) {
	tag = func(slug string) int64 {
		tg, err := db.TagBySlug(context.Background(), slug)
		must(t, err)
		return tg.ID
	}
	check = func(step, query string, edit func(*store.SearchQuery), want ...string) {
		t.Helper()
		got, total := searchIDs(t, db, query, edit)
		var ids []int64
		for _, k := range want {
			ids = append(ids, c.ids[k])
		}
		slices.Sort(got)
		slices.Sort(ids)
		if !slices.Equal(got, ids) || total != len(ids) {
			t.Errorf("%s: %q found %v (total %d), want %v", step, query, got, total, want)
		}
	}
	return tag, check
}

// TestSearchFiltersFollowTheLinks: a search in a tag, a section or by an
// author finds what the article's links say after every kind of write:
// a save that moves the article and changes its tags and authors, a
// merge of tags, an import and a rebuild of the index.
func TestSearchFiltersFollowTheLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := seedSearch(t, db)
		ctx := context.Background()
		tag, check := searchChecks(t, db, c)
		water, china := tag("water"), tag("china")
		check("sections", "pipeline", func(q *store.SearchQuery) { q.SectionIDs = []int64{c.kz.ID, c.opinion.ID} }, "pipeline", "pipelines")

		// Merged: the articles of china are in water now.
		must(t, db.MergeTags(ctx, china, water))
		check("merged tag", "pipeline", func(q *store.SearchQuery) { q.TagID = water }, "pipeline")
		check("merged away", "pipeline", func(q *store.SearchQuery) { q.TagID = china })

		// Saved with another section, tags and author.
		a, err := db.ArticleByID(ctx, c.ids["wheat"])
		must(t, err)
		a.SectionID, a.Tags, a.Authors = c.opinion.ID, []news.Tag{{Name: "Energy"}}, []news.Author{c.a2}
		must(t, db.SaveArticle(ctx, &a, 0, ""))
		check("moved section", "wheat", func(q *store.SearchQuery) { q.SectionIDs = []int64{c.opinion.ID} }, "wheat")
		check("old section", "wheat", func(q *store.SearchQuery) { q.SectionIDs = []int64{c.kz.ID} })
		check("new tag", "wheat", func(q *store.SearchQuery) { q.TagID = tag("energy") }, "wheat")
		check("old tag", "wheat", func(q *store.SearchQuery) { q.TagID = tag("agriculture") })
		check("new author", "wheat", func(q *store.SearchQuery) { q.AuthorID = c.a2.ID }, "wheat")
		check("old author", "wheat", func(q *store.SearchQuery) { q.AuthorID = c.a1.ID })

		// Imported.
		imp := article("Imported pipeline story", c.opinion.ID, searchNow.Add(-48*time.Hour), []news.Author{c.a1, c.a2}, "Water")
		must(t, db.ImportArticles(ctx, []*news.Article{imp}))
		c.ids["imported"] = imp.ID
		check("imported", "pipeline", func(q *store.SearchQuery) {
			q.TagID, q.AuthorID, q.SectionIDs = water, c.a2.ID, []int64{c.opinion.ID}
		}, "imported")

		// Rebuilt.
		must(t, db.Reindex(ctx, 2, nil))
		check("rebuilt", "pipeline", func(q *store.SearchQuery) { q.TagID = water }, "pipeline", "imported")
		check("rebuilt", "energy", func(q *store.SearchQuery) { q.AuthorID = c.a2.ID }, "pipelines", "ru-pipe", "wheat")

		if db.Engine() != "postgres" {
			return
		}
		// The facets the store wrote are those search_facets (the
		// migration's) makes from the links.
		differ, err := db.RowsForTest(ctx, `SELECT article_id, CAST(facets AS text), CAST(search_facets(article_id, section_id) AS text)
			FROM article_search WHERE facets <> search_facets(article_id, section_id)`)
		must(t, err)
		if len(differ) > 0 {
			t.Errorf("the store's facets differ from the links' (id | store's | links'):\n%s", strings.Join(differ, "\n"))
		}
	})
}

// TestPostgresSearchFiltersReadTheIndex: on PostgreSQL a search in a
// tag, a section or by an author is counted (and ranked) from the
// full-text index alone, which holds the filters beside the words
// (migration 0026), never by joining the links to every match.
func TestPostgresSearchFiltersReadTheIndex(t *testing.T) {
	db := storetest.Open(t, "postgres")
	ctx := context.Background()
	c := seedSearch(t, db)
	var others []*news.Article // an archive where the words are rarer than the dates
	for i := range 300 {
		others = append(others, article(fmt.Sprintf("Harvest news %d", i), c.kz.ID, searchNow.Add(-time.Duration(i+50)*time.Hour), []news.Author{c.a1}, "Agriculture"))
	}
	must(t, db.ImportArticles(ctx, others))
	must(t, db.Optimize(ctx))
	energy, err := db.TagBySlug(ctx, "energy")
	must(t, err)
	for name, edit := range map[string]func(*store.SearchQuery){
		"tag":      func(q *store.SearchQuery) { q.TagID = energy.ID },
		"sections": func(q *store.SearchQuery) { q.SectionIDs = []int64{c.kz.ID, c.opinion.ID} },
		"author":   func(q *store.SearchQuery) { q.AuthorID = c.a1.ID },
	} {
		sq := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: searchNow, Limit: 10}
		edit(&sq)
		plan, err := db.SearchCountPlanForTest(ctx, sq)
		must(t, err)
		p := strings.Join(plan, "\n")
		var cond string
		for _, line := range plan {
			if strings.Contains(line, "Index Cond") {
				cond = line
			}
		}
		if !strings.Contains(p, "_tsv_facets_idx") || !strings.Contains(cond, "tsv @@") || !strings.Contains(cond, "facets @@") ||
			strings.Contains(p, "article_tags") || strings.Contains(p, "article_authors") || strings.Contains(p, "Join") {
			t.Errorf("%s: the count does not find the words and the filter in the full-text index alone:\n%s", name, p)
		}
	}
}
