package server_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"dastan/internal/feeds/feedstest"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

const site = "http://localhost:8080" // the default DASTAN_SITE_URL

// addTranslated adds an English story with a featured image and its
// Russian translation, both newer than the fixture's articles.
func addTranslated(t *testing.T, f *fixture) (en, ru *news.Article) {
	en = &news.Article{Title: "Water talks in Tashkent", BodySource: "Ministers met <about> the Amu Darya.", Status: news.StatusPublished,
		PublishedAt: testNow.Add(-2 * time.Hour), Tags: []news.Tag{{Name: "Water"}},
		Image: &news.Figure{URL: "/static/demo-1.svg", Alt: "The river", Width: 800, Height: 450}}
	f.save(t, en)
	ru = &news.Article{Title: "Переговоры о воде", Slug: "peregovory-o-vode", Lang: "ru", BodySource: "Министры встретились.",
		Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour), TranslationOf: en.ID}
	f.save(t, ru)
	return en, ru
}

func parseFeed(t *testing.T, f *fixture, path string) (*gofeed.Feed, *http.Response) {
	t.Helper()
	resp, body := f.get(t, path)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d", path, resp.StatusCode)
	}
	feed, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, body)
	}
	return feed, resp
}

func TestFeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		addTranslated(t, f)
		formats := map[string]struct{ suffix, ctype, kind string }{
			"rss":  {"", "application/rss+xml", "rss"},
			"rss2": {"rss2/", "application/rss+xml", "rss"},
			"atom": {"atom/", "application/atom+xml", "atom"},
			"json": {"json/", "application/feed+json", "json"},
		}
		feedsOf := []struct {
			base, link, title string
			items             int
			first             string
		}{
			// The English edition's feeds carry English articles only; the
			// Russian edition's, Russian ones, under its own names.
			{"/feed/", "/", "The Times of Central Asia", 20, "Water talks in Tashkent"},
			{"/category/news/kazakhstan/feed/", "/category/news/kazakhstan/", "Kazakhstan – The Times of Central Asia", 20, "Water talks in Tashkent"},
			{"/category/news/feed/", "/category/news/", "News – The Times of Central Asia", 20, "Water talks in Tashkent"},
			{"/tag/energy/feed/", "/tag/energy/", "Energy – The Times of Central Asia", 20, "Pipeline story 0"},
			{"/author/aigerim-sadykova/feed/", "/author/aigerim-sadykova/", "Aigerim Sadykova – The Times of Central Asia", 20, "Water talks in Tashkent"},
			{"/ru/feed/", "/ru/", "The Times of Central Asia", 1, "Переговоры о воде"},
			{"/ru/category/news/feed/", "/ru/category/news/", "Новости – The Times of Central Asia", 1, "Переговоры о воде"},
			{"/feed/?lang=all", "/", "The Times of Central Asia", 20, "Переговоры о воде"},
			{"/feed/?lang=en", "/", "The Times of Central Asia", 20, "Water talks in Tashkent"},
			{"/tag/water/feed/?lang=en", "/tag/water/", "Water – The Times of Central Asia", 1, "Water talks in Tashkent"},
		}
		for _, fo := range feedsOf {
			for name, fm := range formats {
				path := fo.base + fm.suffix
				if i := strings.Index(fo.base, "?"); i >= 0 {
					path = fo.base[:i] + fm.suffix + fo.base[i:]
				}
				feed, resp := parseFeed(t, f, path)
				if !strings.HasPrefix(resp.Header.Get("Content-Type"), fm.ctype) || feed.FeedType != fm.kind {
					t.Errorf("%s: %s parsed as %s", path, resp.Header.Get("Content-Type"), feed.FeedType)
				}
				if feed.Title != fo.title || feed.Link != site+fo.link || len(feed.Items) != fo.items {
					t.Errorf("%s (%s): title %q link %q, %d items", path, name, feed.Title, feed.Link, len(feed.Items))
					continue
				}
				it := feed.Items[0]
				if it.Title != fo.first || !strings.HasPrefix(it.Link, site+"/") || it.PublishedParsed == nil || it.PublishedParsed.IsZero() {
					t.Errorf("%s: first item %q %q %v", path, it.Title, it.Link, it.PublishedParsed)
				}
				if len(it.Authors) == 0 || it.Authors[0].Name != "Aigerim Sadykova" {
					t.Errorf("%s: authors %v", path, it.Authors)
				}
				if !strings.Contains(it.Content, "<p>") {
					t.Errorf("%s: no full text: %q", path, it.Content)
				}
			}
		}

		// Full text, enclosure and dates of one item, in each format.
		for _, suffix := range []string{"", "atom/", "json/"} {
			feed, _ := parseFeed(t, f, "/tag/water/feed/"+suffix)
			it := feed.Items[0]
			if !strings.Contains(it.Content, "Ministers met") || len(it.Enclosures) != 1 || it.Enclosures[0].URL != site+"/static/demo-1.svg" || it.Enclosures[0].Type != "image/svg+xml" {
				t.Errorf("%s: content %q enclosures %+v", suffix, it.Content, it.Enclosures)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(testNow.Add(-2*time.Hour)) {
				t.Errorf("%s: published %v", suffix, it.PublishedParsed)
			}
		}

		for _, path := range []string{"/tag/nothing/feed/", "/author/nobody/feed/", "/category/nowhere/feed/", "/de/feed/", "/feed/?lang=de", "/feed/xml/", "/feed/?lang=<x>"} {
			if resp, _ := f.get(t, path); resp.StatusCode != 404 {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}
		if resp, _ := f.get(t, "/feed"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/feed/" {
			t.Errorf("/feed: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestFeedsAndSitemapsAnswerConditionalRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, path := range []string{"/feed/", "/feed/atom/", "/feed/json/", "/tag/energy/feed/", "/sitemap.xml", "/sitemap-articles-1.xml", "/sitemap-news.xml"} {
			resp, _ := f.get(t, path)
			etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if resp.StatusCode != 200 || etag == "" || lm == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
				t.Fatalf("%s: %d etag %q last-modified %q", path, resp.StatusCode, etag, lm)
			}
			if resp, body := f.get(t, path, "If-None-Match", etag); resp.StatusCode != 304 || body != "" {
				t.Errorf("%s with If-None-Match: %d", path, resp.StatusCode)
			}
			if resp, _ := f.get(t, path, "If-Modified-Since", lm); resp.StatusCode != 304 {
				t.Errorf("%s with If-Modified-Since: %d", path, resp.StatusCode)
			}
			old := testNow.Add(-90 * 24 * time.Hour).Format(http.TimeFormat)
			if resp, _ := f.get(t, path, "If-Modified-Since", old); resp.StatusCode != 200 {
				t.Errorf("%s modified since %s: %d", path, old, resp.StatusCode)
			}
		}
		// A new article changes the feed and its validators.
		resp, _ := f.get(t, "/feed/")
		addTranslated(t, f)
		if resp2, _ := f.get(t, "/feed/", "If-None-Match", resp.Header.Get("ETag")); resp2.StatusCode != 200 {
			t.Errorf("feed after a new article: %d", resp2.StatusCode)
		}
	})
}

func TestSitemaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		en, _ := addTranslated(t, f)
		hidden := &news.Article{Title: "Draft story", BodySource: "x", Status: news.StatusDraft, PublishedAt: testNow.Add(-time.Hour)}
		f.save(t, hidden)

		resp, body := f.get(t, "/sitemap.xml")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("/sitemap.xml: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		feedstest.Validate(t, feedstest.SitemapIndex, []byte(body))
		var index struct {
			Maps []struct {
				Loc     string `xml:"loc"`
				LastMod string `xml:"lastmod"`
			} `xml:"sitemap"`
		}
		must(t, xml.Unmarshal([]byte(body), &index))
		var locs []string
		for _, m := range index.Maps {
			locs = append(locs, strings.TrimPrefix(m.Loc, site))
			if m.LastMod == "" {
				t.Errorf("%s has no lastmod", m.Loc)
			}
		}
		want := "/sitemap-articles-1.xml /sitemap-sections.xml /sitemap-tags-1.xml /sitemap-authors-1.xml /sitemap-news.xml"
		if strings.Join(locs, " ") != want {
			t.Fatalf("index lists %v, want %s", locs, want)
		}

		counts := map[string]int{"/sitemap-articles-1.xml": 25, "/sitemap-sections.xml": 3, "/sitemap-tags-1.xml": 2, "/sitemap-authors-1.xml": 1}
		for path, n := range counts {
			resp, body := f.get(t, path)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			schema := feedstest.Sitemap
			if path == "/sitemap-articles-1.xml" {
				schema = feedstest.SitemapAlternates
			}
			feedstest.Validate(t, schema, []byte(body))
			if got := strings.Count(body, "<url>"); got != n {
				t.Errorf("%s: %d URLs, want %d", path, got, n)
			}
			if strings.Count(body, "<lastmod>") != n {
				t.Errorf("%s: not every URL has a lastmod", path)
			}
		}
		_, body = f.get(t, "/sitemap-articles-1.xml")
		expect(t, body, "<loc>"+site+"/pipeline-story-0/</loc>", "<loc>"+site+"/peregovory-o-vode/</loc>")
		checkSitemapAlternates(t, body, en.Slug)
		if strings.Contains(body, "draft-story") {
			t.Error("a draft is in the sitemap")
		}
		_, body = f.get(t, "/sitemap-sections.xml")
		expect(t, body, "<loc>"+site+"/</loc>", "<loc>"+site+"/category/news/</loc>", "<loc>"+site+"/category/news/kazakhstan/</loc>")

		// The News sitemap: the last 48 hours only.
		_, body = f.get(t, "/sitemap-news.xml")
		feedstest.Validate(t, feedstest.NewsSitemap, []byte(body))
		expect(t, body, `xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`, "<news:name>The Times of Central Asia</news:name>",
			"<news:language>ru</news:language>", "<news:title>Переговоры о воде</news:title>", "pipeline-story-1/")
		if n := strings.Count(body, "<news:news>"); n != 4 || strings.Contains(body, "pipeline-story-2/") {
			t.Errorf("news sitemap has %d entries, want the 4 of the last 48 hours", n)
		}

		for _, path := range []string{"/sitemap-articles-2.xml", "/sitemap-tags-2.xml", "/sitemap-articles-0.xml", "/sitemap-articles-01.xml", "/sitemap-pages-1.xml"} {
			if resp, _ := f.get(t, path); resp.StatusCode != 404 {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}

		resp, body = f.get(t, "/robots.txt")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("/robots.txt: %d", resp.StatusCode)
		}
		expect(t, body, "User-agent: *", "Sitemap: "+site+"/sitemap.xml", "Sitemap: "+site+"/sitemap-news.xml")
	})
}

