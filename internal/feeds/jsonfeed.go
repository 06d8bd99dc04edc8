package feeds

import (
	"bytes"
	"encoding/json"

	"dastan/internal/links"
	"dastan/internal/news"
)

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	ContentHTML   string           `json:"content_html,omitempty"`
	ContentText   string           `json:"content_text,omitempty"`
	Summary       string           `json:"summary,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Language      string           `json:"language,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MimeType string `json:"mime_type"`
}

// JSONFeed builds a JSON Feed 1.1 document of articles, newest first.
func JSONFeed(c Channel, articles []news.Article) ([]byte, error) {
	f := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       text(c.Title),
		HomePageURL: c.Link,
		FeedURL:     c.Self,
		Description: text(c.Description),
		Language:    c.Lang,
		Authors:     []jsonAuthor{{Name: text(c.SiteName), URL: links.Abs(c.SiteURL, links.Home)}},
		Items:       make([]jsonItem, 0, len(articles)),
	}
	for _, a := range articles {
		link := links.Abs(c.SiteURL, links.Article(a.Slug))
		it := jsonItem{
			ID:            link,
			URL:           link,
			Title:         text(a.Title),
			ContentHTML:   c.content(a),
			Summary:       summary(a),
			DatePublished: rfc3339(a.PublishedAt),
			DateModified:  rfc3339(a.UpdatedAt),
			Tags:          c.categories(a),
			Language:      a.Lang,
		}
		if it.ContentHTML == "" {
			it.ContentText = it.Summary // an item needs content_html or content_text
		}
		for _, au := range a.Authors {
			it.Authors = append(it.Authors, jsonAuthor{Name: text(au.Name), URL: links.Abs(c.SiteURL, links.Author(au.Slug))})
		}
		if a.Image != nil && a.Image.URL != "" {
			it.Image = links.Abs(c.SiteURL, a.Image.URL)
			it.Attachments = []jsonAttachment{{URL: it.Image, MimeType: imageType(a.Image.URL)}}
		}
		f.Items = append(f.Items, it)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // bodies are HTML; \u003c everywhere only bloats them
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
