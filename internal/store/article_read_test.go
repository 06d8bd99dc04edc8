package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestOneArticleReadsItsBylineAndTagsAsListingsDo: an article read by
// slug or id, or to show (one query, its byline and tags as JSON lists) holds the
// same authors and tags, in the same order, as the same article read
// with a listing's separate reads (FeedArticlesByID), on both engines:
// bylines in the order the newsroom gave them (not by id or name), tags
// by name, nothing where there is none, and names that JSON must escape.
func TestOneArticleReadsItsBylineAndTagsAsListingsDo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, a2 := seed(t, db)
		odd := news.Author{Name: `Әлия "Ali" O'Neil \ <b>`, Bio: "Line one\nline two\ttab \u0001 🇰🇿 Қазақстан",
			UserID: 1<<62 + 1} // past a float's exact integers
		must(t, db.SaveAuthor(ctx, &odd))
		pub := time.Date(2025, 3, 26, 9, 30, 0, 0, time.UTC)
		several := article("Three bylines", kz.ID, pub, []news.Author{a2, odd, a1},
			"Экономика", `Oil "&" gas`, "budget", "Zhanaozen")
		several.Slug = "three-bylines"
		must(t, db.SaveArticle(ctx, several, 0, ""))
		bare := article("No byline, no tags", kz.ID, pub.Add(time.Hour), nil)
		bare.Slug = "no-byline-no-tags"
		must(t, db.SaveArticle(ctx, bare, 0, ""))

		listed, err := db.FeedArticlesByID(ctx, []int64{several.ID, bare.ID})
		must(t, err)
		for i, want := range listed {
			bySlug, err := db.ArticleBySlug(ctx, want.Slug)
			must(t, err)
			byID, err := db.ArticleByID(ctx, want.ID)
			must(t, err)
			toShow, err := db.ArticleToShow(ctx, want.Slug)
			must(t, err)
			if bySlug.BodySource != want.BodySource || toShow.BodySource != "" {
				t.Errorf("article %d: sources %q by slug, %q to show, want %q and none", i, bySlug.BodySource, toShow.BodySource, want.BodySource)
			}
			shown := bySlug
			shown.BodySource = ""
			if !reflect.DeepEqual(toShow, shown) {
				t.Errorf("article %d: to show %#v, by slug without its source %#v", i, toShow, shown)
			}
			for _, got := range []news.Article{bySlug, byID, toShow} {
				if !reflect.DeepEqual(got.Authors, want.Authors) {
					t.Errorf("article %d: byline %#v, a listing reads %#v", i, got.Authors, want.Authors)
				}
				if !reflect.DeepEqual(got.Tags, want.Tags) {
					t.Errorf("article %d: tags %#v, a listing reads %#v", i, got.Tags, want.Tags)
				}
			}
		}
		got, err := db.ArticleBySlug(ctx, "three-bylines")
		must(t, err)
		if len(got.Authors) != 3 || got.Authors[0].ID != a2.ID || got.Authors[1] != odd || got.Authors[2].ID != a1.ID {
			t.Errorf("byline %#v, want %s, %s, %s in that order", got.Authors, a2.Name, odd.Name, a1.Name)
		}
		if len(got.Tags) != 4 {
			t.Errorf("tags %#v, want 4", got.Tags)
		}
		if got, err := db.ArticleBySlug(ctx, "no-byline-no-tags"); err != nil || got.Authors != nil || got.Tags != nil {
			t.Errorf("an article without byline or tags: %#v %#v, %v", got.Authors, got.Tags, err)
		}
	})
}