var ldRe = regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`)

// jsonLD returns the page's JSON-LD objects by @type.
func jsonLD(t *testing.T, body string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range ldRe.FindAllStringSubmatch(body, -1) {
		var v map[string]any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		if v["@context"] != "https://schema.org" {
			t.Errorf("JSON-LD @context = %v", v["@context"])
		}
		out[v["@type"].(string)] = v
	}
	return out
}

func TestPageMetadata(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		en, _ := addTranslated(t, f)
		tricky := &news.Article{Title: `Closing </script><script>alert(1)</script> "tags"`, Slug: "tricky", BodySource: "x",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-3 * time.Hour)}
		f.save(t, tricky)

		_, body := f.get(t, "/"+en.Slug+"/")
		expect(t, body,
			`<link rel="canonical" href="`+site+`/water-talks-in-tashkent/">`,
			`<meta name="description" content="`,
			`<meta property="og:type" content="article">`,
			`<meta property="og:title" content="Water talks in Tashkent">`,
			`<meta property="og:url" content="`+site+`/water-talks-in-tashkent/">`,
			`<meta property="og:image" content="`+site+`/static/demo-1.svg">`,
			`<meta property="article:published_time" content="2026-11-27T07:00:00Z">`,
			`<meta property="article:modified_time" content="`,
			`<meta property="article:section" content="Kazakhstan">`,
			`<meta property="article:tag" content="Water">`,
			`<meta property="article:author" content="`+site+`/author/aigerim-sadykova/">`,
			`<meta name="twitter:card" content="summary_large_image">`,
			`<meta name="twitter:title" content="Water talks in Tashkent">`,
			`<link rel="alternate" hreflang="en" href="`+site+`/water-talks-in-tashkent/">`,
			`<link rel="alternate" hreflang="ru" href="`+site+`/peregovory-o-vode/">`,
			`<link rel="alternate" hreflang="x-default" href="`+site+`/water-talks-in-tashkent/">`,
			`<link rel="alternate" type="application/rss+xml"`,
		)
		ld := jsonLD(t, body)
		art := ld["NewsArticle"]
		if art == nil {
			t.Fatal("no NewsArticle JSON-LD")
		}
		for _, k := range []string{"headline", "image", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage"} {
			if art[k] == nil {
				t.Errorf("NewsArticle lacks %s", k)
			}
		}
		if art["headline"] != "Water talks in Tashkent" || art["datePublished"] != "2026-11-27T07:00:00Z" {
			t.Errorf("NewsArticle %v", art)
		}
		if img := art["image"].([]any); len(img) != 1 || img[0] != site+"/static/demo-1.svg" {
			t.Errorf("image %v", art["image"])
		}
		if au := art["author"].([]any)[0].(map[string]any); au["@type"] != "Person" || au["name"] != "Aigerim Sadykova" || au["url"] != site+"/author/aigerim-sadykova/" {
			t.Errorf("author %v", au)
		}
		if pub := art["publisher"].(map[string]any); pub["name"] != "The Times of Central Asia" {
			t.Errorf("publisher %v", pub)
		}
		crumbs := ld["BreadcrumbList"]["itemListElement"].([]any)
		var names []string
		for i, c := range crumbs {
			c := c.(map[string]any)
			if c["position"] != float64(i+1) || !strings.HasPrefix(c["item"].(string), site+"/") {
				t.Errorf("crumb %v", c)
			}
			names = append(names, c["name"].(string))
		}
		if strings.Join(names, " › ") != "Home › News › Kazakhstan › Water talks in Tashkent" {
			t.Errorf("breadcrumbs %v", names)
		}

		// The Russian version points back; an untranslated story has no hreflang.
		_, body = f.get(t, "/peregovory-o-vode/")
		expect(t, body, `hreflang="en" href="`+site+`/water-talks-in-tashkent/"`, `<meta property="og:locale" content="ru_RU">`)
		_, body = f.get(t, "/pipeline-story-3/")
		if strings.Contains(body, `<link rel="alternate" hreflang`) {
			t.Error("hreflang on an untranslated article")
		}
		expect(t, body, `<meta name="twitter:card" content="summary">`)

		// Titles cannot close the JSON-LD script.
		_, body = f.get(t, "/tricky/")
		if strings.Contains(body, "<script>alert(1)") {
			t.Fatal("a title broke out of the JSON-LD script")
		}
		if jsonLD(t, body)["NewsArticle"]["headline"] != tricky.Title {
			t.Error("the headline did not survive escaping")
		}

		// Listings: Open Graph, a description, breadcrumbs and their feeds.
		for path, want := range map[string][]string{
			"/":                          {"WebSite"},
			"/category/news/kazakhstan/": {"BreadcrumbList", "Home", "News", "Kazakhstan"},
			"/tag/energy/page/2/":        {"BreadcrumbList", "Home", "Tag: Energy"},
			"/author/aigerim-sadykova/":  {"BreadcrumbList", "Home", "Aigerim Sadykova"},
			"/2026/11/":                  {"BreadcrumbList", "Home", "Archive: November 2026"},
		} {
			_, body := f.get(t, path)
			expect(t, body, `<meta property="og:type" content="website">`, `<meta name="description" content="`, `<meta name="twitter:card" content="summary">`)
			ld := jsonLD(t, body)
			if ld[want[0]] == nil {
				t.Errorf("%s: no %s JSON-LD", path, want[0])
				continue
			}
			if want[0] == "BreadcrumbList" {
				var names []string
				for _, c := range ld["BreadcrumbList"]["itemListElement"].([]any) {
					names = append(names, c.(map[string]any)["name"].(string))
				}
				if strings.Join(names, "|") != strings.Join(want[1:], "|") {
					t.Errorf("%s: breadcrumbs %v", path, names)
				}
			}
			if path != "/2026/11/" {
				feedPath := strings.Split(path, "page/")[0] + "feed/"
				expect(t, body, `type="application/rss+xml" title="`, `href="`+site+feedPath+`"`, `href="`+site+feedPath+`atom/"`, `href="`+site+feedPath+`json/"`)
			}
		}
	})
}

