package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Writes through the API meet the same limits as the newsroom's form: a
// NUL byte or a 100,000-character title, tag or standfirst is answered
// 422 naming the field, on both engines, and nothing is written.
func TestWriteLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		ctx := context.Background()
		huge := strings.Repeat("x", 100_000)
		tooMany := make([]string, 101)
		for i := range tooMany {
			tooMany[i] = fmt.Sprintf("tag %d", i)
		}
		cases := []struct {
			field string
			body  map[string]any
		}{
			{"title", map[string]any{"title": "Nul\x00byte"}},
			{"title", map[string]any{"title": huge}},
			{"tags", map[string]any{"title": "Fine", "tags": []string{"fine", huge}}},
			{"tags", map[string]any{"title": "Fine", "tags": []string{"bad\x00tag"}}},
			{"tags", map[string]any{"title": "Fine", "tags": tooMany}},
			{"standfirst", map[string]any{"title": "Fine", "standfirst": huge}},
			{"slug", map[string]any{"title": "Fine", "slug": huge}},
			{"excerpt", map[string]any{"title": "Fine", "excerpt": "a\x01b"}},
			{"seo_title", map[string]any{"title": "Fine", "seo_title": huge}},
			{"seo_description", map[string]any{"title": "Fine", "seo_description": huge}},
			{"body", map[string]any{"title": "Fine", "body": "Nul\x00in the body"}},
			{"image", map[string]any{"title": "Fine", "image": map[string]any{"url": "/x.jpg", "alt": huge}}},
		}
		before, err := db.CountArticles(ctx)
		must(t, err)
		for _, c := range cases {
			body := map[string]any{"body": "Words.", "lang": "en"}
			for k, v := range c.body {
				body[k] = v
			}
			resp, b := f.call(t, "POST", "/api/v1/articles", f.tokens[auth.Editor], body)
			p := decodeProblem(t, b)
			if resp.StatusCode != 422 || resp.Header.Get("Content-Type") != "application/problem+json" || p["field"] != c.field {
				t.Errorf("create with a bad %s: %d %v", c.field, resp.StatusCode, p)
			}
			// The same through PATCH of an existing article.
			path := fmt.Sprintf("/api/v1/articles/%d", f.draft.ID)
			patch := map[string]any{"version": f.draft.Version}
			for k, v := range c.body {
				patch[k] = v
			}
			resp, b = f.call(t, "PATCH", path, f.tokens[auth.Editor], patch)
			if p := decodeProblem(t, b); resp.StatusCode != 422 || p["field"] != c.field {
				t.Errorf("PATCH with a bad %s: %d %v", c.field, resp.StatusCode, p)
			}
		}
		if after, err := db.CountArticles(ctx); err != nil || after != before {
			t.Fatalf("refused creates wrote articles: %d, then %d (%v)", before, after, err)
		}
		if got, err := db.ArticleByID(ctx, f.draft.ID); err != nil || got.Version != f.draft.Version {
			t.Fatalf("refused PATCHes changed the draft: v%d (%v)", got.Version, err)
		}
	})
}
