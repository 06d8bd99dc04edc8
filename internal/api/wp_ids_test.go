package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// importPage brings a WordPress page over as the importer does, with its
// WordPress id.
func importPage(t *testing.T, db *store.DB, wpID int64, title, slug string) news.Article {
	t.Helper()
	a := &news.Article{Title: title, Slug: slug, BodySource: "<p>An independent newsroom.</p>", BodyFormat: news.FormatHTML, Lang: "en",
		Status: news.StatusPublished, PublishedAt: testNow.Add(-30 * 24 * time.Hour), UpdatedAt: testNow.Add(-30 * 24 * time.Hour)}
	must(t, news.Prepare(a, 200, nil))
	must(t, db.WriteWPItems(context.Background(), []*store.WPItem{{WPID: wpID, MapKind: "page", Kind: store.KindPage, Article: a}}, testNow))
	return *a
}

// Pages, and the types, taxonomies and statuses that describe them, in
// WordPress 6.1's shapes (hand-made from its source: see testdata/wp).
func TestWordPressPagesTypesStatuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		var none []any
		if resp := f.getJSON(t, "/wp-json/wp/v2/pages", "", 200, &none); len(none) != 0 || resp.Header.Get("X-WP-Total") != "0" {
			t.Fatalf("pages before any: %v, total %q", none, resp.Header.Get("X-WP-Total"))
		}
		about := importPage(t, db, 7, "About us", "about")
		importPage(t, db, 9, "Contacts", "contacts")
		for _, c := range []struct{ path, file string }{
			{"/wp-json/wp/v2/pages?slug=about", "pages.json"},
			{"/wp-json/wp/v2/types", "types.json"},
			{"/wp-json/wp/v2/taxonomies", "taxonomies.json"},
			{"/wp-json/wp/v2/statuses", "statuses.json"},
		} {
			_, b := f.call(t, "GET", c.path, "", nil)
			var got any
			must(t, json.Unmarshal(b, &got))
			for _, d := range sameShape("", loadWP(t, c.file), got) {
				t.Errorf("%s against %s: %s", c.path, c.file, d)
			}
		}
		type page struct {
			ID    int64
			Slug  string
			Type  string
			Title struct{ Rendered string }
			Link  string
		}
		var pages []page
		resp := f.getJSON(t, "/wp-json/wp/v2/pages?per_page=1&orderby=slug&order=asc", "", 200, &pages)
		if len(pages) != 1 || pages[0].Slug != "about" || pages[0].ID != 7 || resp.Header.Get("X-WP-Total") != "2" || resp.Header.Get("X-WP-TotalPages") != "2" {
			t.Fatalf("pages: %+v, total %s", pages, resp.Header.Get("X-WP-Total"))
		}
		var one page
		f.getJSON(t, "/wp-json/wp/v2/pages/7", "", 200, &one)
		if one.Title.Rendered != "About us" || one.Type != "page" || one.Link != "https://timesca.example/about/" {
			t.Errorf("page 7: %+v", one)
		}
		// A page is not a post, nor a post a page, and a page's Dastan id
		// is not its address once it has a WordPress one.
		var e struct{ Code string }
		const offset = 9 // the largest imported WordPress post id: Dastan's ids are above it
		for _, p := range []string{"/wp-json/wp/v2/posts/7", fmt.Sprintf("/wp-json/wp/v2/pages/%d", f.pub[0].ID+offset), fmt.Sprintf("/wp-json/wp/v2/pages/%d", about.ID+offset)} {
			f.getJSON(t, p, "", 404, &e)
			if e.Code != "rest_post_invalid_id" {
				t.Errorf("%s: %q", p, e.Code)
			}
		}
		var st struct{ Code string }
		f.getJSON(t, "/wp-json/wp/v2/statuses/draft", "", 401, &st)
		f.getJSON(t, "/wp-json/wp/v2/types/page", "", 200, &struct{}{})
		f.getJSON(t, "/wp-json/wp/v2/taxonomies/nav_menu", "", 404, &st)
	})
}

