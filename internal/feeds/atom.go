package feeds

import (
	"encoding/xml"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Sub     string      `xml:"subtitle,omitempty"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  *atomPerson `xml:"author"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Lang       string         `xml:"xml:lang,attr,omitempty"`
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    *atomText      `xml:"content"`
}

// Atom builds an Atom (RFC 4287) feed of articles, newest first, with
// each full text as HTML content and the image as an enclosure link.
func Atom(c Channel, articles []news.Article) ([]byte, error) {
	updated := Updated(articles)
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	f := atomFeed{
		Lang:    c.Lang,
		ID:      c.Link,
		Title:   text(c.Title),
		Sub:     text(c.Description),
		Updated: rfc3339(updated),
		Links: []atomLink{
			{Href: c.Link, Rel: "alternate", Type: "text/html"},
			{Href: c.Self, Rel: "self", Type: "application/atom+xml"},
		},
		// A feed-level author stands in for entries that have none.
		Author:  &atomPerson{Name: text(c.SiteName), URI: links.Abs(c.SiteURL, links.Home)},
		Gen:     "Dastan",
		Entries: make([]atomEntry, 0, len(articles)),
	}
	for _, a := range articles {
		link := links.Abs(c.SiteURL, links.Article(a.Slug))
		e := atomEntry{
			ID:        link,
			Title:     text(a.Title),
			Links:     []atomLink{{Href: link, Rel: "alternate", Type: "text/html"}},
			Published: rfc3339(a.PublishedAt),
			Updated:   rfc3339(a.UpdatedAt),
			Summary:   atomText{Type: "text", Text: summary(a)},
		}
		if a.Lang != "" && a.Lang != c.Lang {
			e.Lang = a.Lang
		}
		for _, au := range a.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: text(au.Name), URI: links.Abs(c.SiteURL, links.Author(au.Slug))})
		}
		for _, t := range c.categories(a) {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		if body := c.content(a); body != "" {
			e.Content = &atomText{Type: "html", Text: body}
		}
		if a.Image != nil && a.Image.URL != "" {
			e.Links = append(e.Links, atomLink{Href: links.Abs(c.SiteURL, a.Image.URL), Rel: "enclosure", Type: imageType(a.Image.URL)})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
