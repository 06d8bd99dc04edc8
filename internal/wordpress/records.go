package wordpress

import (
	"strconv"
	"strings"
	"time"
)

// Record is one thing read from an export: *Site, *AuthorRec, *Category,
// *TagRec, *Term, *Item or *TooLarge.
type Record interface{ record() }

// Site is the channel header: what the export says about the blog itself.
// It is always the first record.
type Site struct {
	Title       string
	Link        string
	Description string
	Language    string // e.g. "en-US", "ru-RU"
	WXRVersion  string // "1.0", "1.1" or "1.2"
	BaseSiteURL string
	BaseBlogURL string
}

// AuthorRec is a WordPress user who wrote something in the export.
type AuthorRec struct {
	ID          int64
	Login       string
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
}

// Category is a category term; Parent is the parent's slug, "" at the top.
type Category struct {
	TermID      int64
	Slug        string // category_nicename, percent-encoded for non-Latin slugs
	Parent      string
	Name        string
	Description string
}

// TagRec is a post tag.
type TagRec struct {
	TermID      int64
	Slug        string
	Name        string
	Description string
}

// Term is a term of any other taxonomy (nav_menu, post_format, custom ones).
type Term struct {
	TermID      int64
	Taxonomy    string
	Slug        string
	Parent      string
	Name        string
	Description string
}

// Item is one post of any type: post, page, attachment, nav_menu_item …
type Item struct {
	Offset int64 // byte offset of <item> in the input
	Line   int   // line of <item> in the input

	ID            int64 // wp:post_id
	Title         string
	Link          string
	PubDate       time.Time // RSS pubDate; zero when WordPress wrote a dummy date
	Creator       string    // the author's login
	GUID          string
	Content       string
	Excerpt       string
	PostDate      time.Time // site-local time; see Reader.Location
	PostDateGMT   time.Time // zero when WordPress wrote 0000-00-00 (drafts)
	Modified      time.Time
	ModifiedGMT   time.Time
	CommentStatus string // "open" or "closed"
	PingStatus    string
	Name          string // post_name, the slug; percent-encoded for non-Latin slugs
	Status        string // publish, draft, future, pending, private, inherit, trash
	Parent        int64
	MenuOrder     int
	Type          string // post, page, attachment, nav_menu_item …
	Password      string
	Sticky        bool
	AttachmentURL string
	Terms         []ItemTerm
	PostMeta      []Meta
	Comments      []Comment
}

// ItemTerm is an item's membership in a term: Domain is the taxonomy
// ("category", "post_tag", "post_format", "nav_menu" …).
type ItemTerm struct {
	Domain   string
	Nicename string
	Name     string
}

// Meta is one postmeta row. Keys repeat; order is the export's.
type Meta struct {
	Key   string
	Value string
}

// Comment is one comment, pingback or trackback on an item.
type Comment struct {
	ID          int64
	Author      string
	AuthorEmail string
	AuthorURL   string
	AuthorIP    string
	Date        time.Time // site-local
	DateGMT     time.Time
	Content     string
	Approved    string // "1", "0", "spam", "trash"
	Type        string // "" for a comment, "pingback", "trackback"
	Parent      int64
	UserID      int64
}

// TooLarge is an item bigger than the Reader's MaxItemSize. It was read
// past without being held in memory; only what names it is kept.
type TooLarge struct {
	Offset int64 // byte offset of <item>
	Line   int   // line of <item>
	ID     int64
	Type   string
	Title  string
	Size   int64 // bytes from <item> to </item>
	Limit  int64 // the limit it passed
}

func (*TooLarge) record()  {}
func (*Site) record()      {}
func (*AuthorRec) record() {}
func (*Category) record()  {}
func (*TagRec) record()    {}
func (*Term) record()      {}
func (*Item) record()      {}

// Meta returns the first postmeta value stored under key, or "".
func (it *Item) Meta(key string) string {
	for _, m := range it.PostMeta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// The keys SEO plugins keep titles and descriptions under, most common first.
var (
	seoTitleKeys = []string{"_yoast_wpseo_title", "rank_math_title", "_aioseop_title", "_aioseo_title"}
	seoDescKeys  = []string{"_yoast_wpseo_metadesc", "rank_math_description", "_aioseop_description", "_aioseo_description"}
)

// SEO returns the search-engine title and description set by Yoast, Rank Math
// or All in One SEO, with their %%title%%-style variables filled from the
// item or dropped. Either is "" when no plugin set one.
func (it *Item) SEO() (title, desc string) {
	for _, k := range seoTitleKeys {
		if v := it.expandSEO(it.Meta(k)); v != "" {
			title = v
			break
		}
	}
	for _, k := range seoDescKeys {
		if v := it.expandSEO(it.Meta(k)); v != "" {
			desc = v
			break
		}
	}
	return title, desc
}

// expandSEO fills the template variables that matter for one article and
// drops the rest (site name, separators, page numbers), which Dastan adds
// itself when it renders the page.
func (it *Item) expandSEO(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "%") {
		return v
	}
	var b strings.Builder
	for len(v) > 0 {
		i := strings.IndexByte(v, '%')
		if i < 0 {
			b.WriteString(v)
			break
		}
		b.WriteString(v[:i])
		v = v[i:]
		// Yoast writes %%name%%, Rank Math and AIOSEO write %name% or #name.
		double := strings.HasPrefix(v, "%%")
		delim := "%"
		if double {
			delim = "%%"
		}
		rest := v[len(delim):]
		j := strings.Index(rest, delim)
		if j < 0 || j > 40 || strings.ContainsAny(rest[:j], " \t\n") {
			b.WriteByte('%')
			v = v[1:]
			continue
		}
		switch rest[:j] {
		case "title", "post_title":
			b.WriteString(it.Title)
		case "excerpt", "excerpt_only", "post_excerpt":
			b.WriteString(it.Excerpt)
		}
		v = rest[j+len(delim):]
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	return strings.Trim(out, " -–—|·:")
}

// ThumbnailID returns the attachment ID of the featured image, or 0.
func (it *Item) ThumbnailID() int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(it.Meta("_thumbnail_id")), 10, 64)
	if id < 0 {
		return 0
	}
	return id
}

// CategorySlugs returns the nicenames of the item's categories.
func (it *Item) CategorySlugs() []string { return it.termSlugs("category") }

// TagSlugs returns the nicenames of the item's tags.
func (it *Item) TagSlugs() []string { return it.termSlugs("post_tag") }

func (it *Item) termSlugs(domain string) []string {
	var out []string
	for _, t := range it.Terms {
		if t.Domain == domain {
			out = append(out, t.Nicename)
		}
	}
	return out
}

// PublishedGMT returns when the item was (or will be) published, in UTC:
// post_date_gmt, else post_date read in the site's zone (drafts carry no GMT
// date), else the RSS pubDate. Zero when the export has none of them.
func (it *Item) PublishedGMT() time.Time {
	switch {
	case !it.PostDateGMT.IsZero():
		return it.PostDateGMT
	case !it.PostDate.IsZero():
		return it.PostDate.UTC()
	case !it.PubDate.IsZero():
		return it.PubDate.UTC()
	}
	return time.Time{}
}
