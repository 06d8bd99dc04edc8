package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func TestWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		body := map[string]any{"title": "Budget passes", "body": "The **budget** passed.", "lang": "en", "section_id": f.economy.ID, "tags": []string{"Budget"}}

		// Readers and unknown tokens may not write.
		if resp, _ := f.call(t, "POST", "/api/v1/articles", "", body); resp.StatusCode != 401 {
			t.Errorf("anonymous create: %d", resp.StatusCode)
		}
		if resp, _ := f.call(t, "POST", "/api/v1/articles", "dst_nonsense", body); resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("unknown token: %d", resp.StatusCode)
		}

		// An author creates a draft: their byline is on it by default.
		resp, b := f.call(t, "POST", "/api/v1/articles", f.tokens[auth.Author], body)
		if resp.StatusCode != 201 {
			t.Fatalf("create: %d %s", resp.StatusCode, b)
		}
		var a api.Article
		must(t, json.Unmarshal(b, &a))
		if a.Status != "draft" || a.Version != 1 || a.Slug != "budget-passes" || len(a.Authors) != 1 || a.Authors[0].ID != f.aigerim.ID ||
			resp.Header.Get("Location") != fmt.Sprintf("/api/v1/articles/%d", a.ID) || a.BodyHTML == nil || !strings.Contains(*a.BodyHTML, "<strong>budget</strong>") {
			t.Errorf("created: %+v %v", a, resp.Header)
		}

		path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		// PATCH needs the version; a stale one is a conflict with the current version.
		if resp, b := f.call(t, "PATCH", path, f.tokens[auth.Author], map[string]any{"title": "Budget passes at last"}); resp.StatusCode != 400 {
			t.Errorf("PATCH without version: %d %s", resp.StatusCode, b)
		}
		resp, b = f.call(t, "PATCH", path, f.tokens[auth.Author], map[string]any{"version": 1, "title": "Budget passes at last"})
		must(t, json.Unmarshal(b, &a))
		if resp.StatusCode != 200 || a.Version != 2 || a.Title != "Budget passes at last" || len(a.Tags) != 1 || a.Section.ID != f.economy.ID {
			t.Errorf("PATCH: %d %s", resp.StatusCode, b)
		}
		resp, b = f.call(t, "PATCH", path, f.tokens[auth.Editor], map[string]any{"version": 1, "title": "Someone else's idea"})
		if p := decodeProblem(t, b); resp.StatusCode != 409 || resp.Header.Get("Content-Type") != "application/problem+json" || p["current_version"] != 2.0 || p["your_version"] != 1.0 {
			t.Errorf("conflict: %d %s", resp.StatusCode, b)
		}
		for _, bad := range []map[string]any{{"version": 2, "lang": "de"}, {"version": 2, "title": " "}, {"version": 2, "section_id": 9999}, {"version": 2, "author_ids": []int{9999}},
			{"version": 2, "image": map[string]any{"url": "javascript:alert(1)"}}, {"version": 2, "status": "published"}} {
			if resp, b := f.call(t, "PATCH", path, f.tokens[auth.Author], bad); resp.StatusCode != 422 {
				t.Errorf("PATCH %v: %d %s", bad, resp.StatusCode, b)
			}
		}
		if resp, b := f.call(t, "PATCH", path, f.tokens[auth.Author], map[string]any{"version": 2, "titel": "typo"}); resp.StatusCode != 400 {
			t.Errorf("unknown field: %d %s", resp.StatusCode, b)
		}
		// PUT replaces: absent fields are emptied.
		resp, b = f.call(t, "PUT", path, f.tokens[auth.Author], map[string]any{"version": 2, "title": "Budget", "body": "Short.", "lang": "ru",
			"image": map[string]any{"url": "/media/x.jpg", "alt": "x"}})
		must(t, json.Unmarshal(b, &a))
		if resp.StatusCode != 200 || a.Version != 3 || a.Lang != "ru" || len(a.Tags) != 0 || a.Section != nil || a.Image == nil {
			t.Errorf("PUT: %d %s", resp.StatusCode, b)
		}

		// Contributors may not publish; authors publish their own.
		cresp, cb := f.call(t, "POST", "/api/v1/articles", f.tokens[auth.Contributor], map[string]any{"title": "Contribution", "body": "Words.", "lang": "en", "status": "pending"})
		var ca api.Article
		must(t, json.Unmarshal(cb, &ca))
		if cresp.StatusCode != 201 || ca.Status != "pending" {
			t.Fatalf("contributor create: %d %s", cresp.StatusCode, cb)
		}
		if resp, b := f.call(t, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", ca.ID), f.tokens[auth.Contributor], map[string]any{"version": 1}); resp.StatusCode != 403 ||
			resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("contributor publish: %d %s", resp.StatusCode, b)
		}
		if resp, _ := f.call(t, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", ca.ID), f.tokens[auth.Author], map[string]any{"version": 1}); resp.StatusCode != 404 {
			t.Errorf("author publishing another's article: %d", resp.StatusCode)
		}
		if resp, _ := f.call(t, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", a.ID), f.tokens[auth.Author], map[string]any{"version": 1}); resp.StatusCode != 409 {
			t.Errorf("stale publish: %d", resp.StatusCode)
		}
		resp, b = f.call(t, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", a.ID), f.tokens[auth.Author], map[string]any{"version": 3})
		must(t, json.Unmarshal(b, &a))
		if resp.StatusCode != 200 || a.Status != "published" || a.PublishedAt == nil || *a.PublishedAt != "2026-03-26T09:00:00Z" {
			t.Errorf("publish: %d %s", resp.StatusCode, b)
		}
		f.getJSON(t, path, "", 200, nil)
		// An editor schedules the contributor's article.
		resp, b = f.call(t, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", ca.ID), f.tokens[auth.Editor], map[string]any{"version": 1, "publish_at": "2026-04-01T10:00:00+05:00"})
		must(t, json.Unmarshal(b, &ca))
		if resp.StatusCode != 200 || ca.Status != "scheduled" || *ca.PublishedAt != "2026-04-01T05:00:00Z" {
			t.Errorf("schedule: %d %s", resp.StatusCode, b)
		}
		f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", ca.ID), "", 404, nil)
		// Contributors may not edit what has gone live.
		if resp, _ := f.call(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", ca.ID), f.tokens[auth.Contributor], map[string]any{"version": 2, "title": "x"}); resp.StatusCode != 403 {
			t.Errorf("contributor editing a scheduled article: %d", resp.StatusCode)
		}
		// Unpublishing is a status change to draft, for those who may publish.
		resp, b = f.call(t, "PATCH", path, f.tokens[auth.Author], map[string]any{"version": 4, "status": "draft"})
		if resp.StatusCode != 200 {
			t.Errorf("unpublish: %d %s", resp.StatusCode, b)
		}

		log, err := db.AuditLog(context.Background(), 10, 0)
		must(t, err)
		var acts []string
		for _, e := range log {
			acts = append(acts, e.Action+" "+e.Subject)
			if !strings.Contains(e.Detail, "API token") {
				t.Errorf("audit detail %q does not name the token", e.Detail)
			}
		}
		want := []string{fmt.Sprintf("unpublish article %d", a.ID), fmt.Sprintf("schedule article %d", ca.ID), fmt.Sprintf("publish article %d", a.ID)}
		if strings.Join(acts, ", ") != strings.Join(want, ", ") {
			t.Errorf("audit: %q, want %q", acts, want)
		}
	})
}

