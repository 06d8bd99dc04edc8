package site

import (
	"errors"
	"net/http"
	"strings"

	"dastan/internal/feeds"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// feedSize is how many articles a feed carries, newest first.
const feedSize = 20

// Feed formats, by the last part of their URL.
var feedFormats = map[string]struct {
	ctype string
	build func(feeds.Channel, []news.Article) ([]byte, error)
}{
	links.FeedRSS:  {"application/rss+xml; charset=utf-8", feeds.RSS},
	links.FeedRSS2: {"application/rss+xml; charset=utf-8", feeds.RSS},
	links.FeedAtom: {"application/atom+xml; charset=utf-8", feeds.Atom},
	links.FeedJSON: {"application/feed+json; charset=utf-8", feeds.JSONFeed},
}

// machineRoute picks the handler for feeds, sitemaps and robots.txt, which
// the page router would otherwise take for articles or missing files.
//
// Feeds live at WordPress's URLs: /feed/, /category/news/uzbekistan/feed/,
// /tag/{slug}/feed/, /author/{slug}/feed/, a month's /2026/11/feed/ (and a
// year's or a day's), each also as …/feed/atom/ and …/feed/json/ (and
// …/feed/rss2/, WordPress's other name for RSS). A language's feed is
// /ru/feed/ (Polylang's shape), and any feed takes ?lang=ru to keep only
// that language's articles. WordPress's legacy …/feed/rss/ and
// …/feed/rdf/ answer with a 301 to the listing's RSS 2.0 feed. Search
// feeds are routed by searchFeedRoute, behind the search budget.
//
// In an edition other than the default one (/ru/category/news/feed/) the
// same shapes carry that edition's articles; unprefixed feeds carry the
// default edition's, unless ?lang= says otherwise (?lang=all: every
// language).
func (s *Site) machineRoute(edition, path string) (handlerFunc, bool) {
	if edition == links.DefaultLang {
		if h, ok := s.sitemapRoute(path); ok {
			return h, true
		}
	}
	segs, format, legacy, ok := feedPath(path)
	if !ok {
		return nil, false
	}
	switch {
	case len(segs) == 0,
		len(segs) >= 2 && segs[0] == "category",
		len(segs) == 2 && (segs[0] == "tag" || segs[0] == "author"),
		len(segs) <= 3 && isNumber(segs[0], 4),
		len(segs) == 1 && isLang(segs[0]):
	default:
		return nil, false
	}
	if legacy {
		to := links.In(edition, links.Feed(links.Dir(segs), links.FeedRSS))
		return func(*http.Request, params) (*response, error) { return redirect(http.StatusMovedPermanently, to), nil }, true
	}
	return func(r *http.Request, _ params) (*response, error) { return s.feed(r, edition, segs, format) }, true
}

// feedPath splits a feed's path into its listing's segments and its
// format; legacy is set for WordPress's …/feed/rss/ and …/feed/rdf/.
func feedPath(path string) (segs []string, format string, legacy, ok bool) {
	if !strings.HasSuffix(path, "/") {
		return nil, "", false, false
	}
	segs = strings.Split(strings.Trim(path, "/"), "/")
	n := len(segs)
	switch {
	case n >= 2 && segs[n-2] == "feed":
		format = segs[n-1]
		legacy = format == links.FeedLegacyRSS || format == links.FeedLegacyRDF
		if _, known := feedFormats[format]; !legacy && (!known || format == "") {
			return nil, "", false, false
		}
		segs = segs[:n-2]
	case n >= 1 && segs[n-1] == "feed":
		segs = segs[:n-1]
	default:
		return nil, "", false, false
	}
	if len(segs) == 1 && segs[0] == "" {
		segs = nil
	}
	return segs, format, legacy, true
}

// queryFeedFormat reads WordPress's ?feed= value as the format of a feed
// path: feed, rss2, rss and rdf are all RSS here; ok is false for a value
// WordPress does not know either.
func queryFeedFormat(v string) (string, bool) {
	switch v {
	case "", "feed", links.FeedRSS2, links.FeedLegacyRSS, links.FeedLegacyRDF:
		return links.FeedRSS, true
	case links.FeedAtom, links.FeedJSON:
		return v, true
	}
	return "", false
}

// queryFeedRedirect answers WordPress's ?feed= on a listing (/?feed=rss2,
// /category/news/?feed=atom) as WordPress does with pretty permalinks: a
// 301 to the listing's feed address, keeping the other parameters. It
// gives "" where the address has no such feed.
func (s *Site) queryFeedRedirect(r *http.Request) string {
	q := r.URL.Query()
	format, ok := queryFeedFormat(q.Get("feed"))
	if !ok || !q.Has("feed") || q.Has("s") {
		return ""
	}
	to := links.Feed(r.URL.Path, format)
	if _, ok := s.machineRoute(links.DefaultLang, to); !ok {
		return ""
	}
	q.Del("feed")
	if len(q) > 0 {
		to += "?" + q.Encode()
	}
	return to
}

// isLang reports whether s looks like a two- or three-letter language code.
func isLang(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// feed renders one feed: of the whole site, or a section, tag, author or
// language, in one format, of the edition's language unless the address
// asks for another.
func (s *Site) feed(r *http.Request, edition string, segs []string, format string) (*response, error) {
	ctx := r.Context()
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	lang := r.URL.Query().Get("lang")
	asked := lang != "" // a language the address names must have articles
	switch {
	case lang == "all":
		lang, asked = "", false
	case lang == "":
		lang = edition
	case !isLang(lang):
		return s.notFound(r, params{})
	}
	c := s.channel(tree, edition)
	q := store.ListQuery{VisibleAt: s.now(), Limit: feedSize}
	switch {
	case len(segs) == 0:
	case isNumber(segs[0], 4):
		span, ok := archiveSpan(segs, s.cfg.Location)
		if !ok {
			return s.notFound(r, params{})
		}
		q.From, q.To = span.from, span.to
		c.Title, c.Link = span.heading+" – "+s.cfg.SiteName, links.Abs(s.cfg.SiteURL, links.In(edition, span.path))
		c.Description = s.t(edition, "feed.archive", "Span", span.heading, "Site", s.cfg.SiteName)
	case len(segs) == 1:
		lang, asked = segs[0], true
	case segs[0] == "category":
		sec, ok := tree.byPath[strings.Join(segs[1:], "/")]
		if !ok {
			return s.notFound(r, params{})
		}
		q.Section = sec.ID
		name := s.sectionName(edition, sec)
		c.Title, c.Link = name+" – "+s.cfg.SiteName, links.Abs(s.cfg.SiteURL, links.In(edition, links.Section(sec.Path)))
		c.Description = s.t(edition, "feed.section", "Name", name, "Site", s.cfg.SiteName)
	case segs[0] == "tag":
		t, err := s.publicTag(ctx, segs[1])
		if errors.Is(err, store.ErrNotFound) {
			return s.notFound(r, params{})
		} else if err != nil {
			return nil, err
		}
		q.TagID = t.ID
		c.Title, c.Link = t.Name+" – "+s.cfg.SiteName, links.Abs(s.cfg.SiteURL, links.In(edition, links.Tag(t.Slug)))
		c.Description = s.t(edition, "feed.tag", "Name", t.Name, "Site", s.cfg.SiteName)
	case segs[0] == "author":
		a, err := s.publicAuthor(ctx, segs[1])
		if errors.Is(err, store.ErrNotFound) {
			return s.notFound(r, params{})
		} else if err != nil {
			return nil, err
		}
		q.AuthorID = a.ID
		c.Title, c.Link = a.Name+" – "+s.cfg.SiteName, links.Abs(s.cfg.SiteURL, links.In(edition, links.Author(a.Slug)))
		c.Description = s.t(edition, "feed.author", "Name", a.Name, "Site", s.cfg.SiteName)
	}
	q.Lang, c.Lang = lang, lang
	c.Self = s.cfg.SiteURL + r.URL.Path
	if asked && len(segs) != 1 {
		c.Self += "?lang=" + lang
	}
	articles, err := s.db.FeedArticles(ctx, q)
	if err != nil {
		return nil, err
	}
	if asked && len(articles) == 0 {
		return s.notFound(r, params{}) // a language the site does not publish in
	}
	return renderFeed(c, articles, format)
}

// renderFeed writes a channel's articles in a format.
func renderFeed(c feeds.Channel, articles []news.Article, format string) (*response, error) {
	f := feedFormats[format]
	body, err := f.build(c, articles)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, ctype: f.ctype, body: body, lastMod: feeds.Updated(articles), cacheable: true}, nil
}

// channel is the feed channel of the whole site, with the sections its
// items name.
func (s *Site) channel(tree *sectionTree, edition string) feeds.Channel {
	c := feeds.Channel{SiteName: s.cfg.SiteName, SiteURL: s.cfg.SiteURL, Title: s.cfg.SiteName, Link: links.Abs(s.cfg.SiteURL, links.Edition(edition)),
		Description: s.siteDescription(edition), Sections: make(map[int64]news.Section, len(tree.byID))}
	for id, sec := range tree.byID {
		sec.Name = s.sectionName(edition, sec)
		c.Sections[id] = sec
	}
	return c
}

// siteDescription is the line that describes the whole site.
func (s *Site) siteDescription(lang string) string {
	return s.t(lang, "site.about", "Site", s.cfg.SiteName)
}
