package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// union merges the elements of a WordPress array into one example, so
// that an element may be compared with everything its siblings show.
func union(list []any) any {
	if len(list) == 0 {
		return nil
	}
	if _, ok := list[0].(map[string]any); !ok {
		return list[0]
	}
	out := map[string]any{}
	for _, e := range list {
		if em, ok := e.(map[string]any); ok {
			for k, v := range em {
				if om, ok := out[k].(map[string]any); ok {
					if vm, ok := v.(map[string]any); ok {
						out[k] = union([]any{om, vm})
						continue
					}
				}
				if out[k] == nil {
					out[k] = v
				}
			}
		}
	}
	return out
}

// WordPress leaves these out when there is nothing to say (a post with no
// revisions or no featured image, a top-level category), so Dastan may too.
var optional = map[string]bool{"_links.predecessor-version": true, "_links.wp:featuredmedia": true, "_links.up": true}

// dynamic objects are keyed by names, not fields: their values compare.
var dynamic = map[string]bool{"media_details.sizes": true}

// polylang are the members Polylang's REST integration adds to posts, as
// multilingual WordPress sites answer; the recordings are of a site
// without it.
var polylang = map[string]bool{"lang": true, "translations": true}

// sameShape reports where got differs from want in keys, JSON types or
// nesting. null matches any type: WordPress makes several fields null
// when they are empty (media's post, an error's data).
func sameShape(path string, want, got any) []string {
	if want == nil || got == nil {
		return nil
	}
	if kind(want) != kind(got) {
		return []string{fmt.Sprintf("%s: %s, WordPress has %s", path, kind(got), kind(want))}
	}
	var diffs []string
	switch w := want.(type) {
	case []any:
		u := union(w)
		for i, e := range got.([]any) {
			diffs = append(diffs, sameShape(fmt.Sprintf("%s[%d]", path, i), u, e)...)
		}
	case map[string]any:
		g := got.(map[string]any)
		rel := path
		if i := strings.LastIndex(rel, "]."); i >= 0 {
			rel = rel[i+1:]
		}
		if dynamic[strings.TrimPrefix(rel, ".")] {
			// A name WordPress has compares with its own value (its "full"
			// image size has no filesize); any other with all of them.
			wv := make([]any, 0, len(w))
			for _, v := range w {
				wv = append(wv, v)
			}
			u := union(wv)
			for k, v := range g {
				if wk, ok := w[k]; ok {
					diffs = append(diffs, sameShape(path+"."+k, wk, v)...)
					continue
				}
				diffs = append(diffs, sameShape(path+"."+k, u, v)...)
			}
			return diffs
		}
		for k := range g {
			if _, ok := w[k]; !ok && !polylang[k] {
				diffs = append(diffs, fmt.Sprintf("%s.%s: not in WordPress's answer", path, k))
			}
		}
		for k, v := range w {
			gv, ok := g[k]
			rel := strings.TrimPrefix(path+"."+k, ".")
			if i := strings.LastIndex(rel, "]."); i >= 0 {
				rel = rel[i+2:]
			}
			if !ok {
				if !optional[rel] {
					diffs = append(diffs, fmt.Sprintf("%s.%s: missing", path, k))
				}
				continue
			}
			diffs = append(diffs, sameShape(path+"."+k, v, gv)...)
		}
	}
	sort.Strings(diffs)
	return diffs
}

func loadWP(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "wp", name))
	must(t, err)
	var v any
	must(t, json.Unmarshal(b, &v))
	return v
}

// TestWordPressShapes compares Dastan's answers with WordPress's, field by
// field: the same keys, JSON types and nesting.
func TestWordPressShapes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		for _, c := range []struct{ path, file string }{
			{"/wp-json/wp/v2/posts?per_page=2", "posts.json"},
			{fmt.Sprintf("/wp-json/wp/v2/posts/%d", f.pub[0].ID), "post.json"},
			{"/wp-json/wp/v2/categories", "categories.json"},
			{"/wp-json/wp/v2/tags", "tags.json"},
			{"/wp-json/wp/v2/users", "users.json"},
			{"/wp-json/wp/v2/media", "media.json"},
			{"/wp-json/wp/v2/posts?per_page=1000", "error-per-page.json"},
		} {
			resp, b := f.call(t, "GET", c.path, "", nil)
			var got any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("%s: %v: %s", c.path, err, b)
			}
			if a, ok := got.([]any); ok && len(a) == 0 {
				t.Errorf("%s: empty", c.path)
			}
			for _, d := range sameShape("", loadWP(t, c.file), got) {
				t.Errorf("%s against %s: %s", c.path, c.file, d)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s: Content-Type %q", c.path, resp.Header.Get("Content-Type"))
			}
		}
	})
}

func TestWordPressPosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		pub := f.pub
		type post struct {
			ID    int64
			Slug  string
			Title struct{ Rendered string }
			Date  string                      `json:"date"`
			GMT   string                      `json:"date_gmt"`
			Links map[string][]map[string]any `json:"_links"`
			Embed map[string]json.RawMessage  `json:"_embedded"`
			Cats  []int64                     `json:"categories"`
			Tags  []int64                     `json:"tags"`
			Auth  int64                       `json:"author"`
			FM    int64                       `json:"featured_media"`
			Cont  struct {
				Rendered  string
				Protected bool
			} `json:"content"`
		}
		ids := func(list []post) string {
			var s []string
			for _, p := range list {
				s = append(s, fmt.Sprint(p.ID))
			}
			return strings.Join(s, ",")
		}
		idsOf := func(as ...int64) string {
			var s []string
			for _, a := range as {
				s = append(s, fmt.Sprint(a))
			}
			return strings.Join(s, ",")
		}
		tagID := pub[0].Tags[0].ID // Banking
		cases := []struct {
			query string
			want  string
			total string
			pages string
		}{
			{"", idsOf(pub[0].ID, pub[1].ID, pub[2].ID, pub[3].ID, pub[4].ID, f.locked.ID), "6", "1"},
			{"per_page=4&page=2", idsOf(pub[4].ID, f.locked.ID), "6", "2"},
			{"search=STEADIES", idsOf(pub[1].ID), "1", "1"},
			// The site's full-text search: stems, Russian, phrases, exclusions.
			{"search=raising+rates", idsOf(pub[0].ID), "1", "1"},
			{"search=%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B8", idsOf(pub[3].ID), "1", "1"},
			{"search=%22cotton+harvest%22+-tenge", idsOf(pub[2].ID), "1", "1"},
			{"search=%27%3B+DROP+TABLE+articles%3B--", "", "0", "0"},
			{fmt.Sprintf("categories=%d", f.kz.ID), idsOf(pub[0].ID, pub[1].ID, pub[3].ID), "3", "1"},
			{fmt.Sprintf("categories=%d,%d", f.kz.ID, f.economy.ID), idsOf(pub[0].ID, pub[1].ID, pub[2].ID, pub[3].ID, pub[4].ID, f.locked.ID), "6", "1"},
			{fmt.Sprintf("categories[]=%d", f.economy.ID), idsOf(pub[2].ID, pub[4].ID, f.locked.ID), "3", "1"},
			{fmt.Sprintf("tags=%d", tagID), idsOf(pub[0].ID, pub[1].ID, pub[3].ID), "3", "1"},
			{fmt.Sprintf("author=%d", f.bakhtiyor.ID), idsOf(pub[2].ID, pub[4].ID), "2", "1"},
			// Without an offset, times are in the site's zone (Asia/Almaty, UTC+5).
			{"after=2026-03-23T09:00:00&before=2026-03-25T10:00:00", idsOf(pub[1].ID, pub[2].ID), "2", "1"},
			{"after=2026-03-23T00:00:00Z", idsOf(pub[0].ID, pub[1].ID, pub[2].ID), "3", "1"},
			{"orderby=title&order=asc&per_page=3", idsOf(pub[0].ID, f.locked.ID, pub[4].ID), "6", "2"},
			{"orderby=id&order=asc&per_page=2", idsOf(pub[0].ID, pub[1].ID), "6", "3"},
			{"orderby=date&order=asc&per_page=1", idsOf(f.locked.ID), "6", "6"},
			{"orderby=slug&per_page=1", idsOf(pub[2].ID), "6", "6"},
			{"orderby=modified&per_page=6", "", "6", "1"},
			{"slug=" + pub[2].Slug + "," + pub[4].Slug, idsOf(pub[2].ID, pub[4].ID), "2", "1"},
			{"lang=ru", idsOf(pub[3].ID), "1", "1"},
			{"status=publish&per_page=1", idsOf(pub[0].ID), "6", "6"},
		}
		for _, c := range cases {
			var got []post
			resp := f.getJSON(t, "/wp-json/wp/v2/posts?"+c.query, "", 200, &got)
			if (c.want != "" && ids(got) != c.want) || resp.Header.Get("X-WP-Total") != c.total || resp.Header.Get("X-WP-TotalPages") != c.pages {
				t.Errorf("?%s: got %s (total %s, pages %s), want %s (%s, %s)", c.query, ids(got), resp.Header.Get("X-WP-Total"), resp.Header.Get("X-WP-TotalPages"), c.want, c.total, c.pages)
			}
		}
		resp := f.getJSON(t, "/wp-json/wp/v2/posts?per_page=2&page=2", "", 200, nil)
		if l := resp.Header.Get("Link"); !strings.Contains(l, `posts?page=1&per_page=2>; rel="prev"`) || !strings.Contains(l, `posts?page=3&per_page=2>; rel="next"`) {
			t.Errorf("Link: %q", l)
		}

		for _, c := range []struct{ query, code string }{
			{"per_page=0", "rest_invalid_param"}, {"per_page=101", "rest_invalid_param"}, {"page=0", "rest_invalid_param"},
			{"page=7", "rest_post_invalid_page_number"}, {"orderby=relevance", "rest_invalid_param"}, {"order=up", "rest_invalid_param"},
			{"categories=x", "rest_invalid_param"}, {"tags=-", "rest_invalid_param"}, {"author=me", "rest_invalid_param"},
			{"after=yesterday", "rest_invalid_param"}, {"before=x", "rest_invalid_param"}, {"status=draft", "rest_invalid_param"},
		} {
			var e struct {
				Code string
				Data struct{ Status int }
			}
			f.getJSON(t, "/wp-json/wp/v2/posts?"+c.query, "", 400, &e)
			if e.Code != c.code || e.Data.Status != 400 {
				t.Errorf("?%s: %+v, want %s", c.query, e, c.code)
			}
		}

		// One post: dates in the site's zone and UTC, absolute links, the
		// featured image, and _embed.
		var p post
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d?_embed", pub[0].ID), "", 200, &p)
		if p.Date != "2026-03-25T14:00:00" || p.GMT != "2026-03-25T09:00:00" || p.FM != f.img.ID || p.Auth != f.aigerim.ID ||
			len(p.Cats) != 1 || p.Cats[0] != f.kz.ID || len(p.Tags) != 2 || !strings.Contains(p.Cont.Rendered, `href="https://timesca.example/about/"`) {
			t.Errorf("post: %+v", p)
		}
		if len(p.Embed["author"]) == 0 || len(p.Embed["wp:featuredmedia"]) == 0 || len(p.Embed["wp:term"]) == 0 {
			t.Fatalf("_embed: %v", p.Embed)
		}
		var terms [][]map[string]any
		must(t, json.Unmarshal(p.Embed["wp:term"], &terms))
		if len(terms) != 2 || len(terms[0]) != 1 || terms[0][0]["taxonomy"] != "category" || len(terms[1]) != 2 || terms[1][0]["taxonomy"] != "post_tag" {
			t.Errorf("embedded terms: %v", terms)
		}
		var authors []map[string]any
		must(t, json.Unmarshal(p.Embed["author"], &authors))
		if authors[0]["name"] != "Aigerim Sadykova" || authors[0]["meta"] != nil {
			t.Errorf("embedded author: %v", authors)
		}
		// Embedded objects have the embed context's fields: a subset of the full ones.
		for rel, file := range map[string]string{"author": "users.json", "wp:featuredmedia": "media.json"} {
			var got []any
			must(t, json.Unmarshal(p.Embed[rel], &got))
			full := union(loadWP(t, file).([]any)).(map[string]any)
			for k := range got[0].(map[string]any) {
				if _, ok := full[k]; !ok {
					t.Errorf("embedded %s has %q, which WordPress does not", rel, k)
				}
			}
		}
		var only post
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d?_embed=author", pub[0].ID), "", 200, &only)
		if len(only.Embed) != 1 || only.Embed["author"] == nil {
			t.Errorf("_embed=author: %v", only.Embed)
		}
		var plain post
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d", pub[0].ID), "", 200, &plain)
		if plain.Embed != nil {
			t.Errorf("embedded without _embed")
		}
		var locked post
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d", f.locked.ID), "", 200, &locked)
		if locked.Cont.Rendered != "" || !locked.Cont.Protected {
			t.Errorf("protected post: %+v", locked.Cont)
		}
		// Hidden and missing posts are WordPress's 404.
		for _, id := range []string{fmt.Sprint(f.draft.ID), fmt.Sprint(f.future.ID), "0", "x", "888888"} {
			var e struct{ Code string }
			f.getJSON(t, "/wp-json/wp/v2/posts/"+id, "", 404, &e)
			if e.Code != "rest_post_invalid_id" {
				t.Errorf("post %s: %q", id, e.Code)
			}
		}
		// An imported post answers at its WordPress id, and with it.
		must(t, db.PutWPMap(context.Background(), "post", 29120, pub[1].ID, ""))
		f.getJSON(t, "/wp-json/wp/v2/posts/29120", "", 200, &p)
		if p.ID != 29120 || p.Slug != pub[1].Slug {
			t.Errorf("post by WordPress id: %d %s", p.ID, p.Slug)
		}
		var e struct{ Code string }
		f.getJSON(t, "/wp-json/wp/v2/comments", "", 404, &e)
		if e.Code != "rest_no_route" {
			t.Errorf("unknown route: %q", e.Code)
		}
	})
}