// TestTokenLifecycle makes a token in the newsroom, uses it, revokes it
// and is refused.
func TestTokenLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		post := func(path string, v url.Values) (int, string) {
			resp, err := c.PostForm(f.srv.URL+path, v)
			must(t, err)
			defer resp.Body.Close()
			var b strings.Builder
			_, _ = fmt.Fprint(&b, readAll(resp))
			return resp.StatusCode, b.String()
		}
		signin := func(r auth.Role) {
			jar, _ := cookiejar.New(nil)
			c.Jar = jar
			if code, _ := post("/newsroom/signin", url.Values{"email": {string(r) + "@example.com"}, "password": {password}}); code != http.StatusSeeOther {
				t.Fatalf("sign in as %s: %d", r, code)
			}
		}
		signin(auth.Contributor)
		if code, _ := post("/newsroom/tokens/", url.Values{"op": {"create"}, "name": {"x"}, "role": {"contributor"}}); code != 403 {
			t.Errorf("contributor making a token: %d", code)
		}
		signin(auth.Editor)
		if code, _ := post("/newsroom/tokens/", url.Values{"op": {"create"}, "name": {"Too strong"}, "role": {"admin"}}); code != 422 {
			t.Errorf("editor making an admin token: %d", code)
		}
		code, page := post("/newsroom/tokens/", url.Values{"op": {"create"}, "name": {"Mobile app"}, "role": {"author"}})
		tok := regexp.MustCompile(`value="(dst_[A-Za-z0-9_-]{43})"`).FindStringSubmatch(page)
		if code != 200 || tok == nil {
			t.Fatalf("make token: %d %s", code, page)
		}
		var list api.ArticleList
		f.getJSON(t, "/api/v1/articles?status=draft", tok[1], 200, &list)
		toks, err := db.APITokens(context.Background(), f.users[auth.Editor].ID)
		must(t, err)
		if len(toks) == 2 && toks[0].Name != "Mobile app" {
			toks[0], toks[1] = toks[1], toks[0]
		}
		if len(toks) != 2 || toks[0].Name != "Mobile app" || toks[0].Role != "author" || toks[0].LastUsedAt.IsZero() || strings.Contains(toks[0].Hash, tok[1]) {
			t.Fatalf("stored tokens: %+v", toks)
		}
		resp, err := c.Get(f.srv.URL + "/newsroom/tokens/")
		must(t, err)
		if body := readAll(resp); !strings.Contains(body, "Mobile app") || strings.Contains(body, tok[1]) {
			t.Errorf("token list shows the token or misses it")
		}
		// An editor may not revoke the admin's token.
		if code, _ := post("/newsroom/tokens/", url.Values{"op": {"revoke"}, "id": {fmt.Sprint(f.tokenIDs[auth.Admin])}}); code != 422 {
			t.Errorf("revoking another's token: %d", code)
		}
		if code, _ := post("/newsroom/tokens/", url.Values{"op": {"revoke"}, "id": {fmt.Sprint(toks[0].ID)}}); code != http.StatusSeeOther {
			t.Errorf("revoke: %d", code)
		}
		resp2, b := f.call(t, "GET", "/api/v1/articles?status=draft", tok[1], nil)
		if resp2.StatusCode != 401 || resp2.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("revoked token: %d %s", resp2.StatusCode, b)
		}
		// A token never acts above its maker's present role.
		must(t, db.SetUserRole(context.Background(), f.users[auth.Editor].ID, string(auth.Contributor)))
		if resp, _ := f.call(t, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", f.draft.ID), f.tokens[auth.Editor], map[string]any{"version": 1}); resp.StatusCode != 404 && resp.StatusCode != 403 {
			t.Errorf("demoted maker's token publishes: %d", resp.StatusCode)
		}
	})
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func TestRateLimit(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	f := newFixture(t, db, api.Limits{Anonymous: api.Budget{Rate: 0.5, Burst: 2}, Token: api.Budget{Rate: 1, Burst: 3}})
	for i := 0; i < 2; i++ {
		f.getJSON(t, "/api/v1/sections", "", 200, nil)
	}
	resp, b := f.call(t, "GET", "/api/v1/sections", "", nil)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("anonymous over budget: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	resp, b = f.call(t, "GET", "/wp-json/wp/v2/posts", "", nil)
	if resp.StatusCode != 429 || !strings.Contains(string(b), `"code":"rest_too_many_requests"`) {
		t.Errorf("WordPress reads over budget: %d %s", resp.StatusCode, b)
	}
	// A token has its own budget.
	for i := 0; i < 3; i++ {
		f.getJSON(t, "/api/v1/sections", f.tokens[auth.Editor], 200, nil)
	}
	resp, _ = f.call(t, "GET", "/api/v1/sections", f.tokens[auth.Editor], nil)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("token over budget: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	f.getJSON(t, "/api/v1/sections", f.tokens[auth.Author], 200, nil)
	// Wrong tokens spend the address's budget too.
	if resp, _ := f.call(t, "GET", "/api/v1/sections", "dst_guess", nil); resp.StatusCode != 429 {
		t.Errorf("guessing tokens is not limited: %d", resp.StatusCode)
	}
}
