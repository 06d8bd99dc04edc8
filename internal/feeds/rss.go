package feeds

import (
	"encoding/xml"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
)

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	DCNS      string     `xml:"xmlns:dc,attr"`
	AtomNS    string     `xml:"xmlns:atom,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Self          rssLink   `xml:"atom:link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	TTL           int       `xml:"ttl,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Creators    []string      `xml:"dc:creator"`
	Categories  []string      `xml:"category"`
	Description string        `xml:"description"`
	Content     *cdata        `xml:"content:encoded"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int    `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

// RSS builds an RSS 2.0 feed of articles, newest first, with each full
// text in content:encoded and the featured image as an enclosure.
func RSS(c Channel, articles []news.Article) ([]byte, error) {
	doc := rssDoc{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		DCNS:      "http://purl.org/dc/elements/1.1/",
		AtomNS:    "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			Title:       text(c.Title),
			Link:        c.Link,
			Self:        rssLink{Href: c.Self, Rel: "self", Type: "application/rss+xml"},
			Description: text(c.Description),
			Language:    c.Lang,
			Generator:   "Dastan",
			Items:       make([]rssItem, 0, len(articles)),
		},
	}
	if t := Updated(articles); !t.IsZero() {
		doc.Channel.LastBuildDate = t.UTC().Format(time.RFC1123Z)
	}
	for _, a := range articles {
		link := links.Abs(c.SiteURL, links.Article(a.Slug))
		it := rssItem{
			Title:       text(a.Title),
			Link:        link,
			GUID:        rssGUID{IsPermaLink: true, Value: link},
			PubDate:     a.PublishedAt.UTC().Format(time.RFC1123Z),
			Categories:  c.categories(a),
			Description: summary(a),
		}
		for _, au := range a.Authors {
			it.Creators = append(it.Creators, text(au.Name))
		}
		if body := c.content(a); body != "" {
			it.Content = &cdata{body}
		}
		if a.Image != nil && a.Image.URL != "" {
			// RSS requires a length; the image's size in bytes is not
			// stored, and 0 is what readers accept for "unknown".
			it.Enclosure = &rssEnclosure{URL: links.Abs(c.SiteURL, a.Image.URL), Type: imageType(a.Image.URL)}
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	return marshalXML(doc)
}

func marshalXML(v any) ([]byte, error) {
	b, err := xml.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}
