package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func TestArticlesList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		pub := f.pub
		cases := []struct {
			query string
			want  []string // titles, in order
			total int
		}{
			{"", []string{pub[0].Title, pub[1].Title, pub[2].Title, pub[3].Title, pub[4].Title, f.locked.Title}, 6},
			{"per_page=2", []string{pub[0].Title, pub[1].Title}, 6},
			{"per_page=2&page=3", []string{pub[4].Title, f.locked.Title}, 6},
			{"section=" + fmt.Sprint(f.news.ID), []string{pub[0].Title, pub[1].Title, pub[3].Title}, 3},
			{"section=news/kazakhstan", []string{pub[0].Title, pub[1].Title, pub[3].Title}, 3},
			{"section=economy", []string{pub[2].Title, pub[4].Title, f.locked.Title}, 3},
			{"tag=banking", []string{pub[0].Title, pub[1].Title, pub[3].Title}, 3},
			{"tag=" + fmt.Sprint(pub[0].Tags[1].ID), []string{pub[0].Title}, 1},
			{"author=" + f.bakhtiyor.Slug, []string{pub[2].Title, pub[4].Title}, 2},
			{"author=" + fmt.Sprint(f.aigerim.ID), []string{pub[0].Title, pub[1].Title, pub[3].Title}, 3},
			{"lang=ru", []string{pub[3].Title}, 1},
			{"from=2026-03-23&to=2026-03-24", []string{pub[1].Title, pub[2].Title}, 2},
			{"from=2026-03-24T09:00:00Z", []string{pub[0].Title, pub[1].Title}, 2},
			{"q=STEADIES", []string{pub[1].Title}, 1},
			{"q=100%25", []string{pub[2].Title}, 1},
			{"q=10_", nil, 0},
		}
		for _, c := range cases {
			var got api.ArticleList
			f.getJSON(t, "/api/v1/articles?"+c.query, "", 200, &got)
			if titles(got.Articles) != strings.Join(c.want, " | ") || got.Total != c.total {
				t.Errorf("?%s: got %d %q, want %d %q", c.query, got.Total, titles(got.Articles), c.total, strings.Join(c.want, " | "))
			}
		}
		var page api.ArticleList
		f.getJSON(t, "/api/v1/articles?per_page=4&page=2", "", 200, &page)
		if page.Page != 2 || page.PerPage != 4 || page.TotalPages != 2 {
			t.Errorf("paging: %+v", page)
		}
		a := page.Articles[0]
		if a.BodyHTML != nil || a.BodySource != nil || a.URL != "https://timesca.example/"+a.Slug+"/" || len(a.Authors) != 1 || a.Section == nil {
			t.Errorf("a listed article: %+v", a)
		}

		for _, bad := range []string{"per_page=0", "per_page=101", "page=0", "page=x", "lang=de", "from=yesterday", "to=2026-13-01", "section=nowhere", "tag=nothing", "author=nobody", "status=nonsense"} {
			tok := ""
			if strings.HasPrefix(bad, "status") {
				tok = f.tokens[auth.Editor]
			}
			resp, b := f.call(t, "GET", "/api/v1/articles?"+bad, tok, nil)
			if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("?%s: %d %s %s", bad, resp.StatusCode, resp.Header.Get("Content-Type"), b)
			}
		}

		// Status is for staff.
		resp, _ := f.call(t, "GET", "/api/v1/articles?status=draft", "", nil)
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("status without a token: %d", resp.StatusCode)
		}
		var staff api.ArticleList
		f.getJSON(t, "/api/v1/articles?status=draft,scheduled", f.tokens[auth.Editor], 200, &staff)
		if titles(staff.Articles) != f.future.Title+" | "+f.draft.Title && titles(staff.Articles) != f.draft.Title+" | "+f.future.Title {
			t.Errorf("editor's drafts and scheduled: %q", titles(staff.Articles))
		}
		if resp := f.getJSON(t, "/api/v1/articles?status=draft", f.tokens[auth.Editor], 200, nil); !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("a token's answer is cacheable: %q", resp.Header.Get("Cache-Control"))
		}
		// An author sees only their own unpublished work: none here.
		f.getJSON(t, "/api/v1/articles?status=draft", f.tokens[auth.Author], 200, &staff)
		if staff.Total != 0 {
			t.Errorf("author sees others' drafts: %q", titles(staff.Articles))
		}
		f.getJSON(t, "/api/v1/articles?status=draft", f.tokens[auth.Contributor], 200, &staff)
		if titles(staff.Articles) != f.draft.Title {
			t.Errorf("contributor's own drafts: %q", titles(staff.Articles))
		}
	})
}

func TestArticleOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		var a api.Article
		resp := f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", f.pub[0].ID), "", 200, &a)
		if a.Title != f.pub[0].Title || a.BodyHTML == nil || !strings.Contains(*a.BodyHTML, `href="https://timesca.example/about/"`) ||
			a.Image == nil || !strings.HasPrefix(a.Image.URL, "https://timesca.example/media/") || len(a.Tags) != 2 || a.Version != 1 {
			t.Errorf("article: %+v", a)
		}
		if resp.Header.Get("ETag") == "" || resp.Header.Get("Cache-Control") != "public, max-age=60" {
			t.Errorf("headers: %v", resp.Header)
		}
		// ETag: a second ask with it is answered 304.
		r2, _ := f.call(t, "GET", fmt.Sprintf("/api/v1/articles/%d", f.pub[0].ID), "", nil, "If-None-Match", resp.Header.Get("ETag"))
		if r2.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", r2.StatusCode)
		}
		f.getJSON(t, "/api/v1/articles/"+url.PathEscape(f.pub[3].Slug), "", 200, &a)
		if a.ID != f.pub[3].ID || a.Lang != "ru" {
			t.Errorf("by slug: %+v", a)
		}
		for _, id := range []int64{f.draft.ID, f.future.ID, 999999} {
			resp, b := f.call(t, "GET", fmt.Sprintf("/api/v1/articles/%d", id), "", nil)
			if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("hidden article %d: %d %s", id, resp.StatusCode, b)
			}
		}
		f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", f.draft.ID), f.tokens[auth.Editor], 200, &a)
		if a.Status != "draft" || a.BodySource == nil {
			t.Errorf("editor's view of a draft: %+v", a)
		}
		f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", f.draft.ID), f.tokens[auth.Author], 404, nil)
		var locked api.Article
		f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", f.locked.ID), "", 200, &locked)
		if locked.BodyHTML != nil || !locked.Protected {
			t.Errorf("protected article shows its body: %+v", locked)
		}
		// Unknown endpoints answer in the API's shape.
		resp, b := f.call(t, "GET", "/api/v1/nothing", "", nil)
		if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("unknown endpoint: %d %s", resp.StatusCode, b)
		}
	})
}

func TestTaxonomiesAndMedia(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		var secs struct{ Sections []api.Section }
		f.getJSON(t, "/api/v1/sections", "", 200, &secs)
		got := map[string]int{}
		for _, s := range secs.Sections {
			got[s.Path] = s.Count
		}
		if len(secs.Sections) != 3 || got["news/kazakhstan"] != 3 || got["economy"] != 3 || got["news"] != 0 {
			t.Errorf("sections: %+v", secs)
		}
		var tags struct {
			Tags       []api.Tag
			Total      int
			TotalPages int `json:"total_pages"`
		}
		f.getJSON(t, "/api/v1/tags", "", 200, &tags)
		if tags.Total != 3 || tags.Tags[0].Slug != "banking" || tags.Tags[0].Count != 3 {
			t.Errorf("tags: %+v", tags)
		}
		f.getJSON(t, "/api/v1/tags?per_page=1&page=3", "", 200, &tags)
		if len(tags.Tags) != 1 || tags.TotalPages != 3 {
			t.Errorf("tags page 3: %+v", tags)
		}
		f.getJSON(t, "/api/v1/tags?per_page=500", "", 400, nil)
		var authors struct{ Authors []api.Author }
		f.getJSON(t, "/api/v1/authors", "", 200, &authors)
		if len(authors.Authors) != 2 || authors.Authors[0].Name != "Aigerim Sadykova" || authors.Authors[0].Count != 3 ||
			authors.Authors[0].URL != "https://timesca.example/author/aigerim-sadykova/" {
			t.Errorf("authors: %+v", authors)
		}
		var ml struct {
			Media []api.Media
			Total int
		}
		f.getJSON(t, "/api/v1/media", "", 200, &ml)
		if ml.Total != 1 || ml.Media[0].ID != f.img.ID || len(ml.Media[0].Sizes) == 0 || ml.Media[0].Caption != "Almaty" {
			t.Errorf("media: %+v", ml)
		}
		f.getJSON(t, "/api/v1/media?q=almaty", "", 200, &ml)
		if ml.Total != 1 {
			t.Errorf("media search: %+v", ml)
		}
		f.getJSON(t, "/api/v1/media?q=nothing", "", 200, &ml)
		if ml.Total != 0 {
			t.Errorf("media search for nothing: %+v", ml)
		}
		f.getJSON(t, "/api/v1/media?page=0", "", 400, nil)
		var m api.Media
		f.getJSON(t, fmt.Sprintf("/api/v1/media/%d", f.img.ID), "", 200, &m)
		if m.Width != 1200 || m.Height != 800 || !strings.HasPrefix(m.URL, "https://timesca.example/media/") {
			t.Errorf("one image: %+v", m)
		}
		f.getJSON(t, "/api/v1/media/424242", "", 404, nil)
	})
}

func decodeProblem(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("problem: %v: %s", err, b)
	}
	return p
}
