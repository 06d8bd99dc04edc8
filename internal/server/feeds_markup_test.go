package server_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Names and titles with markup must reach feed readers, many of which
// render <title>, <category> and dc:creator as HTML, as plain words: a
// tag named <b>x</b><script>…</script> or a title with an <img onerror>
// would otherwise run in the reader. Every format is read back with a
// feed parser, which decodes what the encoder escaped.
func TestFeedTextFieldsArePlain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sec := news.Section{Name: `Econ<svg onload=alert(3)>`, ParentID: f.kz.ParentID}
		must(t, db.SaveSection(context.Background(), &sec))
		eve := news.Author{Name: `<i>Eve</i> &amp; Co`}
		must(t, db.SaveAuthor(context.Background(), &eve))
		a := &news.Article{Title: `Budget <img src=x onerror=alert(1)> passes`, BodySource: "Text.", Status: news.StatusPublished,
			PublishedAt: testNow.Add(-time.Minute), SectionID: sec.ID, Authors: []news.Author{eve},
			Tags: []news.Tag{{Name: `<b>x</b><script>alert(2)</script>`}}}
		f.save(t, a)
		full, err := db.ArticleByID(context.Background(), a.ID)
		must(t, err)
		tagFeed := "/tag/" + full.Tags[0].Slug + "/feed/"
		for _, path := range []string{"/feed/", "/feed/atom/", "/feed/json/", tagFeed, tagFeed + "atom/", tagFeed + "json/"} {
			resp, body := f.get(t, path)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			for _, markup := range []string{"<script", "&lt;script", "<img", "&lt;img", "<svg", "&lt;svg", "<b>", "&lt;b&gt;", "<i>", "&lt;i&gt;", "alert("} {
				// Slugs in links may spell the words; no text may.
				if strings.Contains(linkless(body), markup) {
					t.Errorf("%s carries %q outside its links", path, markup)
				}
			}
			feed, err := gofeed.NewParser().ParseString(body)
			must(t, err)
			it := feed.Items[0]
			if it.Title != "Budget passes" {
				t.Errorf("%s: item title %q", path, it.Title)
			}
			if !slices.Contains(it.Categories, "x") || !slices.Contains(it.Categories, "Econ") {
				t.Errorf("%s: categories %q, want the plain names x and Econ", path, it.Categories)
			}
			if len(it.Authors) == 0 || it.Authors[0].Name != "Eve & Co" {
				t.Errorf("%s: authors %+v, want Eve & Co (entities decoded once)", path, it.Authors)
			}
			fields := append([]string{feed.Title, feed.Description, it.Title, it.Description}, it.Categories...)
			for _, au := range it.Authors {
				fields = append(fields, au.Name)
			}
			for _, s := range fields {
				if strings.ContainsAny(s, "<>") {
					t.Errorf("%s: a text field reads as markup: %q", path, s)
				}
			}
			if strings.HasPrefix(path, "/tag/") && !strings.HasPrefix(feed.Title, "x – ") {
				t.Errorf("%s: channel title %q", path, feed.Title)
			}
		}
	})
}

// linkless is a feed without its URLs, whose slugs spell out whatever a
// title or a name said.
func linkless(body string) string {
	return urlRe.ReplaceAllString(body, "")
}

var urlRe = regexp.MustCompile(`http://localhost:8080/[^"<\s]*`)
