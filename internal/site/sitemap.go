package site

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/feeds"
	"dastan/internal/links"
	"dastan/internal/store"
)

// Sitemaps: /sitemap.xml is an index over /sitemap-articles-N.xml (oldest
// articles first, feeds.MaxURLs each), /sitemap-sections.xml,
// /sitemap-tags-N.xml, /sitemap-authors-N.xml and /sitemap-news.xml, the
// Google News sitemap of the last two days.
const xmlType = "application/xml; charset=utf-8"

func (s *Site) sitemapRoute(path string) (handlerFunc, bool) {
	switch path {
	case links.Robots:
		return s.robots, true
	case links.SitemapIndex:
		return s.sitemapIndex, true
	case links.SitemapNews:
		return s.newsSitemap, true
	case links.SitemapSections:
		return s.sectionsSitemap, true
	}
	rest, ok := strings.CutPrefix(path, "/sitemap-")
	if !ok {
		return nil, false
	}
	rest, ok = strings.CutSuffix(rest, ".xml")
	i := strings.LastIndexByte(rest, '-')
	if !ok || i < 0 {
		return nil, false
	}
	page, err := strconv.Atoi(rest[i+1:])
	if err != nil || page < 1 || strconv.Itoa(page) != rest[i+1:] {
		return nil, false
	}
	var h func(r *http.Request, page int) (*response, error)
	switch rest[:i] {
	case "articles":
		h = s.articlesSitemap
	case "tags":
		h = func(r *http.Request, page int) (*response, error) {
			return s.linkSitemap(r, page, links.Tag, s.db.SitemapTags)
		}
	case "authors":
		h = func(r *http.Request, page int) (*response, error) {
			return s.linkSitemap(r, page, links.Author, s.db.SitemapAuthors)
		}
	default:
		return nil, false
	}
	return func(r *http.Request, _ params) (*response, error) { return h(r, page) }, true
}

func xmlResponse(body []byte, lastMod time.Time) *response {
	return &response{status: http.StatusOK, ctype: xmlType, body: body, lastMod: lastMod, cacheable: true}
}

// sitemapIndex is /sitemap.xml.
func (s *Site) sitemapIndex(r *http.Request, _ params) (*response, error) {
	ctx, now, base := r.Context(), s.now(), s.cfg.SiteURL
	pages, err := s.db.SitemapPages(ctx, now, feeds.MaxURLs)
	if err != nil {
		return nil, err
	}
	var maps []feeds.URL
	var newest time.Time
	for _, p := range pages {
		maps = append(maps, feeds.URL{Loc: links.Abs(base, links.SitemapPage("articles", p.Number)), LastMod: p.LastMod})
		newest = later(newest, p.LastMod)
	}
	maps = append(maps, feeds.URL{Loc: links.Abs(base, links.SitemapSections), LastMod: newest})
	for _, l := range []struct {
		name string
		list func(ctx context.Context, now time.Time) ([]store.SitemapEntry, error)
	}{{"tags", s.db.SitemapTags}, {"authors", s.db.SitemapAuthors}} {
		entries, err := l.list(ctx, now)
		if err != nil {
			return nil, err
		}
		for i := 0; i < len(entries); i += feeds.MaxURLs {
			var last time.Time
			for _, e := range entries[i:min(i+feeds.MaxURLs, len(entries))] {
				last = later(last, e.LastMod)
			}
			maps = append(maps, feeds.URL{Loc: links.Abs(base, links.SitemapPage(l.name, i/feeds.MaxURLs+1)), LastMod: last})
		}
	}
	maps = append(maps, feeds.URL{Loc: links.Abs(base, links.SitemapNews), LastMod: newest})
	body, err := feeds.SitemapIndex(maps)
	if err != nil {
		return nil, err
	}
	return xmlResponse(body, newest), nil
}

