package feeds_test

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"dastan/internal/feeds"
	"dastan/internal/feeds/feedstest"
	"dastan/internal/news"
)

const siteURL = "https://timesca.example"

var (
	pub = time.Date(2026, 3, 26, 8, 30, 0, 0, time.UTC)
	upd = pub.Add(3 * time.Hour)
)

func sample() (feeds.Channel, []news.Article) {
	c := feeds.Channel{SiteName: "The Times of Central Asia", SiteURL: siteURL, Title: "Uzbekistan – The Times of Central Asia",
		Link: siteURL + "/category/news/uzbekistan/", Self: siteURL + "/category/news/uzbekistan/feed/", Description: "From Uzbekistan.",
		Lang: "en", Sections: map[int64]news.Section{7: {ID: 7, Name: "Uzbekistan"}}}
	au := news.Author{ID: 1, Slug: "aigerim-sadykova", Name: "Aigerim Sadykova"}
	arts := []news.Article{
		{ID: 2, Slug: "tashkent-metro", Title: "Tashkent metro <extends> & grows", Lang: "en", SectionID: 7,
			BodyHTML: `<p>The <a href="/tag/transport/">line</a> opens.</p><figure><img src="/media/2026/03/map.png" alt=""><figcaption>Map</figcaption></figure><p>Ends ]]> here.</p>`,
			Excerpt:  "The line opens.", PublishedAt: pub, UpdatedAt: upd, Authors: []news.Author{au},
			Tags:  []news.Tag{{Name: "Transport"}, {Name: "Tashkent"}},
			Image: &news.Figure{URL: "/media/2026/03/metro.jpg", Alt: "A train"}},
		{ID: 1, Slug: "members-only", Title: "Members only", Lang: "ru", SectionID: 7, BodyHTML: "<p>The secret paragraph.</p>",
			Excerpt: "The secret paragraph.", Password: "open sesame", PublishedAt: pub.Add(-time.Hour), UpdatedAt: pub.Add(-time.Hour)},
	}
	return c, arts
}

// checkParsed asserts what every format must carry, as a feed reader
// (gofeed) sees it.
func checkParsed(t *testing.T, f *gofeed.Feed, c feeds.Channel) {
	t.Helper()
	if f.Title != c.Title || f.Link != c.Link {
		t.Errorf("feed title/link = %q %q", f.Title, f.Link)
	}
	if f.Language != "en" {
		t.Errorf("language = %q", f.Language)
	}
	if len(f.Items) != 2 {
		t.Fatalf("%d items", len(f.Items))
	}
	it := f.Items[0]
	// A title is plain text in a feed: what looks like a tag is dropped
	// (readers render titles as HTML), a bare & stays a character.
	if it.Title != "Tashkent metro & grows" || it.Link != siteURL+"/tashkent-metro/" {
		t.Errorf("item title/link = %q %q", it.Title, it.Link)
	}
	for _, want := range []string{`<a href="` + siteURL + `/tag/transport/">line</a>`, `src="` + siteURL + `/media/2026/03/map.png"`, "Ends ]]> here."} {
		if !strings.Contains(it.Content, want) {
			t.Errorf("full text lacks %q: %q", want, it.Content)
		}
	}
	if it.PublishedParsed == nil || !it.PublishedParsed.Equal(pub) {
		t.Errorf("published = %v", it.PublishedParsed)
	}
	if len(it.Authors) != 1 || it.Authors[0].Name != "Aigerim Sadykova" {
		t.Errorf("authors = %v", it.Authors)
	}
	if len(it.Enclosures) != 1 || it.Enclosures[0].URL != siteURL+"/media/2026/03/metro.jpg" || it.Enclosures[0].Type != "image/jpeg" {
		t.Errorf("enclosures = %+v", it.Enclosures)
	}
	if strings.Join(it.Categories, ",") != "Uzbekistan,Transport,Tashkent" {
		t.Errorf("categories = %v", it.Categories)
	}
	if strings.Contains(f.Items[1].Content, "secret") || strings.Contains(f.Items[1].Description, "secret") {
		t.Error("a protected article's text is in the feed")
	}
}

func TestRSS(t *testing.T) {
	c, arts := sample()
	b, err := feeds.RSS(c, arts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(string(b))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if f.FeedType != "rss" || f.FeedVersion != "2.0" {
		t.Errorf("type %s %s", f.FeedType, f.FeedVersion)
	}
	checkParsed(t, f, c)
	if f.Items[0].GUID != siteURL+"/tashkent-metro/" || f.UpdatedParsed == nil || !f.UpdatedParsed.Equal(upd) {
		t.Errorf("guid %q, lastBuildDate %v", f.Items[0].GUID, f.UpdatedParsed)
	}
	for _, want := range []string{`<atom:link href="` + c.Self + `" rel="self"`, `<enclosure url="` + siteURL + `/media/2026/03/metro.jpg" length="0" type="image/jpeg">`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("RSS lacks %q", want)
		}
	}
}

