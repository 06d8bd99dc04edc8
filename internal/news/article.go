// Package news holds the newsroom's domain: articles, sections, tags, authors,
// and the pure functions that turn an editor's source into what readers see.
package news

import "time"

// Status is where an article stands in its life.
type Status string

// The statuses an article moves through.
const (
	StatusDraft     Status = "draft"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
	StatusPrivate   Status = "private"
	StatusTrash     Status = "trash"
)

// Format names the language of an article's body source.
type Format string

// Body formats: editors write Markdown; imports bring HTML.
const (
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
)

// Article is one story as the store keeps it. Rendered fields (BodyHTML,
// Excerpt, ReadingMinutes) are made once at write time by Prepare.
type Article struct {
	ID             int64
	Slug           string
	Title          string
	Standfirst     string // the sub-headline under the title
	BodySource     string
	BodyFormat     Format
	BodyHTML       string // sanitized, shortcodes expanded
	Excerpt        string // plain text, no markup
	ManualExcerpt  string // the editor's own excerpt, if any
	Lang           string // "en" or "ru"
	Status         Status
	PublishedAt    time.Time // UTC; for scheduled articles, when they go live
	UpdatedAt      time.Time // UTC
	CreatedAt      time.Time // UTC
	ReadingMinutes int
	SectionID      int64
	Section        *Section
	Authors        []Author
	Tags           []Tag
	Image          *Figure // featured image
	SEOTitle       string
	SEODescription string
	Sticky         bool
	Password       string // WordPress password-protected posts stay protected
	Version        int64  // bumped on every save; guards against lost updates
	TranslationOf  int64  // the article this one translates, if any
}

// Figure is an image with what a reader needs around it.
type Figure struct {
	URL     string
	Alt     string
	Caption string
	Credit  string
	Width   int
	Height  int
	SrcSet  string
}

// Section is a place in the site's tree: News > Kazakhstan.
type Section struct {
	ID       int64
	ParentID int64
	Slug     string
	Name     string
	Path     string // slash-joined slugs from the root: "news/kazakhstan"
	Position int
}

// Tag is a free label editors attach to articles.
type Tag struct {
	ID   int64
	Slug string
	Name string
}

// Author is a byline: a person who may or may not sign in to the newsroom.
type Author struct {
	ID     int64
	Slug   string
	Name   string
	Bio    string
	UserID int64
}
