package wordpress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

const themeUnitTest = "testdata/themeunittestdata.wordpress.xml"

func readFixture(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(themeUnitTest)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readAll reads every record, stopping at the first error.
func readAll(data []byte) ([]Record, error) {
	r := NewReader(bytes.NewReader(data))
	var recs []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

type export struct {
	site       *Site
	authors    []*AuthorRec
	categories map[string]*Category
	tags       map[string]*TagRec
	terms      []*Term
	items      map[int64]*Item
	order      []*Item
}

func collect(t *testing.T, data []byte) *export {
	t.Helper()
	recs, err := readAll(data)
	if err != nil {
		t.Fatal(err)
	}
	e := &export{categories: map[string]*Category{}, tags: map[string]*TagRec{}, items: map[int64]*Item{}}
	for i, rec := range recs {
		switch v := rec.(type) {
		case *Site:
			if i != 0 {
				t.Errorf("Site is record %d, want 0", i)
			}
			e.site = v
		case *AuthorRec:
			e.authors = append(e.authors, v)
		case *Category:
			e.categories[v.Slug] = v
		case *TagRec:
			e.tags[v.Slug] = v
		case *Term:
			e.terms = append(e.terms, v)
		case *Item:
			e.items[v.ID] = v
			e.order = append(e.order, v)
		default:
			t.Fatalf("unexpected record %T", rec)
		}
	}
	return e
}

func TestThemeUnitTestExport(t *testing.T) {
	data := readFixture(t)
	e := collect(t, data)

	want := Site{
		Title:       "Theme Unit Test Data",
		Link:        "https://wpthemetestdata.wordpress.com",
		Description: "Just another WordPress website with a purposefully really long description",
		Language:    "en",
		WXRVersion:  "1.2",
		BaseSiteURL: "https://wordpress.com/",
		BaseBlogURL: "https://wpthemetestdata.wordpress.com",
	}
	if e.site == nil || *e.site != want {
		t.Errorf("site = %+v\nwant %+v", e.site, want)
	}

	// Counted in the file with grep; the fixture's README rounds them differently.
	types := map[string]int{}
	statuses := map[string]int{}
	comments, meta, sticky := 0, 0, 0
	for _, it := range e.order {
		types[it.Type]++
		statuses[it.Status]++
		comments += len(it.Comments)
		meta += len(it.PostMeta)
		if it.Sticky {
			sticky++
		}
	}
	wantTypes := map[string]int{"post": 51, "page": 21, "attachment": 38, "nav_menu_item": 70}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("post types = %v, want %v", types, wantTypes)
	}
	wantStatuses := map[string]int{"publish": 140, "inherit": 38, "draft": 1, "future": 1}
	if !reflect.DeepEqual(statuses, wantStatuses) {
		t.Errorf("statuses = %v, want %v", statuses, wantStatuses)
	}
	// The export lists 18 nav menu items twice under the same post_id, so
	// an importer must treat post_id as a key, not count on it being unique.
	if len(e.order) != 180 || len(e.items) != 162 {
		t.Errorf("items = %d (%d distinct IDs), want 180 (162)", len(e.order), len(e.items))
	}
	seen := map[int64]bool{}
	for _, it := range e.order {
		if seen[it.ID] && it.Type != "nav_menu_item" {
			t.Errorf("item %d (%s) repeated", it.ID, it.Type)
		}
		seen[it.ID] = true
	}
	if len(e.categories) != 67 || len(e.tags) != 110 || len(e.terms) != 6 || len(e.authors) != 2 {
		t.Errorf("categories %d tags %d terms %d authors %d, want 67 110 6 2",
			len(e.categories), len(e.tags), len(e.terms), len(e.authors))
	}
	if comments != 32 || meta != 723 || sticky != 1 {
		t.Errorf("comments %d postmeta %d sticky %d, want 32 723 1", comments, meta, sticky)
	}

	a := e.authors[1]
	if *a != (AuthorRec{Login: "themereviewteam", Email: "themereviewteam@gmail.com", DisplayName: "Theme Reviewer", FirstName: "Theme", LastName: "Review"}) {
		t.Errorf("author = %+v", a)
	}

	// Parent chains, walked by slug.
	chain := func(slug string) []string {
		var out []string
		for slug != "" && len(out) < 10 {
			out = append([]string{slug}, out...)
			c := e.categories[slug]
			if c == nil {
				t.Fatalf("category %q missing", slug)
			}
			slug = c.Parent
		}
		return out
	}
	if got := chain("grandchild-category"); !reflect.DeepEqual(got, []string{"parent-category", "child-category-03", "grandchild-category"}) {
		t.Errorf("grandchild chain = %v", got)
	}
	if got := chain("child-2"); !reflect.DeepEqual(got, []string{"parent", "child-1", "child-2"}) {
		t.Errorf("child-2 chain = %v", got)
	}
	if c := e.categories["child-category-03"]; c.Name != "Child Category 03" || c.TermID != 158081321 ||
		c.Description != "This is a description for the Child Category 03." {
		t.Errorf("child-category-03 = %+v", c)
	}
	if tg := e.tags["8bit"]; tg == nil || *tg != (TagRec{TermID: 695220, Slug: "8bit", Name: "8BIT", Description: "Tags posts about 8BIT."}) {
		t.Errorf("tag 8bit = %+v", tg)
	}
	if tm := e.terms[0]; *tm != (Term{TermID: 161107798, Taxonomy: "nav_menu", Slug: "all-pages", Name: "All Pages"}) {
		t.Errorf("first term = %+v", tm)
	}

	sticky1241 := e.items[1241]
	if sticky1241.Title != "Template: Sticky" || !sticky1241.Sticky {
		t.Errorf("1241 = %q sticky %v", sticky1241.Title, sticky1241.Sticky)
	}

	draft := e.items[1164]
	if draft.Title != "Draft" || draft.Status != "draft" || draft.Name != "" ||
		draft.Content != "This post is drafted and not published yet.\n\nIt should not be displayed by the theme." {
		t.Errorf("draft = %+v", draft)
	}
	if got := draft.CategorySlugs(); !reflect.DeepEqual(got, []string{"classic", "unpublished"}) {
		t.Errorf("draft categories = %v", got)
	}
	if got := draft.TagSlugs(); !reflect.DeepEqual(got, []string{"content-2"}) {
		t.Errorf("draft tags = %v", got)
	}
	if draft.Terms[1].Name != "content περιεχόμενο" {
		t.Errorf("non-ASCII term name = %q", draft.Terms[1].Name)
	}
	// The site is seven hours behind GMT in these dates.
	if got := draft.PostDate.Format(time.RFC3339); got != "2013-04-09T11:20:39-07:00" {
		t.Errorf("draft PostDate = %s", got)
	}
	if got := draft.PublishedGMT(); !got.Equal(time.Date(2013, 4, 9, 18, 20, 39, 0, time.UTC)) {
		t.Errorf("draft PublishedGMT = %s", got)
	}

	pw := e.items[1168]
	if pw.Password != "enter" || len(pw.Comments) != 1 || pw.Link != "https://wpthemetestdata.wordpress.com/2012/01/04/template-password-protected/" {
		t.Errorf("password post = %+v", pw)
	}
	wantComment := Comment{
		ID: 926, Author: "Jane Doe", AuthorEmail: "example@example.org", AuthorURL: "http://example.org/",
		DateGMT:  time.Date(2013, 3, 14, 18, 56, 8, 0, time.UTC),
		Content:  "This comment should not be visible until the password is entered.",
		Approved: "1",
	}
	got := pw.Comments[0]
	if !got.Date.Equal(wantComment.DateGMT) || got.Date.Hour() != 11 {
		t.Errorf("comment date = %s", got.Date)
	}
	got.Date = time.Time{}
	if got != wantComment {
		t.Errorf("comment = %+v\nwant %+v", got, wantComment)
	}

	if c := e.items[1148]; c.Title != "Template: Comments" || len(c.Comments) != 20 {
		t.Errorf("1148 = %q with %d comments, want Template: Comments with 20", c.Title, len(c.Comments))
	}
	pings := 0
	for _, c := range e.items[1149].Comments {
		if c.Type == "pingback" {
			pings++
		}
	}
	if pings != 2 {
		t.Errorf("pingbacks on 1149 = %d, want 2", pings)
	}

	future := e.items[1153]
	if future.Status != "future" || !future.PublishedGMT().Equal(time.Date(2030, 1, 1, 19, 0, 18, 0, time.UTC)) {
		t.Errorf("future post = %s %s", future.Status, future.PublishedGMT())
	}

	greek := 0
	for _, it := range e.order {
		if strings.ContainsAny(it.Title, "ΕλΠ") {
			greek++
		}
	}
	if greek != 3 {
		t.Errorf("Greek titles = %d, want 3", greek)
	}
	if p := e.items[1809]; p == nil || p.Title != "Ελληνικά-Greek" || p.Type != "page" || p.PostDateGMT.IsZero() {
		t.Errorf("page 1809 = %+v", p)
	}

	// Every item's Offset points at its own <item> tag in the file.
	for _, it := range e.order {
		if !bytes.HasPrefix(data[it.Offset:], []byte("<item>")) {
			t.Fatalf("item %d: Offset %d points at %q", it.ID, it.Offset, data[it.Offset:it.Offset+10])
		}
		if line := bytes.Count(data[:it.Offset], []byte("\n")) + 1; line != it.Line {
			t.Fatalf("item %d: Line %d, want %d", it.ID, it.Line, line)
		}
	}

	var thumbs, attached, alts int
	for _, it := range e.order {
		if it.ThumbnailID() != 0 {
			thumbs++
			if att := e.items[it.ThumbnailID()]; att != nil && att.Type != "attachment" {
				t.Errorf("item %d: thumbnail %d is a %s", it.ID, it.ThumbnailID(), att.Type)
			}
		}
		if it.Type == "attachment" {
			if !strings.HasPrefix(it.AttachmentURL, "https://wpthemetestdata.files.wordpress.com/") || it.Parent < 0 {
				t.Errorf("attachment %d: url %q", it.ID, it.AttachmentURL)
			}
			if it.Meta("_wp_attachment_image_alt") != "" {
				alts++
			}
			attached++
		}
	}
	if thumbs != 5 || attached != 38 || alts != 29 {
		t.Errorf("items with thumbnails %d, attachments %d, with alt text %d; want 5 38 29", thumbs, attached, alts)
	}
}

// Exports from other WordPress versions differ in the namespace URI (http or
// https, 1.0 to 1.2) and the version string; they must read the same.
func TestNamespaceVariants(t *testing.T) {
	data := readFixture(t)
	base, err := readAll(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ scheme, version string }{
		{"http", "1.2"}, {"http", "1.1"}, {"https", "1.1"}, {"http", "1.0"}, {"HTTPS", "1.0"},
	} {
		t.Run(v.scheme+"-"+v.version, func(t *testing.T) {
			s := strings.ReplaceAll(string(data), "https://wordpress.org/export/1.2/", v.scheme+"://wordpress.org/export/"+v.version+"/")
			s = strings.Replace(s, "<wp:wxr_version>1.2<", "<wp:wxr_version>"+v.version+"<", 1)
			if s == string(data) {
				t.Fatal("nothing rewritten")
			}
			recs, err := readAll([]byte(s))
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(base) {
				t.Fatalf("%d records, want %d", len(recs), len(base))
			}
			site := *recs[0].(*Site)
			if site.WXRVersion != v.version {
				t.Errorf("version %q", site.WXRVersion)
			}
			site.WXRVersion = "1.2"
			if site != *base[0].(*Site) {
				t.Errorf("site differs: %+v", site)
			}
			for i := 1; i < len(recs); i++ {
				if it, ok := recs[i].(*Item); ok {
					it.Offset = base[i].(*Item).Offset // the URIs' lengths differ
				}
				if got, want := fmt.Sprintf("%+v", recs[i]), fmt.Sprintf("%+v", base[i]); got != want {
					t.Fatalf("record %d differs:\n%.300s\n%.300s", i, got, want)
				}
			}
		})
	}
}

func TestNotAnExport(t *testing.T) {
	for name, doc := range map[string]string{
		"rss feed": `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>News</title><link>https://example.com</link><item><title>Hello</title></item></channel></rss>`,
		"html page": "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>Hi</title></head><body><p>Hello<br></body></html>",
		"empty":     "",
		"json":      `{"posts": []}`,
		"sitemap":   `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.com/</loc></url></urlset>`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := readAll([]byte(doc))
			if !errors.Is(err, ErrNotExport) {
				t.Fatalf("err = %v, want ErrNotExport", err)
			}
			if !strings.HasPrefix(err.Error(), "wordpress: not a WordPress export") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestCutOff(t *testing.T) {
	data := readFixture(t)
	at := func(marker string, plus int) int {
		i := bytes.Index(data, []byte(marker))
		if i < 0 {
			t.Fatalf("marker %q not in fixture", marker)
		}
		return i + plus
	}
	for _, c := range []struct {
		name   string
		cut    int
		within string
	}{
		{"mid-cdata", at("<![CDATA[This post is drafted", 20), `inside <item> "Draft"`},
		{"mid-tag", at("<wp:post_type>post</wp:post_type>\n  <wp:post_password>enter", 6), `inside <item> "Template: Password Protected`},
		{"mid-item", at("<item>\n  <title>Template: Sticky", 40), `inside <item>`},
		{"between-items", at("<item>\n  <title>Template: Sticky", 0), `inside <channel>`},
		{"mid-category", at("<wp:category_nicename>child-2", 10), `inside <wp:category>`},
		{"in-header", at("<wp:base_blog_url>", 5), `inside <channel>`},
		{"before-rss-closes", len(data) - len("</rss>\n"), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := readAll(data[:c.cut])
			if !errors.Is(err, ErrCutOff) {
				t.Fatalf("err = %v, want ErrCutOff", err)
			}
			line := bytes.Count(data[:c.cut], []byte("\n")) + 1
			wantPrefix := fmt.Sprintf("wordpress: export is cut off at line %d", line)
			if !strings.HasPrefix(err.Error(), wantPrefix) || !strings.Contains(err.Error(), c.within) {
				t.Errorf("err = %q\nwant %q … %q", err, wantPrefix, c.within)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	data := readFixture(t)
	bad := []byte("<wp:post_type>post</wp:post_typo>")
	i := bytes.Index(data, []byte("<wp:post_type>post</wp:post_type>\n  <wp:post_password>enter"))
	broken := append(append(append([]byte{}, data[:i]...), bad...), data[i+len(bad):]...)
	_, err := readAll(broken)
	var pe *PositionError
	if !errors.As(err, &pe) || pe.CutOff {
		t.Fatalf("err = %v, want a malformed PositionError", err)
	}
	line := bytes.Count(data[:i], []byte("\n")) + 1
	want := fmt.Sprintf("wordpress: malformed XML at line %d, column %d (inside <item> \"Template: Password Protected (the password is \\\"enter\\\")\"): element <post_type> closed by </post_typo>", line, len("  "+string(bad))+1)
	if err.Error() != want {
		t.Errorf("err = %q\nwant %q", err, want)
	}
}

// A small export exercising what the fixture lacks: unset GMT dates, SEO
// meta, characters XML forbids.
const smallExport = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>The Times of Central Asia</title>
	<link>https://timesca.example</link>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://timesca.example</wp:base_site_url>
	<wp:base_blog_url>https://timesca.example</wp:base_blog_url>
	<generator>https://wordpress.org/?v=6.7</generator>
	<item>
		<title><![CDATA[Tengri &amp; Tokayev]]></title>
		<link>https://timesca.example/2025/03/26/tengri/</link>
		<pubDate>Wed, 26 Mar 2025 04:30:00 +0000</pubDate>
		<dc:creator><![CDATA[editor]]></dc:creator>
		<content:encoded><![CDATA[Body]]]]><![CDATA[>tail]]></content:encoded>
		<excerpt:encoded><![CDATA[Short]]></excerpt:encoded>
		<wp:post_id>10</wp:post_id>
		<wp:post_date><![CDATA[2025-03-26 09:30:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2025-03-26 04:30:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[tengri]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:is_sticky>0</wp:is_sticky>
		<wp:postmeta><wp:meta_key><![CDATA[_yoast_wpseo_title]]></wp:meta_key><wp:meta_value><![CDATA[%%title%% %%sep%% %%sitename%%]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[rank_math_description]]></wp:meta_key><wp:meta_value><![CDATA[About %title%.]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[11]]></wp:meta_value></wp:postmeta>
	</item>
	<item>
		<title><![CDATA[Черновик` + "\x0b" + `статьи` + "\xff" + `]]></title>
		<link>https://timesca.example/?p=12</link>
		<pubDate>Mon, 30 Nov -0001 00:00:00 +0000</pubDate>
		<dc:creator><![CDATA[editor]]></dc:creator>
		<content:encoded><![CDATA[Текст` + "\x00" + `]]></content:encoded>
		<wp:post_id>12</wp:post_id>
		<wp:post_date><![CDATA[2025-03-27 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
		<wp:status><![CDATA[draft]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:postmeta><wp:meta_key><![CDATA[_aioseop_title]]></wp:meta_key><wp:meta_value><![CDATA[Plain title]]></wp:meta_value></wp:postmeta>
	</item>
</channel>
</rss>
`

func TestSmallExport(t *testing.T) {
	r := NewReader(strings.NewReader(smallExport))
	var items []*Item
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if it, ok := rec.(*Item); ok {
			items = append(items, it)
		}
	}
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	pub, draft := items[0], items[1]
	if pub.Title != "Tengri &amp; Tokayev" || pub.Content != "Body]]>tail" || pub.Excerpt != "Short" {
		t.Errorf("published = %q %q %q", pub.Title, pub.Content, pub.Excerpt)
	}
	if title, desc := pub.SEO(); title != "Tengri &amp; Tokayev" || desc != "About Tengri &amp; Tokayev." {
		t.Errorf("SEO = %q, %q", title, desc)
	}
	if pub.ThumbnailID() != 11 || pub.Sticky {
		t.Errorf("thumbnail %d sticky %v", pub.ThumbnailID(), pub.Sticky)
	}
	if title, desc := draft.SEO(); title != "Plain title" || desc != "" {
		t.Errorf("draft SEO = %q, %q", title, desc)
	}

	if draft.Title != "Черновик статьи?" || draft.Content != "Текст " {
		t.Errorf("draft = %q %q", draft.Title, draft.Content)
	}
	if r.Replaced() != 3 {
		t.Errorf("Replaced = %d, want 3", r.Replaced())
	}
	// No GMT date and no pubDate: the post_date is read in the zone learned
	// from the item before (UTC+5, Almaty).
	if !draft.PostDateGMT.IsZero() || !draft.PubDate.IsZero() {
		t.Errorf("draft GMT %s pubDate %s, want zero", draft.PostDateGMT, draft.PubDate)
	}
	if got := draft.PublishedGMT(); !got.Equal(time.Date(2025, 3, 27, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("draft PublishedGMT = %s", got)
	}

	// A zone set by the caller wins over the learned one for such dates.
	r = NewReader(strings.NewReader(smallExport))
	r.Location = time.FixedZone("Tashkent", 5*3600)
	r.Location = time.UTC
	var last *Item
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		if it, ok := rec.(*Item); ok {
			last = it
		}
	}
	if got := last.PublishedGMT(); !got.Equal(time.Date(2025, 3, 27, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("with Location=UTC, draft PublishedGMT = %s", got)
	}
}

func TestWindows1251Export(t *testing.T) {
	// "Новости" in windows-1251.
	cp := "\xcd\xee\xe2\xee\xf1\xf2\xe8"
	doc := strings.Replace(smallExport, `encoding="UTF-8"`, `encoding="windows-1251"`, 1)
	doc = strings.Replace(doc, "Черновик\x0bстатьи\xff", cp, 1)
	doc = strings.Replace(doc, "Текст\x00", "", 1)
	recs, err := readAll([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[len(recs)-1].(*Item).Title; got != "Новости" {
		t.Errorf("title = %q", got)
	}
}

func TestErrorIsSticky(t *testing.T) {
	r := NewReader(strings.NewReader("<html></html>"))
	_, err1 := r.Next()
	_, err2 := r.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors %v, %v", err1, err2)
	}
}

func openFixture() (*os.File, error) { return os.Open(themeUnitTest) }
