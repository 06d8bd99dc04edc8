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

// Live reports whether an article in this status is for readers once its
// time has come: published, or scheduled (the publishing job marks it
// published when due). Drafts, pending, private and trashed articles are
// not; a password-protected article is, behind its password form.
//
// This is the one statement of the rule in Go. Its SQL form is the store's
// visible_from column and articles_visibility trigger (migration 0007),
// which listings, feeds and search filter on; a store test checks on both
// engines that the two agree for every status and time.
func (s Status) Live() bool { return s == StatusPublished || s == StatusScheduled }

// VisibleAt reports whether readers may see a at t: its status is Live and
// its publication time is not after t.
func (a *Article) VisibleAt(t time.Time) bool { return a.Status.Live() && !a.PublishedAt.After(t) }

// Format names the language of an article's body source.
type Format string

// Body formats: editors write Markdown or in the visual editor; imports
// bring HTML.
const (
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	// FormatVisual is the clean HTML the newsroom's visual editor writes:
	// it is only sanitized, never given automatic paragraphs or
	// shortcodes, so a body opened and saved unchanged renders the same.
	FormatVisual Format = "visual"
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