func TestWordPressTermsUsersMedia(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		type term struct {
			ID       int64
			Count    int
			Name     string
			Slug     string
			Taxonomy string
			Parent   int64
			Link     string
		}
		names := func(list []term) string {
			var s []string
			for _, x := range list {
				s = append(s, fmt.Sprintf("%s:%d", x.Slug, x.Count))
			}
			return strings.Join(s, " ")
		}
		for _, c := range []struct{ path, want, total string }{
			{"/wp-json/wp/v2/categories", "economy:3 kazakhstan:3 news:0", "3"},
			{"/wp-json/wp/v2/categories?per_page=1&page=2", "kazakhstan:3", "3"},
			{"/wp-json/wp/v2/categories?hide_empty=true", "economy:3 kazakhstan:3", "2"},
			{fmt.Sprintf("/wp-json/wp/v2/categories?parent=%d", f.news.ID), "kazakhstan:3", "1"},
			{"/wp-json/wp/v2/categories?parent=0", "economy:3 news:0", "2"},
			{fmt.Sprintf("/wp-json/wp/v2/categories?post=%d", f.pub[2].ID), "economy:3", "1"},
			{fmt.Sprintf("/wp-json/wp/v2/categories?post=%d", f.draft.ID), "", "0"},
			{"/wp-json/wp/v2/categories?search=KAZ", "kazakhstan:3", "1"},
			{"/wp-json/wp/v2/categories?slug=news,economy", "economy:3 news:0", "2"},
			{"/wp-json/wp/v2/categories?orderby=count&order=desc&per_page=1", "economy:3", "3"},
			{"/wp-json/wp/v2/categories?orderby=slug&order=desc", "news:0 kazakhstan:3 economy:3", "3"},
			{fmt.Sprintf("/wp-json/wp/v2/categories?orderby=include&include=%d,%d", f.kz.ID, f.news.ID), "kazakhstan:3 news:0", "2"},
			{"/wp-json/wp/v2/categories?orderby=id", "news:0 kazakhstan:3 economy:3", "3"},
			{"/wp-json/wp/v2/tags", "agriculture:1 banking:3 inflation:1", "3"},
			{"/wp-json/wp/v2/tags?orderby=count&order=desc&per_page=1", "banking:3", "3"},
			{fmt.Sprintf("/wp-json/wp/v2/tags?post=%d", f.pub[0].ID), "banking:3 inflation:1", "2"},
			{"/wp-json/wp/v2/tags?search=infl", "inflation:1", "1"},
			{"/wp-json/wp/v2/tags?slug=banking", "banking:3", "1"},
		} {
			var got []term
			resp := f.getJSON(t, c.path, "", 200, &got)
			if names(got) != c.want || resp.Header.Get("X-WP-Total") != c.total {
				t.Errorf("%s: %q (%s), want %q (%s)", c.path, names(got), resp.Header.Get("X-WP-Total"), c.want, c.total)
			}
		}
		var kz term
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/categories/%d", f.kz.ID), "", 200, &kz)
		if kz.Parent != f.news.ID || kz.Taxonomy != "category" || kz.Link != "https://timesca.example/category/news/kazakhstan/" {
			t.Errorf("category: %+v", kz)
		}
		var banking term
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/tags/%d", f.pub[0].Tags[0].ID), "", 200, &banking)
		if banking.Taxonomy != "post_tag" || banking.Count != 3 {
			t.Errorf("tag: %+v", banking)
		}
		for _, p := range []string{"/wp-json/wp/v2/categories/99999", "/wp-json/wp/v2/tags/99999", "/wp-json/wp/v2/tags/x"} {
			var e struct{ Code string }
			f.getJSON(t, p, "", 404, &e)
			if e.Code != "rest_term_invalid" {
				t.Errorf("%s: %q", p, e.Code)
			}
		}
		for _, p := range []string{"/wp-json/wp/v2/categories?per_page=101", "/wp-json/wp/v2/tags?orderby=date", "/wp-json/wp/v2/tags?parent=1", "/wp-json/wp/v2/categories?post=x"} {
			f.getJSON(t, p, "", 400, nil)
		}

		type user struct {
			ID         int64
			Name, Slug string
			Link       string
			Avatar     map[string]string `json:"avatar_urls"`
		}
		users := func(list []user) string {
			var s []string
			for _, u := range list {
				s = append(s, u.Slug)
			}
			return strings.Join(s, " ")
		}
		for _, c := range []struct{ q, want string }{
			{"", "aigerim-sadykova bakhtiyor-rasulov"},
			{"order=desc", "bakhtiyor-rasulov aigerim-sadykova"},
			{"search=bakh", "bakhtiyor-rasulov"},
			{"slug=aigerim-sadykova", "aigerim-sadykova"},
			{"per_page=1&page=2", "bakhtiyor-rasulov"},
			{"orderby=id&order=desc", "bakhtiyor-rasulov aigerim-sadykova"},
			{fmt.Sprintf("include=%d", f.bakhtiyor.ID), "bakhtiyor-rasulov"},
		} {
			var got []user
			f.getJSON(t, "/wp-json/wp/v2/users?"+c.q, "", 200, &got)
			if users(got) != c.want {
				t.Errorf("users?%s: %q, want %q", c.q, users(got), c.want)
			}
		}
		var u user
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/users/%d", f.aigerim.ID), "", 200, &u)
		if u.Name != "Aigerim Sadykova" || u.Link != "https://timesca.example/author/aigerim-sadykova/" || len(u.Avatar) != 3 {
			t.Errorf("user: %+v", u)
		}
		f.getJSON(t, "/wp-json/wp/v2/users/99999", "", 404, nil)
		f.getJSON(t, "/wp-json/wp/v2/users?orderby=email", "", 400, nil)

		type item struct {
			ID        int64
			SourceURL string `json:"source_url"`
			AltText   string `json:"alt_text"`
			Author    int64
			Details   struct {
				Width, Height int
				Sizes         map[string]struct{ Width int }
			} `json:"media_details"`
		}
		var items []item
		resp := f.getJSON(t, "/wp-json/wp/v2/media", "", 200, &items)
		if len(items) != 1 || resp.Header.Get("X-WP-Total") != "1" || items[0].AltText != "A square in Almaty" || items[0].Details.Width != 1200 ||
			items[0].Details.Sizes["full"].Width == 0 || items[0].Details.Sizes["thumbnail"].Width == 0 || !strings.HasPrefix(items[0].SourceURL, "https://timesca.example/media/") {
			t.Errorf("media: %+v", items)
		}
		f.getJSON(t, "/wp-json/wp/v2/media?search=almaty", "", 200, &items)
		if len(items) != 1 {
			t.Errorf("media search: %+v", items)
		}
		f.getJSON(t, "/wp-json/wp/v2/media?search=nothing", "", 200, &items)
		if len(items) != 0 {
			t.Errorf("media search for nothing: %+v", items)
		}
		f.getJSON(t, "/wp-json/wp/v2/media?page=2", "", 400, nil)
		var one item
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/media/%d", f.img.ID), "", 200, &one)
		if one.ID != f.img.ID {
			t.Errorf("media item: %+v", one)
		}
		f.getJSON(t, "/wp-json/wp/v2/media/99999", "", 404, nil)
	})
}
