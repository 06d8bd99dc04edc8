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
// /tag/{slug}/feed/, /author/{slug}/feed/, each also as …/feed/atom/ and
// …/feed/json/ (and …/feed/rss2/, WordPress's other name for RSS). A
// language's feed is /ru/feed/ (Polylang's shape), and any feed takes
// ?lang=ru to keep only that language's articles.
func (s *Site) machineRoute(path string) (handlerFunc, bool) {
	if h, ok := s.sitemapRoute(path); ok {
		return h, true
	}
	if !strings.HasSuffix(path, "/") {
		return nil, false
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	n := len(segs)
	format := ""
	switch {
	case n >= 2 && segs[n-2] == "feed":
		format = segs[n-1]
		if _, ok := feedFormats[format]; !ok || format == "" {
			return nil, false
		}
		segs = segs[:n-2]
	case n >= 1 && segs[n-1] == "feed":
		segs = segs[:n-1]
	default:
		return nil, false
	}
	if len(segs) == 1 && segs[0] == "" {
		segs = nil
	}
	switch {
	case len(segs) == 0,
		len(segs) >= 2 && segs[0] == "category",
		len(segs) == 2 && (segs[0] == "tag" || segs[0] == "author"),
		len(segs) == 1 && isLang(segs[0]):
	default:
		return nil, false
	}
	return func(r *http.Request, _ params) (*response, error) { return s.feed(r, segs, format) }, true
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
// language, in one format.
func (s *Site) feed(r *http.Request, segs []string, format string) (*response, error) {
	ctx := r.Context()
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	lang := r.URL.Query().Get("lang")
	if lang != "" && !isLang(lang) {
		return s.notFound(r, params{})
	}
	c := feeds.Channel{SiteName: s.cfg.SiteName, SiteURL: s.cfg.SiteURL, Title: s.cfg.SiteName, Link: links.Abs(s.cfg.SiteURL, links.Home),
		Description: s.siteDescription(), Sections: make(map[int64]news.Section, len(tree.byID))}
	for id, sec := range tree.byID {
		c.Sections[id] = sec
	}
	q := store.ListQuery{VisibleAt: s.now(), Limit: feedSize}
	switch {
	case len(segs) == 0:
	case len(segs) == 1:
		lang = segs[0]
	case segs[0] == "category":
		sec, ok := tree.byPath[strings.Join(segs[1:], "/")]
		if !ok {
			return s.notFound(r, params{})
		}
		q.Section = sec.ID
		c.Title, c.Link = sec.Name+" – "+s.cfg.SiteName, links.Abs(s.cfg.SiteURL, links.Section(sec.Path))
		c.Description = "The latest from " + sec.Name + " at " + s.cfg.SiteName + "."
	case segs[0] == "tag":
		t, err := s.publicTag(ctx, segs[1])
		if errors.Is(err, store.ErrNotFound) {
			return s.notFound(r, params{})
		} else if err != nil {
			return nil, err
		}
		q.TagID = t.ID
		c.Title, c.Link = t.Name+" – "+s.cfg.SiteName, links.Abs(s.cfg.SiteURL, links.Tag(t.Slug))
		c.Description = "Articles tagged " + t.Name + " at " + s.cfg.SiteName + "."
	case segs[0] == "author":
		a, err := s.publicAuthor(ctx, segs[1])
		if errors.Is(err, store.ErrNotFound) {
			return s.notFound(r, params{})
		} else if err != nil {
			return nil, err
		}
		q.AuthorID = a.ID
		c.Title, c.Link = a.Name+" – "+s.cfg.SiteName, links.Abs(s.cfg.SiteURL, links.Author(a.Slug))
		c.Description = "Articles by " + a.Name + " at " + s.cfg.SiteName + "."
	}
	q.Lang, c.Lang = lang, lang
	c.Self = s.cfg.SiteURL + r.URL.Path
	if lang != "" && len(segs) != 1 {
		c.Self += "?lang=" + lang
	}
	articles, err := s.db.FeedArticles(ctx, q)
	if err != nil {
		return nil, err
	}
	if lang != "" && len(articles) == 0 {
		return s.notFound(r, params{}) // a language the site does not publish in
	}
	f := feedFormats[format]
	body, err := f.build(c, articles)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, ctype: f.ctype, body: body, lastMod: feeds.Updated(articles), cacheable: true}, nil
}

// siteDescription is the line that describes the whole site.
func (s *Site) siteDescription() string {
	return s.cfg.SiteName + ": news from Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan."
}
