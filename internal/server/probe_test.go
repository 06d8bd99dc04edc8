package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// An attacker who guesses slugs (/2020/01/01/<slug>/) or walks WordPress
// post IDs (/?p=N, /?page_id=N) must learn nothing about articles readers
// may not see: a draft, a private post and an embargoed story answer
// exactly as an address with nothing behind it, while a published one
// still redirects, and the embargoed one does once it is due.
func TestUnpublishedArticlesCannotBeProbed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		day := testNow.Add(-48 * time.Hour)
		f.save(t, &news.Article{Title: "Merger plan", BodySource: "x", Status: news.StatusDraft, PublishedAt: day})
		f.save(t, &news.Article{Title: "Staff memo", BodySource: "x", Status: news.StatusPrivate, PublishedAt: day})
		f.save(t, &news.Article{Title: "Budget leak", BodySource: "x", Status: news.StatusScheduled, PublishedAt: testNow.Add(time.Hour)})
		f.save(t, &news.Article{Title: "Open letter", BodySource: "x", Status: news.StatusPublished, PublishedAt: day})
		// The WordPress importer keeps each post's old addresses like this.
		must(t, db.ImportRedirects(ctx, []store.Redirect{
			{From: "/?p=501", To: "/merger-plan/"}, {From: "/?page_id=502", To: "/staff-memo/"},
			{From: "/?p=503", To: "/budget-leak/"}, {From: "/?p=504", To: "/open-letter/"},
			{From: "/2019/05/05/merger-plan/", To: "/merger-plan/"},
		}))

		missing := func(path string) (int, string) {
			resp, body := f.get(t, path)
			return resp.StatusCode, body
		}
		wantStatus, wantBody := missing("/?p=999999")
		if wantStatus != http.StatusNotFound {
			t.Fatalf("a missing /?p=: %d", wantStatus)
		}
		for _, probe := range []string{"/?p=501", "/?page_id=502", "/?p=503", "/?page_id=999999"} {
			if status, body := missing(probe); status != wantStatus || body != wantBody {
				t.Errorf("%s: %d, and its body differs from a missing post's: %v", probe, status, body != wantBody)
			}
		}
		for _, slug := range []string{"merger-plan", "staff-memo", "budget-leak"} {
			for _, shape := range []string{"/2020/01/01/%s/", "/2019/05/05/%s/", "/%s/"} {
				path := strings.Replace(shape, "%s", slug, 1)
				nowhere := strings.Replace(shape, "%s", "no-such-slug", 1)
				gotStatus, got := missing(path)
				wantStatus, want := missing(nowhere)
				if gotStatus != wantStatus || strings.ReplaceAll(got, slug, "no-such-slug") != want {
					t.Errorf("%s answers %d, unlike %s (%d) beyond its address", path, gotStatus, nowhere, wantStatus)
				}
			}
		}

		for probe, to := range map[string]string{"/?p=504": "/open-letter/", "/2020/01/01/open-letter/": "/open-letter/"} {
			if resp, _ := f.get(t, probe); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != to {
				t.Errorf("%s: %d to %q, want 301 to %s", probe, resp.StatusCode, resp.Header.Get("Location"), to)
			}
		}
		f.clock.Set(testNow.Add(2 * time.Hour))
		if _, err := db.PublishDue(ctx, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if resp, _ := f.get(t, "/?p=503"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/budget-leak/" {
			t.Errorf("the embargoed story, once due: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}