func TestAtom(t *testing.T) {
	c, arts := sample()
	b, err := feeds.Atom(c, arts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(string(b))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if f.FeedType != "atom" {
		t.Errorf("type %s", f.FeedType)
	}
	checkParsed(t, f, c)
	it := f.Items[0]
	if it.GUID != siteURL+"/tashkent-metro/" || it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(upd) || !f.UpdatedParsed.Equal(upd) {
		t.Errorf("id %q updated %v feed updated %v", it.GUID, it.UpdatedParsed, f.UpdatedParsed)
	}
	// RFC 4287 wants an author for every entry: the feed's stands in.
	if len(f.Authors) != 1 || f.Authors[0].Name != c.SiteName {
		t.Errorf("feed authors %v", f.Authors)
	}
	if !strings.Contains(string(b), `<link href="`+c.Self+`" rel="self"`) {
		t.Error("no self link")
	}
}

func TestJSONFeed(t *testing.T) {
	c, arts := sample()
	b, err := feeds.JSONFeed(c, arts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(string(b))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if f.FeedType != "json" || f.FeedVersion != "https://jsonfeed.org/version/1.1" || f.FeedLink != c.Self {
		t.Errorf("type %s %s, feed_url %q", f.FeedType, f.FeedVersion, f.FeedLink)
	}
	checkParsed(t, f, c)
	if f.Items[0].Image == nil || f.Items[0].Image.URL != siteURL+"/media/2026/03/metro.jpg" {
		t.Errorf("image %v", f.Items[0].Image)
	}
	if f.Items[1].Content == "" {
		t.Error("an item needs content_html or content_text")
	}
}

func TestEmptyFeeds(t *testing.T) {
	c, _ := sample()
	for name, build := range map[string]func(feeds.Channel, []news.Article) ([]byte, error){"rss": feeds.RSS, "atom": feeds.Atom, "json": feeds.JSONFeed} {
		b, err := build(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		f, err := gofeed.NewParser().ParseString(string(b))
		if err != nil || f.Title != c.Title || len(f.Items) != 0 {
			t.Errorf("%s: %v %v", name, err, f)
		}
	}
}

func TestSitemaps(t *testing.T) {
	urls := []feeds.URL{{Loc: siteURL + "/", LastMod: upd}, {Loc: siteURL + "/tashkent-metro/?a=1&b=2", LastMod: pub}, {Loc: siteURL + "/no-date/"}}
	b, err := feeds.Sitemap(urls)
	if err != nil {
		t.Fatal(err)
	}
	feedstest.Validate(t, feedstest.Sitemap, b)
	if !strings.Contains(string(b), "<lastmod>2026-03-26T11:30:00Z</lastmod>") || !strings.Contains(string(b), "?a=1&amp;b=2") {
		t.Errorf("sitemap:\n%s", b)
	}
	b, err = feeds.SitemapIndex(urls[:1])
	if err != nil {
		t.Fatal(err)
	}
	feedstest.Validate(t, feedstest.SitemapIndex, b)
	// The schemas catch what is wrong, too.
	bad := strings.Replace(string(b), "<loc>", "<where>", 1)
	bad = strings.Replace(bad, "</loc>", "</where>", 1)
	ft := &fakeT{TB: t}
	feedstest.Validate(ft, feedstest.SitemapIndex, []byte(bad))
	if !ft.failed {
		t.Error("an index without <loc> passed the schema")
	}
}

// fakeT records a failure instead of failing.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Errorf(string, ...any) { f.failed = true }

func TestNewsSitemap(t *testing.T) {
	_, arts := sample()
	var many []news.Article
	for i := 0; i < feeds.NewsMax+5; i++ {
		a := arts[0]
		a.Slug = fmt.Sprintf("story-%d", i)
		if i%2 == 1 {
			a.Lang = "ru"
		}
		many = append(many, a)
	}
	b, err := feeds.NewsSitemap("The Times of Central Asia", siteURL, many)
	if err != nil {
		t.Fatal(err)
	}
	feedstest.Validate(t, feedstest.NewsSitemap, b)
	var doc struct {
		URLs []struct {
			Loc  string `xml:"loc"`
			News struct {
				Name  string `xml:"publication>name"`
				Lang  string `xml:"publication>language"`
				Date  string `xml:"publication_date"`
				Title string `xml:"title"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.URLs) != feeds.NewsMax {
		t.Fatalf("%d entries, want %d", len(doc.URLs), feeds.NewsMax)
	}
	n := doc.URLs[1].News
	if n.Name != "The Times of Central Asia" || n.Lang != "ru" || n.Date != "2026-03-26T08:30:00Z" || n.Title != arts[0].Title {
		t.Errorf("news entry %+v", n)
	}
}

func TestRobots(t *testing.T) {
	got := string(feeds.Robots(siteURL, "/sitemap.xml", "/sitemap-news.xml"))
	for _, want := range []string{"User-agent: *\n", "Disallow: /newsroom/\n", "Sitemap: " + siteURL + "/sitemap.xml\n", "Sitemap: " + siteURL + "/sitemap-news.xml\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, got)
		}
	}
}