// articlesSitemap is /sitemap-articles-N.xml.
func (s *Site) articlesSitemap(r *http.Request, page int) (*response, error) {
	entries, err := s.db.SitemapArticles(r.Context(), s.now(), page, feeds.MaxURLs)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return s.notFound(r, params{})
	}
	versions, err := s.db.SitemapTranslations(r.Context(), s.now(), page, feeds.MaxURLs)
	if err != nil {
		return nil, err
	}
	urls := make([]feeds.URL, len(entries))
	var newest time.Time
	for i, e := range entries {
		urls[i] = feeds.URL{Loc: links.Abs(s.cfg.SiteURL, links.Article(e.Slug)), LastMod: e.LastMod}
		for _, v := range versions[e.Slug] {
			urls[i].Alternates = append(urls[i].Alternates, feeds.Alternate{Lang: v.Lang, Loc: links.Abs(s.cfg.SiteURL, links.Article(v.Slug))})
		}
		newest = later(newest, e.LastMod)
	}
	body, err := feeds.Sitemap(urls)
	if err != nil {
		return nil, err
	}
	return xmlResponse(body, newest), nil
}

// sectionsSitemap is /sitemap-sections.xml: the front page and every
// section with articles, each dated by its newest article (a parent's
// includes its children's), as the page opens with it.
func (s *Site) sectionsSitemap(r *http.Request, _ params) (*response, error) {
	ctx := r.Context()
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	lastMod, err := s.db.SectionsLastMod(ctx, s.now())
	if err != nil {
		return nil, err
	}
	var newest time.Time
	for _, t := range lastMod {
		newest = later(newest, t)
	}
	urls := []feeds.URL{{Loc: links.Abs(s.cfg.SiteURL, links.Home), LastMod: newest}}
	for _, sec := range tree.all {
		if last := lastMod[sec.ID]; !last.IsZero() {
			urls = append(urls, feeds.URL{Loc: links.Abs(s.cfg.SiteURL, links.Section(sec.Path)), LastMod: last})
		}
	}
	body, err := feeds.Sitemap(urls)
	if err != nil {
		return nil, err
	}
	return xmlResponse(body, newest), nil
}

// linkSitemap is a page of /sitemap-tags-N.xml or /sitemap-authors-N.xml.
func (s *Site) linkSitemap(r *http.Request, page int, link func(slug string) string, list func(context.Context, time.Time) ([]store.SitemapEntry, error)) (*response, error) {
	entries, err := list(r.Context(), s.now())
	if err != nil {
		return nil, err
	}
	from := (page - 1) * feeds.MaxURLs
	if from >= len(entries) {
		return s.notFound(r, params{})
	}
	entries = entries[from:min(from+feeds.MaxURLs, len(entries))]
	urls := make([]feeds.URL, len(entries))
	var newest time.Time
	for i, e := range entries {
		urls[i] = feeds.URL{Loc: links.Abs(s.cfg.SiteURL, link(e.Slug)), LastMod: e.LastMod}
		newest = later(newest, e.LastMod)
	}
	body, err := feeds.Sitemap(urls)
	if err != nil {
		return nil, err
	}
	return xmlResponse(body, newest), nil
}

// newsSitemap is /sitemap-news.xml: what was published in the last two
// days, newest first.
func (s *Site) newsSitemap(r *http.Request, _ params) (*response, error) {
	now := s.now()
	list, err := s.db.NewsArticles(r.Context(), now, now.Add(-feeds.NewsWindow), feeds.NewsMax)
	if err != nil {
		return nil, err
	}
	body, err := feeds.NewsSitemap(s.cfg.SiteName, s.cfg.SiteURL, list)
	if err != nil {
		return nil, err
	}
	return xmlResponse(body, feeds.Updated(list)), nil
}

// robots is /robots.txt.
func (s *Site) robots(r *http.Request, _ params) (*response, error) {
	body := feeds.Robots(s.cfg.SiteURL, links.SitemapIndex, links.SitemapNews)
	return &response{status: http.StatusOK, ctype: "text/plain; charset=utf-8", body: body, cacheable: true}, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
