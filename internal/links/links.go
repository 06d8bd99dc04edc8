// Package links is Dastan's URL scheme, written once: every path a reader,
// a feed reader or a search engine follows on the public site, and the
// newsroom's screens. Handlers, templates (through FuncMap), feeds, the
// API, the store's redirects and the WordPress importer build their links
// here and nowhere else; a test (scheme_test.go) fails when a path is
// assembled from string pieces outside this file.
//
// Paths are site-relative ("/tag/energy/"); Abs makes them absolute from
// the site URL. Slugs and section paths are used as stored: they are
// already URL-safe (news.Slugify), and the bytes of every page depend on
// them staying unescaped here.
//
// How the routers correspond: the public site's catch-all in
// internal/site (route.go's pick, feed.go's machineRoute, sitemap.go's
// sitemapRoute) reads exactly the shapes built below — Article, Section
// (nested: /category/news/kazakhstan/), Tag, Author, Archive, a listing's
// Page, Feed and LangFeed, Search (and WordPress's /?s=), Sitemap*, Rates.
// ServeMux patterns that stay patterns because they are the router, not
// links: "GET /media/{key...}" (server.go, MediaPrefix), "GET /static/{name}"
// (site/route.go, Static), "POST /{slug}/{$}" (an Article's password form)
// and the newsroom's "/newsroom/articles/{id}/…" patterns (newsroom.go),
// which match the Newsroom* functions one for one.
package links

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
)

// Public paths that take no argument.
const (
	Home       = "/"
	SearchPage = "/search/"
	// SearchSuggest answers the masthead's search box as the reader types.
	SearchSuggest   = "/search/suggest"
	Rates           = "/rates/"
	SiteFeed        = "/feed/"
	SitemapIndex    = "/sitemap.xml"
	SitemapNews     = "/sitemap-news.xml"
	SitemapSections = "/sitemap-sections.xml"
	Robots          = "/robots.txt"
	// MediaPrefix is where uploaded files are served ("/media/ab/cd/…").
	MediaPrefix = "/media/"
	// StaticPrefix is where the site's own stylesheet and pictures are.
	StaticPrefix = "/static/"
	// OpenAPI is the JSON API's own description, which the newsroom links to.
	OpenAPI = "/api/v1/openapi.json"
	// WPJSON is the root of the WordPress-compatible REST API, which
	// every public page announces (rel="https://api.w.org/").
	WPJSON = "/wp-json/"
	// OEmbed is the oEmbed provider's endpoint (WordPress's address).
	OEmbed = "/wp-json/oembed/1.0/embed"
)

// Abs makes a site-relative path absolute under siteURL (which has no
// trailing slash); absolute and protocol-relative URLs pass unchanged.
func Abs(siteURL, path string) string {
	if strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "//") {
		return siteURL + path
	}
	return path
}

// Article is an article's permalink: /{slug}/.
func Article(slug string) string { return "/" + slug + "/" }

// ArticleSlug reads an Article path back: "/silk-road/" gives "silk-road".
// Any other shape gives false.
func ArticleSlug(path string) (string, bool) {
	s, ok := strings.CutPrefix(path, "/")
	if !ok {
		return "", false
	}
	s, ok = strings.CutSuffix(s, "/")
	if !ok || s == "" || strings.Contains(s, "/") {
		return "", false
	}
	return s, true
}

// Section is a section's listing; path is the section's full path,
// parents first ("news/kazakhstan").
func Section(path string) string { return "/category/" + path + "/" }

// Tag is a tag's listing.
func Tag(slug string) string { return "/tag/" + slug + "/" }

// Author is an author's page.
func Author(slug string) string { return "/author/" + slug + "/" }

// Archive is a dated archive: /2025/, /2025/03/ or /2025/03/26/. A zero
// month (or day) leaves it and what follows out.
func Archive(year, month, day int) string {
	p := "/" + pad(year, 4) + "/"
	if month > 0 {
		p += pad(month, 2) + "/"
		if day > 0 {
			p += pad(day, 2) + "/"
		}
	}
	return p
}

