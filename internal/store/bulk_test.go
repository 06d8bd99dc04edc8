package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// importBatch is a batch that meets every rule a one-by-one write
// follows: slugs taken in the store, in the batch and by an earlier
// article's numbered slug; a tag named twice in one article and in two
// cases; a tag the store has under another name; an author named twice;
// a protected body; a draft; an article without section or tags.
func importBatch(kz, opinion news.Section, a1, a2 news.Author) []*news.Article {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	mk := func(title, slug string, section int64, authors []news.Author, tags ...string) *news.Article {
		a := article(title, section, at, authors, tags...)
		a.Slug, a.UpdatedAt = slug, at.Add(time.Hour)
		at = at.Add(time.Minute)
		return a
	}
	list := []*news.Article{
		mk("Budget vote", "", kz.ID, []news.Author{a1}, "Oil", "oil", "Gas"),
		mk("Budget vote", "", opinion.ID, []news.Author{a1, a2, a1}, "Cotton"),
		mk("Budget vote again", "budget-vote-2", kz.ID, []news.Author{a2}, "Cotton", "Wheat"),
		mk("Protected pipeline", "", kz.ID, []news.Author{a1}, "Pipelines"),
		mk("Draft on water", "", kz.ID, []news.Author{a2}, "Water"),
		mk("Loose note", "", 0, nil),
	}
	list[3].Password = "secret"
	list[4].Status = news.StatusDraft
	// Every other column, each with a value of its own, and text that
	// COPY's format escapes: backslashes, tabs and line ends.
	full := list[2]
	full.Image = &news.Figure{URL: "/media/a.jpg", Alt: "alt", Caption: "caption", Credit: "credit", Width: 800, Height: 450, SrcSet: "/media/a-400.jpg 400w"}
	full.ManualExcerpt, full.SEOTitle, full.SEODescription = "manual excerpt", "seo title", "seo description"
	full.Sticky, full.ReadingMinutes = true, 7
	full.Standfirst = "Tab\there, a backslash \\ and \\N, a line\r\nend"
	full.BodySource = "First line\n\tindented \\. \\N\r\n\\\\"
	full.BodyHTML = "<p>First line</p>\n<pre>\tindented \\. \\N</pre>"
	// Two bodies long enough to be stored packed on SQLite (packed.go).
	for _, a := range list[:2] {
		var src, html strings.Builder
		for i := range 12 {
			p := fmt.Sprintf("Paragraph %d of %s: deputies argued over the oil fund's transfer to the budget.", i, a.Title)
			src.WriteString(p + "\n\n")
			html.WriteString("<p>" + p + "</p>\n")
		}
		a.BodySource, a.BodyHTML = src.String(), html.String()
	}
	return list
}

