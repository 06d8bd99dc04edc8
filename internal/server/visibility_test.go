package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// The leak of issue #11: a contributor's draft with a new tag and a new
// byline made a public tag page at once, listed in the APIs and the
// sitemaps. A tag or author with no article readers may see has no page
// or feed (404, as a missing one), is in no reader's list or sitemap, and
// is unknown as a reader's filter; staff callers of the API still see it.
// Once the draft is published, or an embargo passes, all of it appears.
func TestDraftsMakeNoPublicTagsOrAuthors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ghost := news.Author{Name: "Ghost Writer"}
		must(t, db.SaveAuthor(ctx, &ghost))
		draft := &news.Article{Title: "Contributor's draft", BodySource: "x", Status: news.StatusDraft,
			Tags: []news.Tag{{Name: "Leak"}}, Authors: []news.Author{ghost}}
		f.save(t, draft)
		embargoed := &news.Article{Title: "Embargoed", BodySource: "x", Status: news.StatusScheduled,
			PublishedAt: testNow.Add(2 * time.Hour), Tags: []news.Tag{{Name: "Embargo"}}}
		f.save(t, embargoed)
		staff := staffToken(t, db)

		hiddenEverywhere := func(when string) {
			t.Helper()
			for _, p := range []string{"/tag/leak/", "/tag/leak/feed/", "/tag/leak/feed/json/", "/tag/embargo/",
				"/author/ghost-writer/", "/author/ghost-writer/feed/"} {
				if resp, _ := f.get(t, p); resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %s answers %d, want 404", when, p, resp.StatusCode)
				}
			}
			for _, p := range []string{"/sitemap-tags-1.xml", "/sitemap-authors-1.xml", "/api/v1/tags", "/wp-json/wp/v2/tags",
				"/api/v1/authors", "/wp-json/wp/v2/users", "/search/?q=story&tag=leak", "/api/v1/search?q=story&tag=leak"} {
				if _, body := f.get(t, p); strings.Contains(body, "leak") || strings.Contains(body, "Leak") ||
					strings.Contains(body, "ghost-writer") || strings.Contains(body, "embargo") {
					t.Errorf("%s: %s names a tag or author only drafts have", when, p)
				}
			}
			leak, err := db.TagBySlug(ctx, "leak")
			must(t, err)
			for _, p := range []string{fmt.Sprintf("/wp-json/wp/v2/tags/%d", leak.ID), fmt.Sprintf("/wp-json/wp/v2/users/%d", ghost.ID)} {
				if resp, _ := f.get(t, p); resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %s answers %d, want 404", when, p, resp.StatusCode)
				}
			}
			// A reader's filter by a hidden tag answers as for a missing one.
			_, missing := f.get(t, "/api/v1/articles?tag=no-such-tag")
			_, hidden := f.get(t, "/api/v1/articles?tag=leak")
			if strings.Replace(hidden, "leak", "no-such-tag", 1) != missing {
				t.Errorf("%s: filtering by a hidden tag answers %s, by a missing one %s", when, hidden, missing)
			}
			_, missing = f.get(t, "/api/v1/articles?author=nobody")
			_, hidden = f.get(t, "/api/v1/articles?author=ghost-writer")
			if strings.Replace(hidden, "ghost-writer", "nobody", 1) != missing {
				t.Errorf("%s: filtering by a hidden author answers %s, by a missing one %s", when, hidden, missing)
			}
		}
		hiddenEverywhere("drafts only")

		// Staff see every tag and byline, with what readers may see of each.
		var tags struct {
			Tags []struct {
				Slug  string
				Count int
			}
		}
		getJSON(t, f, "/api/v1/tags?per_page=100", staff, &tags)
		if fmt.Sprint(tags.Tags) != "[{energy 23} {embargo 0} {leak 0}]" {
			t.Errorf("staff's tags: %v", tags.Tags)
		}
		var wpTags []struct{ Slug string }
		getJSON(t, f, "/wp-json/wp/v2/tags", staff, &wpTags)
		if len(wpTags) != 3 {
			t.Errorf("staff's WordPress tags: %v", wpTags)
		}
		var authors struct{ Authors []struct{ Slug string } }
		getJSON(t, f, "/api/v1/authors", staff, &authors)
		if len(authors.Authors) != 2 {
			t.Errorf("staff's authors: %v", authors.Authors)
		}

		// Published, the draft's tag and byline are everywhere.
		draft.Status, draft.PublishedAt = news.StatusPublished, testNow.Add(-time.Minute)
		f.save(t, draft)
		for _, p := range []string{"/tag/leak/", "/tag/leak/feed/", "/author/ghost-writer/"} {
			if resp, _ := f.get(t, p); resp.StatusCode != http.StatusOK {
				t.Errorf("published: %s answers %d", p, resp.StatusCode)
			}
		}
		for _, p := range []string{"/sitemap-tags-1.xml", "/api/v1/tags", "/wp-json/wp/v2/tags"} {
			if _, body := f.get(t, p); !strings.Contains(body, "leak") || strings.Contains(body, "embargo") {
				t.Errorf("published: %s should list leak and not yet embargo", p)
			}
		}
		if _, body := f.get(t, "/api/v1/authors"); !strings.Contains(body, "ghost-writer") {
			t.Error("published: the byline is not listed")
		}
		f.clock.Set(testNow.Add(3 * time.Hour))
		if resp, _ := f.get(t, "/tag/embargo/"); resp.StatusCode != http.StatusOK {
			t.Errorf("after the embargo: /tag/embargo/ answers %d", resp.StatusCode)
		}
	})
}

// staffToken makes an editor and an API token for them.
func staffToken(t *testing.T, db *store.DB) string {
	t.Helper()
	u := store.User{Email: "editor@example.com", Role: string(auth.Editor), PasswordHash: "x"}
	must(t, db.CreateUser(context.Background(), &u, nil))
	plain, hash := auth.NewAPIToken()
	must(t, db.CreateAPIToken(context.Background(), &store.APIToken{UserID: u.ID, Name: "desk", Role: string(auth.Editor), Hash: hash}))
	return plain
}

func getJSON(t *testing.T, f *fixture, path, token string, v any) {
	t.Helper()
	resp, body := f.get(t, path, "Authorization", "Bearer "+token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	must(t, json.Unmarshal([]byte(body), v))
}
