package feeds

import (
	"encoding/xml"
	"time"
)

// MaxURLs is the most URLs one sitemap may list (sitemaps.org).
const MaxURLs = 50000

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// URL is one entry of a sitemap: an absolute location and when it last
// changed (zero leaves lastmod out).
type URL struct {
	Loc     string
	LastMod time.Time
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	NewsNS  string       `xml:"xmlns:news,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	News    *newsItem `xml:"news:news"`
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
		doc.URLs = append(doc.URLs, sitemapURL{Loc: u.Loc, LastMod: lastmod(u.LastMod)})
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
