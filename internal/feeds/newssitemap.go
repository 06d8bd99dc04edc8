package feeds

import (
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
)

// Google News reads articles of the last two days, at most 1,000 of them
// per sitemap.
const (
	NewsWindow = 48 * time.Hour
	NewsMax    = 1000
)

const newsNS = "http://www.google.com/schemas/sitemap-news/0.9"

type newsItem struct {
	Publication newsPublication `xml:"news:publication"`
	Date        string          `xml:"news:publication_date"`
	Title       string          `xml:"news:title"`
}

type newsPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

// NewsSitemap builds a Google News sitemap of articles (the caller picks
// those of the last NewsWindow, newest first); past NewsMax are dropped.
func NewsSitemap(siteName, siteURL string, articles []news.Article) ([]byte, error) {
	if len(articles) > NewsMax {
		articles = articles[:NewsMax]
	}
	doc := urlset{NS: sitemapNS, NewsNS: newsNS, URLs: make([]sitemapURL, 0, len(articles))}
	for _, a := range articles {
		lang := a.Lang
		if lang == "" {
			lang = "en"
		}
		doc.URLs = append(doc.URLs, sitemapURL{
			Loc:     links.Abs(siteURL, links.Article(a.Slug)),
			LastMod: lastmod(a.UpdatedAt),
			News: &newsItem{
				Publication: newsPublication{Name: siteName, Language: lang},
				Date:        rfc3339(a.PublishedAt),
				Title:       a.Title,
			},
		})
	}
	return marshalXML(doc)
}
