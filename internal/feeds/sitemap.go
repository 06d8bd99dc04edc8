package feeds

import (
	"encoding/xml"
	"time"
)

// MaxURLs is the most URLs one sitemap may list (sitemaps.org).
const MaxURLs = 50000

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// xhtmlNS is the namespace of the hreflang alternates Google reads in
// sitemaps (developers.google.com/search/docs/specialty/international).
const xhtmlNS = "http://www.w3.org/1999/xhtml"

// URL is one entry of a sitemap: an absolute location and when it last
// changed (zero leaves lastmod out).
type URL struct {
	Loc     string
	LastMod time.Time
	// Alternates are the page's language versions, itself included, for
	// a page that has any.
	Alternates []Alternate
}

// Alternate is one language version of a sitemap's page.
type Alternate struct {
	Lang string // "en", "ru"
	Loc  string
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	NewsNS  string       `xml:"xmlns:news,attr,omitempty"`
	XHTMLNS string       `xml:"xmlns:xhtml,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	News    *newsItem `xml:"news:news"`
	Links   []xhtmlLink
}

type xhtmlLink struct {
	XMLName  xml.Name `xml:"xhtml:link"`
	Rel      string   `xml:"rel,attr"`
	HrefLang string   `xml:"hreflang,attr"`
	Href     string   `xml:"href,attr"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// Sitemap builds one sitemap (a urlset) of at most MaxURLs URLs; callers
// page longer lists.
func Sitemap(urls []URL) ([]byte, error) {
	doc := urlset{NS: sitemapNS, URLs: make([]sitemapURL, 0, len(urls))}
	for _, u := range urls {
		su := sitemapURL{Loc: u.Loc, LastMod: lastmod(u.LastMod)}
		for _, a := range u.Alternates {
			su.Links = append(su.Links, xhtmlLink{Rel: "alternate", HrefLang: a.Lang, Href: a.Loc})
			doc.XHTMLNS = xhtmlNS
		}
		doc.URLs = append(doc.URLs, su)
	}
	return marshalXML(doc)
}

// SitemapIndex builds the index that names each sitemap and when it last
// changed.
func SitemapIndex(maps []URL) ([]byte, error) {
	doc := sitemapIndex{NS: sitemapNS, Sitemaps: make([]sitemapURL, 0, len(maps))}
	for _, m := range maps {
		doc.Sitemaps = append(doc.Sitemaps, sitemapURL{Loc: m.Loc, LastMod: lastmod(m.LastMod)})
	}
	return marshalXML(doc)
}

func lastmod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