// Dir is the listing at a path's segments: ["tag", "x"] is /tag/x/, none
// is the front page.
func Dir(segs []string) string {
	if len(segs) == 0 {
		return Home
	}
	return "/" + strings.Join(segs, "/") + "/"
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// Page is page n of the listing whose first page is base: base itself for
// n ≤ 1, else base + "page/N/" (/tag/energy/page/2/, /page/3/).
func Page(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// ReadBeacon is where an article page reports a read: POST /read/{id}.
const ReadBeacon = "/read/"

// Read is the read beacon's address for article id.
func Read(id int64) string { return ReadBeacon + strconv.FormatInt(id, 10) }

// ReservedSlug reports whether slug cannot be a section's or tag's: the
// routers read …/feed/ and …/page/N/ at the end of a listing's address as
// its feed and its pages, so such a section or tag could not be reached.
func ReservedSlug(slug string) bool { return slug == "feed" || slug == "page" }

// Feed formats, as the last part of a feed's URL ("" is RSS).
const (
	FeedRSS  = ""
	FeedRSS2 = "rss2" // WordPress's other name for RSS
	FeedAtom = "atom"
	FeedJSON = "json"
)

// Feed is the feed of the listing at base (Home, Section, Tag, Author) in
// a format: /tag/energy/feed/, /tag/energy/feed/atom/, …/feed/json/.
func Feed(base, format string) string {
	if format == FeedRSS {
		return base + "feed/"
	}
	return base + "feed/" + format + "/"
}

// Legacy feed formats WordPress still answers: RSS 0.92 (/feed/rss/) and
// RSS 1.0 (/feed/rdf/). Dastan answers both with a 301 to the RSS 2.0
// feed of the same listing, which replaces them.
const (
	FeedLegacyRSS = "rss"
	FeedLegacyRDF = "rdf"
)

// SearchFeed is the feed of a search's results, in WordPress's shape:
// /search/Tokayev/feed/ (and …/feed/rss2/, …/feed/atom/).
func SearchFeed(q, format string) string {
	return Feed(SearchPage+url.PathEscape(q)+"/", format)
}

// ArticleEmbed is the page an article's oEmbed iframe shows: WordPress's
// /{slug}/embed/.
func ArticleEmbed(slug string) string { return Article(slug) + "embed/" }

// LangFeed is a language's feed of the whole site, /ru/feed/ (Polylang's
// shape); every other feed also takes ?lang=ru.
func LangFeed(lang, format string) string { return Feed("/"+lang+"/", format) }

// DefaultLang is the language of the edition at the site's root. Every
// other language's edition lives under its code: /ru/, /ru/tag/energy/,
// /ru/search/, /ru/feed/. Articles keep one permalink, /{slug}/, in
// whichever language they are written.
const DefaultLang = "en"

// Edition is the front page of lang's edition: / or /ru/.
func Edition(lang string) string { return In(lang, Home) }

// In moves a listing's path (Home, Section, Tag, Author, Archive, Page,
// Feed, Search) into lang's edition: In("ru", "/tag/energy/") is
// "/ru/tag/energy/"; the default language's paths stay as they are.
func In(lang, path string) string {
	if lang == "" || lang == DefaultLang || !strings.HasPrefix(path, "/") {
		return path
	}
	return "/" + lang + path
}

// FromEdition reads an edition's prefix off a path: with editions
// ["ru"], "/ru/tag/x/" gives "ru" and "/tag/x/"; a path in the default
// edition gives DefaultLang and the path unchanged.
func FromEdition(path string, editions []string) (lang, rest string) {
	for _, l := range editions {
		if l == DefaultLang {
			continue
		}
		if r, ok := strings.CutPrefix(path, "/"+l+"/"); ok {
			return l, "/" + r
		}
	}
	return DefaultLang, path
}

// Search is the search page with its query; none is the bare /search/.
// WordPress's /?s= is read too, but never written.
func Search(q url.Values) string {
	if len(q) == 0 {
		return SearchPage
	}
	return SearchPage + "?" + q.Encode()
}

// SitemapPage is page n of a kind of sitemap ("articles", "tags",
// "authors"): /sitemap-articles-3.xml.
func SitemapPage(kind string, n int) string {
	return "/sitemap-" + kind + "-" + strconv.Itoa(n) + ".xml"
}

// RatesRange is the rates page with its charts over days.
func RatesRange(days int) string { return Rates + "?range=" + strconv.Itoa(days) + "#charts" }

// RatesCurrency is a currency's row on the rates page.
func RatesCurrency(code string) string { return Rates + "#" + code }

// Static is one of the site's own files.
func Static(name string) string { return StaticPrefix + name }

// The newsroom's screens.
const (
	Newsroom          = "/newsroom/"
	NewsroomSignin    = "/newsroom/signin"
	NewsroomSignout   = "/newsroom/signout"
	NewsroomArticles  = "/newsroom/articles/"
	NewsroomNew       = "/newsroom/articles/new"
	NewsroomRender    = "/newsroom/render"
	NewsroomTrash     = "/newsroom/trash/"
	NewsroomSections  = "/newsroom/sections/"
	NewsroomFront     = "/newsroom/front/"
	NewsroomTags      = "/newsroom/tags/"
	NewsroomRedirects = "/newsroom/redirects/"
	NewsroomUsers     = "/newsroom/users/"
	NewsroomAudit     = "/newsroom/audit/"
	NewsroomMedia     = "/newsroom/media/"
	NewsroomTokens    = "/newsroom/tokens/"
	NewsroomAccount   = "/newsroom/account/"
	// NewsroomAppPasswords is where a user makes and revokes their
	// Application Passwords (WordPress clients' HTTP Basic sign-in).
	NewsroomAppPasswords = "/newsroom/application-passwords/"
	newsroomReset        = "/newsroom/reset/"
	newsroomStatic       = "/newsroom/static/"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// NewsroomArticle is an article's editor.
func NewsroomArticle(articleID int64) string { return NewsroomArticles + id(articleID) + "/" }

// NewsroomPreview is an article's preview.
func NewsroomPreview(articleID int64) string { return NewsroomArticle(articleID) + "preview" }

// NewsroomShare lists an article's preview links, makes and revokes them.
func NewsroomShare(articleID int64) string { return NewsroomArticle(articleID) + "share" }

// PreviewLinkPattern is the route of preview links.
const PreviewLinkPattern = "GET /preview/{token}"

// PreviewLink is the address a preview link opens, outside the newsroom.
func PreviewLink(token string) string { return "/preview/" + url.PathEscape(token) }

// NewsroomLock is where the article's edit lock is taken over.
func NewsroomLock(articleID int64) string { return NewsroomArticle(articleID) + "lock" }

// NewsroomHeartbeat is where the editor page keeps its edit lock.
func NewsroomHeartbeat(articleID int64) string { return NewsroomArticle(articleID) + "heartbeat" }

// NewsroomRelease is where the editor page gives up its edit lock.
func NewsroomRelease(articleID int64) string { return NewsroomArticle(articleID) + "release" }

// NewsroomRevisions lists an article's revisions.
func NewsroomRevisions(articleID int64) string { return NewsroomArticle(articleID) + "revisions/" }

// NewsroomRevision is one revision of an article.
func NewsroomRevision(articleID, revisionID int64) string {
	return NewsroomRevisions(articleID) + id(revisionID)
}

// NewsroomTrashArticle is where an article is sent to the trash.
func NewsroomTrashArticle(articleID int64) string { return NewsroomArticle(articleID) + "trash" }

// NewsroomRestore is where a trashed article is restored.
func NewsroomRestore(articleID int64) string { return NewsroomArticle(articleID) + "restore" }

// NewsroomMediaItem is one file of the media library.
func NewsroomMediaItem(mediaID int64) string { return NewsroomMedia + id(mediaID) }

// NewsroomSigninNext is the sign-in form that returns to next afterwards.
func NewsroomSigninNext(next string) string { return NewsroomSignin + "?next=" + url.QueryEscape(next) }

// NewsroomReset is the page a one-time password-reset link opens.
func NewsroomReset(token string) string { return newsroomReset + token }

// NewsroomStatic is one of the newsroom's own files.
func NewsroomStatic(name string) string { return newsroomStatic + name }

// FuncMap offers the scheme to templates: {{article .Slug}},
// {{section .Path}}, {{tag .Slug}}, {{author .Slug}}, {{nrArticle .ID}} ….
func FuncMap() template.FuncMap {
	return template.FuncMap{
		"home":          func() string { return Home },
		"article":       Article,
		"section":       Section,
		"tag":           Tag,
		"author":        Author,
		"searchPage":    func() string { return SearchPage },
		"searchSuggest": func() string { return SearchSuggest },
		"rates":         func() string { return Rates },
		"ratesCurrency": RatesCurrency,
		"siteFeed":      func() string { return SiteFeed },
		"static":        Static,
		"page":          Page,
		"read":          Read,
		"sitemapIndex":  func() string { return SitemapIndex },
		"openAPI":       func() string { return OpenAPI },
		"nr":            newsroomScreen,
		"nrArticle":     NewsroomArticle,
		"nrPreview":     NewsroomPreview,
		"nrRevisions":   NewsroomRevisions,
		"nrLock":        NewsroomLock,
		"nrShare":       NewsroomShare,
		"nrHeartbeat":   NewsroomHeartbeat,
		"nrRelease":     NewsroomRelease,
		"nrRevision":    NewsroomRevision,
		"nrTrash":       NewsroomTrashArticle,
		"nrRestore":     NewsroomRestore,
		"nrMediaItem":   NewsroomMediaItem,
		"nrStatic":      NewsroomStatic,
	}
}

// EditionFuncMap is FuncMap with the reader's listings moved into lang's
// edition: in a page of the Russian edition {{tag .Slug}} is
// /ru/tag/{slug}/ and {{home}} is /ru/. Articles, rates and the newsroom
// are the same in every edition.
func EditionFuncMap(lang string) template.FuncMap {
	return template.FuncMap{
		"home":       func() string { return Edition(lang) },
		"section":    func(path string) string { return In(lang, Section(path)) },
		"tag":        func(slug string) string { return In(lang, Tag(slug)) },
		"author":     func(slug string) string { return In(lang, Author(slug)) },
		"searchPage": func() string { return In(lang, SearchPage) },
		"siteFeed":   func() string { return In(lang, SiteFeed) },
		"rates":      func() string { return In(lang, Rates) },
	}
}

// newsroomScreen names the newsroom's fixed screens for templates:
// {{nr "tags"}} is /newsroom/tags/.
func newsroomScreen(name string) (string, error) {
	if p, ok := newsroomScreens[name]; ok {
		return p, nil
	}
	return "", fmt.Errorf("links: the newsroom has no screen %q", name)
}

var newsroomScreens = map[string]string{
	"home": Newsroom, "signin": NewsroomSignin, "signout": NewsroomSignout,
	"articles": NewsroomArticles, "new": NewsroomNew, "render": NewsroomRender,
	"trash": NewsroomTrash, "sections": NewsroomSections, "front": NewsroomFront, "tags": NewsroomTags,
	"redirects": NewsroomRedirects, "users": NewsroomUsers, "audit": NewsroomAudit,
	"media": NewsroomMedia, "tokens": NewsroomTokens, "account": NewsroomAccount,
	"appPasswords": NewsroomAppPasswords,
}
