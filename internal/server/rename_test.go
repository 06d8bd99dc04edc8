package server_test

import (
	"context"
	"testing"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// When editors rename or merge tags and rename or move sections, the
// public addresses follow, and the old ones (with their pages and feeds)
// answer 301 to the new.
func TestRenamesKeepOldAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		tag, err := db.TagBySlug(ctx, "energy")
		must(t, err)
		must(t, db.RenameTag(ctx, tag.ID, "Power", "power"))
		for path, want := range map[string]string{
			"/tag/energy/":        "/tag/power/",
			"/tag/energy/page/2/": "/tag/power/page/2/",
			"/tag/energy/feed/":   "/tag/power/feed/",
		} {
			resp, _ := f.get(t, path)
			if resp.StatusCode != 301 || resp.Header.Get("Location") != want {
				t.Errorf("%s: %d → %q, want 301 → %s", path, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
		_, body := f.get(t, "/tag/power/")
		expect(t, body, "Viewing results 1 - 10 of 23")

		// Merging keeps every article visible under the surviving tag.
		f.save(t, &news.Article{Title: "Grid story", BodySource: "x", Status: news.StatusPublished, PublishedAt: testNow.Add(-1000), Tags: []news.Tag{{Name: "Grid"}}})
		grid, err := db.TagBySlug(ctx, "grid")
		must(t, err)
		must(t, db.MergeTags(ctx, grid.ID, tag.ID))
		_, body = f.get(t, "/tag/power/")
		expect(t, body, "of 24", "Grid story")
		if resp, _ := f.get(t, "/tag/grid/"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/tag/power/" {
			t.Errorf("merged tag: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}

		// Renaming the parent section moves its country page too.
		secs, err := db.Sections(ctx)
		must(t, err)
		for _, s := range secs {
			if s.Slug == "news" {
				s.Slug = "world"
				must(t, db.SaveSection(ctx, &s))
			}
		}
		resp, _ := f.get(t, "/category/news/kazakhstan/page/2/")
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/category/world/kazakhstan/page/2/" {
			t.Errorf("moved section: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body = f.get(t, "/category/world/kazakhstan/page/2/")
		expect(t, body, "Viewing results 11 - 20 of 24")
	})
}
