package store_test

import (
	"context"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Migration 0013 takes the featured-image addresses that imports used to
// keep, javascript: and data: included, out of stores that have them;
// http(s) and site-relative addresses stay.
func TestMigrationDropsImageAddressesReadersMustNotFollow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		keep := map[string]bool{
			"javascript:alert(document.cookie)":  false,
			" JavaScript:alert(1)":               false,
			"data:image/svg+xml;base64,PHN2Zz4=": false,
			"//evil.example/x.jpg":               false,
			"https://cdn.example/a.jpg":          true,
			"HTTP://CDN.EXAMPLE/B.JPG":           true,
			"/media/ab/cd.jpg":                   true,
		}
		ids := map[string]int64{}
		i := 0
		for u := range keep {
			i++
			a := article("Story "+string(rune('A'+i)), kz.ID, time.Date(2026, 3, 26, 9, i, 0, 0, time.UTC), []news.Author{a1})
			a.Image = &news.Figure{URL: u, Alt: "Picture", Width: 800, Height: 600}
			must(t, db.SaveArticle(ctx, a, 0, ""))
			ids[u] = a.ID
		}
		must(t, db.SaveWPAttachments(ctx, []store.WPAttachment{{WPID: 7, URL: "javascript:alert(7)"}, {WPID: 8, URL: "https://timesca.example/a.jpg"}}))

		if a, _ := db.ArticleByID(ctx, ids["javascript:alert(document.cookie)"]); a.Image == nil {
			t.Fatal("the store refused the address itself; this test needs it stored as an old import left it")
		}
		must(t, db.RerunMigrationForTest(ctx, "0013_image_addresses.sql"))
		for u, kept := range keep {
			a, err := db.ArticleByID(ctx, ids[u])
			must(t, err)
			got := a.Image != nil && a.Image.URL == u
			if got != kept {
				t.Errorf("%q: image %+v, kept %v, want %v", u, a.Image, got, kept)
			}
			if a.Title == "" || a.BodyHTML == "" {
				t.Errorf("%q: the article lost its words", u)
			}
		}
		atts, err := db.WPAttachments(ctx)
		must(t, err)
		if len(atts) != 2 || atts[0].URL != "" || atts[1].URL != "https://timesca.example/a.jpg" {
			t.Errorf("attachments: %+v", atts)
		}
	})
}