// TestImportWritesWhatSavesWrite imports the same batch in bulk into one
// store, in a fill of an empty store into another (by COPY on
// PostgreSQL), in bulk with its search work done ahead (PrepareSearch, as
// the WordPress import does; one article's work made from another text,
// as if the article changed after) into a third, and one article at a
// time into a fourth: every row of every table an article write touches,
// and every term of the search index, comes out the same.
func TestImportWritesWhatSavesWrite(t *testing.T) {
	ctx := context.Background()
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			// A fill (FillEmpty, PostgreSQL's COPY) writes into an empty
			// store: the first article goes in as its first batch.
			ways := []string{"bulk", "fill", "ahead", "one by one"}
			dumps := make([]map[string][]string, len(ways))
			for k, way := range ways {
				db := storetest.Open(t, engine)
				_, kz, opinion, a1, a2 := seed(t, db)
				// Already in the store: the slug budget-vote and the tag gas, named GAS.
				first := article("Budget vote", kz.ID, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), []news.Author{a1}, "GAS")
				first.UpdatedAt = first.PublishedAt
				list := importBatch(kz, opinion, a1, a2)
				switch way {
				case "bulk":
					must(t, db.ImportOneByOneForTest(ctx, []*news.Article{first}))
					list[2].TranslationOf = first.ID
					must(t, db.ImportArticles(ctx, list))
				case "fill":
					must(t, db.FillEmpty(ctx, func(ctx context.Context) error {
						if err := db.ImportArticles(ctx, []*news.Article{first}); err != nil {
							return err
						}
						list[2].TranslationOf = first.ID
						return db.ImportArticles(ctx, list)
					}))
				case "ahead":
					must(t, db.ImportOneByOneForTest(ctx, []*news.Article{first}))
					list[2].TranslationOf = first.ID
					work := make([]*store.SearchWork, len(list))
					// The first article's source changes after its work
					// is done (which fits does not see): what was packed
					// ahead of the writer must not be stored for it.
					source := list[0].BodySource
					list[0].BodySource = "An earlier draft. " + source
					for i, a := range list {
						work[i] = db.PrepareSearch(a)
					}
					list[0].BodySource = source
					stale := *list[1]
					stale.BodyHTML = "<p>Another text</p>"
					work[1] = db.PrepareSearch(&stale)
					must(t, db.ImportAheadForTest(ctx, list, work))
				default:
					must(t, db.ImportOneByOneForTest(ctx, []*news.Article{first}))
					list[2].TranslationOf = first.ID
					must(t, db.ImportOneByOneForTest(ctx, list))
				}
				dumps[k] = dumpArticles(t, db)
				stale, err := db.StaleTermRecordsForTest(ctx)
				must(t, err)
				if len(stale) > 0 {
					t.Errorf("%s: articles %v have no record of terms, or a stale one", way, stale)
				}
				var slugs []string
				for _, a := range list {
					slugs = append(slugs, a.Slug)
					if a.ID == 0 || a.Version != 1 {
						t.Errorf("%q: id %d, version %d after the import", a.Title, a.ID, a.Version)
					}
				}
				want := []string{"budget-vote-2", "budget-vote-3", "budget-vote-2-2", "protected-pipeline", "draft-on-water", "loose-note"}
				if !slices.Equal(slugs, want) {
					t.Errorf("%s: slugs %q, want %q", way, slugs, want)
				}
				if got := list[0].Tags[2]; got.Name != "GAS" || got.ID == 0 {
					t.Errorf("%s: existing tag came back as %+v, want its stored name GAS", way, got)
				}
			}
			one := dumps[len(ways)-1]
			for k, way := range ways[:len(ways)-1] {
				for table, rows := range dumps[k] {
					if !slices.Equal(rows, one[table]) {
						t.Errorf("%s differs:\n%-11s %s\none by one: %s", table, way+":", strings.Join(rows, "\n            "), strings.Join(one[table], "\n            "))
					}
				}
			}
			if n := len(dumps[0]["article_authors"]); n != 7 { // 1 + 1 + 2 + 1 + 1 + 1 + 0
				t.Errorf("%d author links, want 7", n)
			}
		})
	}
}

// dumpArticles reads every table an article write touches, in a stable order.
func dumpArticles(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	queries := map[string]string{
		"articles": `SELECT * FROM articles ORDER BY id`, // every column, in the table's order
		// By slug: PostgreSQL spends a tag id on each conflicting insert, so ids may differ.
		"tags": `SELECT slug, name FROM tags ORDER BY slug`,
		"article_tags": `SELECT lt.article_id, t.slug, COALESCE(lt.visible_from, -1) FROM article_tags lt
			JOIN tags t ON t.id = lt.tag_id ORDER BY lt.article_id, t.slug`,
		"article_authors":  `SELECT article_id, author_id, position, COALESCE(visible_from, -1) FROM article_authors ORDER BY article_id, author_id`,
		"article_sections": `SELECT article_id, section_id, COALESCE(visible_from, -1) FROM article_sections ORDER BY article_id, section_id`,
		"revisions":        `SELECT * FROM revisions ORDER BY article_id, version`,
		"search":           db.SearchRowsQueryForTest(),
	}
	out := map[string][]string{}
	for name, q := range queries {
		rows, err := db.RowsForTest(context.Background(), q)
		must(t, err)
		if len(rows) == 0 && name != "search" {
			t.Fatalf("%s: no rows", name)
		}
		out[name] = rows
	}
	terms, err := db.SearchTermsForTest(context.Background())
	must(t, err)
	if len(terms) == 0 {
		t.Fatal("search terms: none")
	}
	out["search terms"] = terms
	return out
}