// checkSitemapAlternates checks the articles sitemap's hreflang
// alternates: the translated story's two URLs each list both language
// versions, themselves included, and no other URL lists any.
func checkSitemapAlternates(t *testing.T, body, enSlug string) {
	t.Helper()
	if !strings.Contains(body, `xmlns:xhtml="http://www.w3.org/1999/xhtml"`) {
		t.Errorf("the articles sitemap does not declare xmlns:xhtml")
	}
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Rel      string `xml:"rel,attr"`
				HrefLang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	must(t, xml.Unmarshal([]byte(body), &set))
	en, ru := site+"/"+enSlug+"/", site+"/peregovory-o-vode/"
	want := "alternate en " + en + "; alternate ru " + ru + "; "
	seen := 0
	for _, u := range set.URLs {
		var got strings.Builder
		for _, l := range u.Links {
			got.WriteString(l.Rel + " " + l.HrefLang + " " + l.Href + "; ")
		}
		switch u.Loc {
		case en, ru:
			seen++
			if got.String() != want {
				t.Errorf("%s lists alternates %q, want %q", u.Loc, got.String(), want)
			}
		default:
			if got.Len() > 0 {
				t.Errorf("%s, which has no translation, lists alternates %q", u.Loc, got.String())
			}
		}
	}
	if seen != 2 {
		t.Errorf("found %d of the translated story's 2 URLs in the sitemap", seen)
	}
}
