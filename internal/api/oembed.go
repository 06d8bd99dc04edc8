package api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// The oEmbed provider at WordPress's address, /wp-json/oembed/1.0/embed
// ?url=…&format=json|xml&maxwidth=…, so an article's link unfurls as a
// card in other sites and messengers: a rich type whose html is
// WordPress's own (a blockquote linking to the article, for readers
// without frames, and a sandboxed iframe of /{slug}/embed/). Every value
// in the html is escaped.

// oembedJSON is the answer, members in WordPress's order.
type oembedJSON struct {
	XMLName         xml.Name `json:"-" xml:"oembed"`
	Version         string   `json:"version" xml:"version"`
	ProviderName    string   `json:"provider_name" xml:"provider_name"`
	ProviderURL     string   `json:"provider_url" xml:"provider_url"`
	AuthorName      string   `json:"author_name" xml:"author_name"`
	AuthorURL       string   `json:"author_url" xml:"author_url"`
	Title           string   `json:"title" xml:"title"`
	Type            string   `json:"type" xml:"type"`
	Width           int      `json:"width" xml:"width"`
	Height          int      `json:"height" xml:"height"`
	HTML            string   `json:"html" xml:"html"`
	ThumbnailURL    string   `json:"thumbnail_url,omitempty" xml:"thumbnail_url,omitempty"`
	ThumbnailWidth  int      `json:"thumbnail_width,omitempty" xml:"thumbnail_width,omitempty"`
	ThumbnailHeight int      `json:"thumbnail_height,omitempty" xml:"thumbnail_height,omitempty"`
}

// oembed is GET /wp-json/oembed/1.0/embed.
func (a *API) oembed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "xml" {
		wpInvalid(w, "format", "format is not one of json, xml.")
		return
	}
	width := 600
	if s := q.Get("maxwidth"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			wpInvalid(w, "maxwidth", "maxwidth is not of type integer.")
			return
		}
		width = min(max(n, 200), 600) // WordPress's bounds
	}
	height := max((width*9+15)/16, 200)
	ar, ok := a.oembedArticle(r, q.Get("url"))
	if !ok {
		wpError(w, http.StatusNotFound, "oembed_invalid_url", "Not Found", nil)
		return
	}
	permalink := links.Abs(a.cfg.SiteURL, links.Article(ar.Slug))
	out := oembedJSON{Version: "1.0", ProviderName: a.cfg.SiteName, ProviderURL: links.Abs(a.cfg.SiteURL, links.Home),
		Title: ar.Title, Type: "rich", Width: width, Height: height}
	if len(ar.Authors) > 0 {
		out.AuthorName, out.AuthorURL = ar.Authors[0].Name, links.Abs(a.cfg.SiteURL, links.Author(ar.Authors[0].Slug))
	} else {
		out.AuthorName, out.AuthorURL = a.cfg.SiteName, out.ProviderURL
	}
	if ar.Password == "" && ar.Image != nil && ar.Image.URL != "" {
		out.ThumbnailURL, out.ThumbnailWidth, out.ThumbnailHeight = links.Abs(a.cfg.SiteURL, ar.Image.URL), ar.Image.Width, ar.Image.Height
	}
	out.HTML = embedHTML(permalink, links.Abs(a.cfg.SiteURL, links.ArticleEmbed(ar.Slug)), ar.Title, a.cfg.SiteName, width, height)
	if format == "xml" {
		b, err := xml.Marshal(out)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=60")
		w.Write([]byte(xml.Header))
		w.Write(b)
		return
	}
	a.reply(w, r, http.StatusOK, out)
}

// embedHTML is WordPress's embed markup: a blockquote with the link, and
// a sandboxed iframe of the embed page sharing a secret with it (WordPress's
// wp-embed script pairs them by it). Every value is escaped.
func embedHTML(permalink, embedURL, title, siteName string, width, height int) string {
	b := make([]byte, 5)
	rand.Read(b)
	secret := hex.EncodeToString(b)[:10]
	e := html.EscapeString
	return `<blockquote class="wp-embedded-content" data-secret="` + secret + `"><a href="` + e(permalink) + `">` + e(title) + `</a></blockquote>` +
		`<iframe sandbox="allow-scripts" security="restricted" src="` + e(embedURL+"#?secret="+secret) + `" width="` + strconv.Itoa(width) +
		`" height="` + strconv.Itoa(height) + `" title="` + e("“"+title+"” — "+siteName) + `" data-secret="` + secret +
		`" frameborder="0" marginwidth="0" marginheight="0" scrolling="no" class="wp-embedded-content"></iframe>`
}

// oembedArticle finds the visible article an address of this site names:
// its permalink, with or without the site's scheme and host.
func (a *API) oembedArticle(r *http.Request, raw string) (news.Article, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || raw == "" {
		return news.Article{}, false
	}
	site, _ := url.Parse(a.cfg.SiteURL)
	if u.Host != "" && site != nil && !strings.EqualFold(u.Host, site.Host) {
		return news.Article{}, false
	}
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	slug, ok := links.ArticleSlug(p)
	if !ok {
		return news.Article{}, false
	}
	ar, err := a.db.ArticleBySlug(r.Context(), slug)
	if err != nil || !ar.VisibleAt(a.now()) {
		return news.Article{}, false
	}
	if kind, err := a.db.ArticleKind(r.Context(), ar.ID); err != nil || kind != store.KindArticle && kind != store.KindPage {
		return news.Article{}, false
	}
	return ar, true
}
