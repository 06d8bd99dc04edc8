// Package feeds builds what machines read from a news site: RSS 2.0, Atom
// and JSON Feed documents, sitemaps, the Google News sitemap and
// robots.txt. Its builders are pure: they take articles and the site's
// details and return bytes, with every URL absolute.
package feeds

import (
	"path"
	"strings"
	"time"

	"dastan/internal/news"
)

// Channel is what a feed says about itself and how it names its items'
// sections.
type Channel struct {
	SiteName    string
	SiteURL     string // the site's absolute base URL, without a trailing slash
	Title       string // the feed's title
	Link        string // the HTML page the feed follows, absolute
	Self        string // the feed's own URL, absolute
	Description string
	Lang        string // language of the feed, if it has one
	// Sections names articles' sections; an article's own Section wins.
	Sections map[int64]news.Section
}

// absBody rewrites site-relative src and href attributes of a sanitized
// body so that it reads the same outside the site, in a feed reader.
func absBody(siteURL, html string) string {
	if !strings.Contains(html, `="/`) {
		return html
	}
	var b strings.Builder
	b.Grow(len(html) + 256)
	for {
		i := strings.Index(html, `="/`)
		if i < 0 {
			b.WriteString(html)
			return b.String()
		}
		j := i
		for j > 0 && html[j-1] >= 'a' && html[j-1] <= 'z' {
			j--
		}
		attr := html[j:i]
		b.WriteString(html[:i+2])
		html = html[i+2:]
		if (attr == "src" || attr == "href" || attr == "poster") && !strings.HasPrefix(html, "//") {
			b.WriteString(siteURL)
		}
	}
}

// imageType guesses an image's media type from its file name.
func imageType(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	switch strings.ToLower(path.Ext(u)) {
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return "image/jpeg"
}

// text is a title or a name as a feed carries it: plain text
// (news.TextOnly), which the encoder then escapes once. Readers render
// many feed text fields as HTML, so markup in a tag's name or an
// article's title must reach them as words, never as tags.
func text(s string) string { return news.TextOnly(s) }

// sectionOf returns the name of a's section, if known.
func (c Channel) sectionOf(a news.Article) string {
	if a.Section != nil {
		return a.Section.Name
	}
	return c.Sections[a.SectionID].Name
}

// categories are an article's section and tags, as feeds list them.
func (c Channel) categories(a news.Article) []string {
	var out []string
	if s := text(c.sectionOf(a)); s != "" {
		out = append(out, s)
	}
	for _, t := range a.Tags {
		out = append(out, text(t.Name))
	}
	return out
}

// content is the full text a feed carries: nothing for password-protected
// articles, whose text stays behind the password.
func (c Channel) content(a news.Article) string {
	if a.Password != "" {
		return ""
	}
	return absBody(c.SiteURL, a.BodyHTML)
}

// summary is the plain-text excerpt a feed carries.
func summary(a news.Article) string {
	if a.Password != "" {
		return "This article is protected by a password."
	}
	if a.Excerpt != "" {
		return a.Excerpt // plain text already (news.MakeExcerpt)
	}
	return text(a.Standfirst)
}

// Updated is the newest update among articles, or zero.
func Updated(articles []news.Article) time.Time {
	var t time.Time
	for _, a := range articles {
		if a.UpdatedAt.After(t) {
			t = a.UpdatedAt
		}
	}
	return t
}
