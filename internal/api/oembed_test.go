package api_test

import (
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// The oEmbed provider answers for this site's articles with WordPress's
// embed markup, every value escaped, in JSON and XML.
func TestOEmbed(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"), api.Limits{})
	a := f.save(t, news.Article{Title: `Tom & "Jerry" <script>alert(1)</script>`, BodySource: "Text.", Status: news.StatusPublished,
		PublishedAt: testNow.Add(-time.Hour), SectionID: f.kz.ID, Authors: []news.Author{f.aigerim}}, f.users[auth.Editor])
	link := "https://timesca.example/" + a.Slug + "/"
	var o struct {
		Version, Type, Title, HTML string
		ProviderName               string `json:"provider_name"`
		AuthorName                 string `json:"author_name"`
		Width, Height              int
	}
	f.getJSON(t, "/wp-json/oembed/1.0/embed?url="+url.QueryEscape(link)+"&maxwidth=400", "", 200, &o)
	if o.Version != "1.0" || o.Type != "rich" || o.Title != a.Title || o.AuthorName != "Aigerim Sadykova" || o.Width != 400 || o.Height != 225 {
		t.Errorf("oEmbed: %+v", o)
	}
	for _, want := range []string{`<blockquote class="wp-embedded-content"`, `<a href="` + link + `">Tom &amp; &#34;Jerry&#34; &lt;script&gt;`,
		`<iframe sandbox="allow-scripts" security="restricted" src="https://timesca.example/` + a.Slug + `/embed/#?secret=`, `width="400" height="225"`} {
		if !strings.Contains(o.HTML, want) {
			t.Errorf("html lacks %s:\n%s", want, o.HTML)
		}
	}
	if strings.Contains(o.HTML, "<script") {
		t.Errorf("unescaped markup in the embed: %s", o.HTML)
	}
	resp, b := f.call(t, "GET", "/wp-json/oembed/1.0/embed?format=xml&url="+url.QueryEscape("/"+a.Slug+"/"), "", nil)
	var x struct {
		Title string `xml:"title"`
		HTML  string `xml:"html"`
	}
	if err := xml.Unmarshal(b, &x); err != nil || resp.StatusCode != 200 || x.Title != a.Title || !strings.Contains(resp.Header.Get("Content-Type"), "text/xml") {
		t.Errorf("xml: %d %v %+v", resp.StatusCode, err, x)
	}
	for _, bad := range []string{"https://elsewhere.example/" + a.Slug + "/", "https://timesca.example/no-such-story/", "https://timesca.example/" + f.draft.Slug + "/", ""} {
		var e struct{ Code string }
		f.getJSON(t, "/wp-json/oembed/1.0/embed?url="+url.QueryEscape(bad), "", 404, &e)
		if e.Code != "oembed_invalid_url" {
			t.Errorf("%q: %q", bad, e.Code)
		}
	}
	var e struct{ Code string }
	f.getJSON(t, "/wp-json/oembed/1.0/embed?format=html&url="+url.QueryEscape(link), "", 400, &e)
	var index struct{ Namespaces []string }
	f.getJSON(t, "/wp-json/", "", 200, &index)
	if b, _ := json.Marshal(index.Namespaces); string(b) != `["oembed/1.0","wp/v2"]` {
		t.Errorf("namespaces %s", b)
	}
}