// After an import, every id the WordPress API sends or reads is
// WordPress's for what came from WordPress, and what Dastan made is
// numbered above the largest imported id, so tools that kept WordPress's
// ids keep working and no two things share an id.
func TestWordPressIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		ctx := context.Background()
		type term struct {
			ID     int64
			Slug   string
			Parent int64
		}
		var tags []term
		f.getJSON(t, "/wp-json/wp/v2/tags?slug=banking", "", 200, &tags)
		if len(tags) != 1 {
			t.Fatalf("tags: %+v", tags)
		}
		banking := tags[0].ID
		// What an import of the old site recorded.
		must(t, db.PutWPMap(ctx, "post", 29120, f.pub[1].ID, ""))
		must(t, db.PutWPMap(ctx, "category", 3, f.kz.ID, ""))
		must(t, db.PutWPMap(ctx, "category", 2, f.news.ID, ""))
		must(t, db.PutWPMap(ctx, "tag", 5, banking, ""))
		must(t, db.PutWPMap(ctx, "author", 2, f.aigerim.ID, ""))
		const postOffset, termOffset, authorOffset = 29120, 5, 2

		type post struct {
			ID         int64
			Author     int64
			Categories []int64
			Tags       []int64
			Links      map[string][]struct{ Href string } `json:"_links"`
		}
		var p post
		f.getJSON(t, "/wp-json/wp/v2/posts/29120", "", 200, &p)
		if p.ID != 29120 || p.Author != 2 || len(p.Categories) != 1 || p.Categories[0] != 3 || !containsInt(p.Tags, 5) {
			t.Errorf("imported post: %+v", p)
		}
		if self := p.Links["self"][0].Href; self != "https://timesca.example/wp-json/wp/v2/posts/29120" {
			t.Errorf("self link %s", self)
		}
		native := f.pub[2] // made in Dastan, in Economy, by Bakhtiyor
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d", native.ID+postOffset), "", 200, &p)
		if p.ID != native.ID+postOffset || p.Author != f.bakhtiyor.ID+authorOffset || p.Categories[0] != f.economy.ID+termOffset {
			t.Errorf("Dastan's post: %+v", p)
		}
		var e struct{ Code string }
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d", f.pub[1].ID), "", 404, &e) // its Dastan id no longer names it

		var list []post
		f.getJSON(t, "/wp-json/wp/v2/posts?categories=3&tags=5&author=2&per_page=100", "", 200, &list)
		if len(list) == 0 {
			t.Fatal("filters by WordPress ids find nothing")
		}
		for _, x := range list {
			if x.Categories[0] != 3 || !containsInt(x.Tags, 5) || x.Author != 2 {
				t.Errorf("filtered post %+v", x)
			}
		}
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts?categories=%d", f.economy.ID+termOffset), "", 200, &list)
		if len(list) == 0 || list[0].Categories[0] != f.economy.ID+termOffset {
			t.Errorf("filter by a Dastan section: %+v", list)
		}
		f.getJSON(t, "/wp-json/wp/v2/posts?categories=4", "", 200, &list) // neither imported nor above the offset
		if len(list) != 0 {
			t.Errorf("categories=4 finds %d", len(list))
		}

		// A translation made in Dastan of the imported post: the Russian
		// listing, which does not hold the original, names both versions
		// by WordPress's ids, as the post's own answer does.
		ru := f.save(t, news.Article{Title: "Тенге стабилизировался", Slug: "tenge-stabilizirovalsya", Lang: "ru", BodySource: "Абзац.",
			Status: news.StatusPublished, PublishedAt: f.pub[1].PublishedAt, TranslationOf: f.pub[1].ID}, f.users[auth.Editor])
		type versions struct {
			ID           int64
			Translations map[string]int64
		}
		want := fmt.Sprint(map[string]int64{"en": 29120, "ru": ru.ID + postOffset})
		var one versions
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d", ru.ID+postOffset), "", 200, &one)
		var ruList []versions
		f.getJSON(t, "/wp-json/wp/v2/posts?lang=ru&per_page=100", "", 200, &ruList)
		found := false
		for _, x := range ruList {
			if x.ID == ru.ID+postOffset {
				found = true
				if got := fmt.Sprint(x.Translations); got != want || fmt.Sprint(one.Translations) != want {
					t.Errorf("translation's versions: listed %s, alone %v, want %s", got, one.Translations, want)
				}
			}
		}
		if !found {
			t.Errorf("the translation is not in the Russian listing: %+v", ruList)
		}

		var cat term
		f.getJSON(t, "/wp-json/wp/v2/categories/3", "", 200, &cat)
		if cat.Slug != "kazakhstan" || cat.Parent != 2 {
			t.Errorf("category 3: %+v", cat)
		}
		var terms []term
		f.getJSON(t, "/wp-json/wp/v2/categories?post=29120", "", 200, &terms)
		if len(terms) != 1 || terms[0].ID != 3 {
			t.Errorf("categories of post 29120: %+v", terms)
		}
		f.getJSON(t, "/wp-json/wp/v2/tags?include=5", "", 200, &terms)
		if len(terms) != 1 || terms[0].Slug != "banking" {
			t.Errorf("tags include=5: %+v", terms)
		}
		var users []struct{ ID int64 }
		f.getJSON(t, "/wp-json/wp/v2/users?include=2", "", 200, &users)
		if len(users) != 1 || users[0].ID != 2 {
			t.Errorf("users include=2: %+v", users)
		}
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/users/%d", f.bakhtiyor.ID+authorOffset), "", 200, &struct{}{})
	})
}

func containsInt(list []int64, x int64) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}
