// Package site serves the public news site: the front page, articles and
// the listings of sections, tags, authors and months.
package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"dastan/internal/config"
	"dastan/internal/i18n"
	"dastan/internal/jobs"
	"dastan/internal/links"
	"dastan/internal/metrics"
	"dastan/internal/news"
	"dastan/internal/ratelimit"
	"dastan/internal/rates"
	"dastan/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are what a Site is built from.
type Options struct {
	Config  config.Config
	Store   *store.DB
	Metrics *metrics.Registry
	Logger  *slog.Logger
	// Now tells the time; tests set it. Defaults to time.Now.
	Now func() time.Time
	// Ticker returns the currency ticker's HTML for the masthead of an
	// edition's pages, in its language, read from memory; nil leaves the
	// masthead without one.
	Ticker func(lang string) template.HTML
	// Rates is the in-memory board the rates page reads; nil means no
	// rates page.
	Rates *rates.Board
	// Jobs runs the site's background work (the search speller); the
	// server stops it before the store closes. Required.
	Jobs *jobs.Runner
}

// Site is the public site's handlers and what they share.
type Site struct {
	cfg     config.Config
	db      *store.DB
	metrics *metrics.Registry
	log     *slog.Logger
	now     func() time.Time
	ticker  func(lang string) template.HTML
	board   *rates.Board

	words    *i18n.Catalogue
	editions map[string]bool // the languages with an edition: each the catalogue has
	pages    map[string]i18n.Localized
	cssURL   string
	css      []byte
	cssETag  string
	jsURL    string // the search box's suggestions script, versioned like the stylesheet
	js       []byte
	jsETag   string
	readURL  string // the read beacon's script
	readJS   []byte
	readETag string
	cache    *PageCache
	sections *sectionCache

	searchCache *PageCache // its own, small: every query is a new page
	facets      facetCache
	speller     spellerHolder

	csp       string             // Content-Security-Policy of every page
	searches  *ratelimit.Limiter // readers' budgets of searches that reach the store
	passwords *ratelimit.Limiter // wrong post passwords, per address and per article
	reads     *readCounter       // readers' reads, for "most read"
	// buffers are pages' render buffers, kept between pages: a page is
	// copied out of one at its size, where each page allocating its own
	// (32 KB, doubled as it grew) was a third of an article's garbage.
	buffers sync.Pool
	parts   partsCache // lists many pages share (the front page's, the rail's)
	stories partsCache // each article's related stories and translations
	items   partsCache // listings' items, rendered (listingItems)
}

// PageCacheBudget is the bytes of pages the page cache keeps at most.
const PageCacheBudget = 64 << 20

// New parses the templates and prepares the caches.
func New(o Options) (*Site, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Metrics == nil {
		o.Metrics = metrics.New()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Jobs == nil {
		return nil, errors.New("site: no job runner for the background work")
	}
	s := &Site{cfg: o.Config, db: o.Store, metrics: o.Metrics, log: o.Logger, now: o.Now, ticker: o.Ticker, board: o.Rates}
	s.buffers.New = func() any { return bytes.NewBuffer(make([]byte, 0, 32<<10)) }
	var err error
	if s.css, s.cssETag, s.cssURL, err = asset("site.css"); err != nil {
		return nil, err
	}
	if s.js, s.jsETag, s.jsURL, err = asset("suggest.js"); err != nil {
		return nil, err
	}
	if s.readJS, s.readETag, s.readURL, err = asset("read.js"); err != nil {
		return nil, err
	}
	if s.words, err = i18n.Load(); err != nil {
		return nil, err
	}
	s.editions = map[string]bool{}
	for _, l := range s.words.Languages() {
		s.editions[l] = true
	}
	if s.pages, err = parsePages(s.funcs(), s.words, o.Config.Location); err != nil {
		return nil, err
	}
	s.cache = NewPageCache(o.Config.PageCache, PageCacheBudget, o.Config.CacheTTL, o.Metrics)
	s.sections = &sectionCache{db: o.Store}
	s.searchCache = newSearchCache(o.Config.PageCache, o.Config.CacheTTL, o.Metrics)
	s.csp = contentSecurityPolicy(o.Config.SiteURL)
	s.searches = ratelimit.New(0, o.Now).Share(o.Store.Tally("search"))
	s.passwords = ratelimit.New(0, o.Now).Share(o.Store.Tally("password"))
	s.speller.stale = make(chan struct{}, 1)
	o.Jobs.Start("speller", s.keepSpeller)
	s.reads = newReadCounter()
	o.Jobs.Start("reads", s.keepReads)
	o.Store.OnChange(s.Invalidate)
	return s, nil
}

// Invalidate drops the cached pages a change touched; the store calls it
// after this instance's writes and as it hears of other instances'. A
// change to articles drops their own pages, the listings of their
// sections, tags and authors, and every page that is about no one
// thing (the front page, archives, feeds, sitemaps, search); other
// articles' pages stay, their lists of related stories catching up
// within the cache lifetime.
func (s *Site) Invalidate(ch store.Change) {
	if ch.Empty() {
		return
	}
	if ch.All {
		s.cache.Purge()
		s.sections.dirty()
	} else {
		s.cache.PurgeWhere(touchedBy(ch))
	}
	s.searchCache.Purge()
	s.parts.purge()
	s.stories.purge()
	s.items.purge()
	s.facets.dirty()
	s.refreshSpellerLater()
}

// touchedBy says whether a cached page, by what it is about, shows
// something ch changed.
func touchedBy(ch store.Change) func(about string) bool {
	set := map[string]bool{}
	for _, v := range ch.Articles {
		set[aboutArticle(v)] = true
	}
	for _, v := range ch.Sections {
		set[aboutSection(v)] = true
	}
	for _, v := range ch.Tags {
		set[aboutTag(v)] = true
	}
	for _, v := range ch.Authors {
		set[aboutAuthor(v)] = true
	}
	return func(about string) bool { return about == "" || set[about] }
}

// What a cached page is about (response.about), for Invalidate. A page
// about none of these is about everything.
func aboutArticle(slug string) string { return "article:" + slug }
func aboutSection(path string) string { return "section:" + path }
func aboutTag(slug string) string     { return "tag:" + slug }
func aboutAuthor(slug string) string  { return "author:" + slug }

// Watch makes writes made by other instances reach this one's caches
// (through Invalidate), calling started once it hears them. It returns
// when ctx ends.
func (s *Site) Watch(ctx context.Context, every time.Duration, started func()) {
	s.db.WatchChanges(ctx, every, started)
}

// shortDates gives each edition's pages shortdate in its language: "2
// Nov 2026" in English, "2 ноября 2026" in Russian.
func shortDates(loc *time.Location) func(lang string) template.FuncMap {
	return func(lang string) template.FuncMap {
		if lang == links.DefaultLang {
			return nil
		}
		return template.FuncMap{"shortdate": func(t time.Time) string { return shortDate(t.In(loc), lang) }}
	}
}

// shortDate is a date in lists and tables: "2 Nov 2026" in English, "2
// ноября 2026" in Russian (whose months have no short forms in news).
func shortDate(t time.Time, lang string) string {
	if lang == links.DefaultLang {
		return t.Format("2 Jan 2006")
	}
	return i18n.Date(t, lang)
}

// parsePages parses each page with the layout, once per language of the
// catalogue.
func parsePages(funcs template.FuncMap, words *i18n.Catalogue, loc *time.Location) (map[string]i18n.Localized, error) {
	maps.Copy(funcs, words.FuncMap(i18n.Default))
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("site: layout: %w", err)
	}
	pages := map[string]i18n.Localized{}
	for _, name := range []string{"home", "article", "listing", "notfound", "rates", "search", "embed"} {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("site: template %s: %w", name, err)
		}
		if pages[name], err = words.Localize(t, links.EditionFuncMap, shortDates(loc)); err != nil {
			return nil, fmt.Errorf("site: template %s: %w", name, err)
		}
	}
	return pages, nil
}

// asset reads one of the site's own files with its ETag and its
// versioned address, which may be cached for good.
func asset(name string) (body []byte, etag, url string, err error) {
	body, err = fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		return nil, "", "", err
	}
	sum := sha256.Sum256(body)
	return body, `"` + hex.EncodeToString(sum[:8]) + `"`, links.Static(name) + "?v=" + hex.EncodeToString(sum[:4]), nil
}

// Page is what every template gets: the layout's needs and the page's own
// Content.
type Page struct {
	SiteName    string
	Lang        string        // the edition's language, and so the page's
	Switch      []EditionLink // the same page in the other editions
	Title       string
	Description string
	Canonical   string
	CSS         string
	Script      string // the search box's suggestions script
	ReadScript  string // the read beacon's script, on pages that count a read
	Today       string
	TodayISO    string
	Year        int
	Query       string
	Ticker      template.HTML
	Nav         template.HTML // the sections bar's items, rendered (navHTML)
	Head        template.HTML // extra tags for <head>: feeds, metadata
	Content     any
}

// EditionLink leads to a page in another language: the masthead's
// switch to the other edition, an article's translation.
type EditionLink struct {
	Lang, Name, URL string
}

// NavItem is one link in the sections bar.
type NavItem struct {
	Name, URL string
	Current   bool
	Sub       bool // a country under News, shown after it
}

// response is a rendered page, ready to be cached and served.
type response struct {
	status  int
	ctype   string
	body    []byte
	etag    string
	lastMod time.Time
	// cacheable pages are the same for every reader.
	cacheable bool
	location  string // for redirects
	// stale marks a cached page served past its lifetime (writeStale).
	stale bool
	// about names the one thing a page shows (aboutArticle …), so that a
	// write elsewhere keeps it cached; empty for pages about many.
	about string
	// buf is the render buffer body lies in, which release gives back
	// (render); nil when the response owns its body.
	buf *bytes.Buffer
}

// owned is r with a body of its own, for keeping past r's release.
func (r *response) owned() *response {
	if r.buf == nil {
		return r
	}
	c := *r
	c.body, c.buf = bytes.Clone(r.body), nil
	return &c
}

// newPage fills the layout's part of a Page of lang's edition at path
// (already in the edition). The masthead's switch leads to the front
// pages of the other editions; pages that exist in every edition say
// better with switchTo.
func (s *Site) newPage(ctx context.Context, lang, title, path string, current string) Page {
	now := s.now().In(s.cfg.Location)
	p := Page{
		SiteName:  s.cfg.SiteName,
		Lang:      lang,
		Title:     title,
		Canonical: s.cfg.SiteURL + path,
		CSS:       s.cssURL,
		Script:    s.jsURL,
		Today:     i18n.Date(now, lang),
		TodayISO:  now.Format("2006-01-02"),
		Year:      now.Year(),
	}
	if s.ticker != nil {
		p.Ticker = s.ticker(lang)
	}
	p.Nav = s.navHTML(ctx, lang, current)
	s.switchTo(&p, links.Home)
	return p
}

// navHTML is the sections bar of lang's edition with the section current
// marked, rendered once for every page that shows the same: every page
// shows it, and escaping its links cost each a tenth of its rendering.
// A change to the sections is a write, which drops it.
func (s *Site) navHTML(ctx context.Context, lang, current string) template.HTML {
	now := s.now()
	key := "nav " + lang + " " + current
	if v, ok := s.parts.peek(key, now); ok {
		return v.(template.HTML)
	}
	gen := s.parts.generation() // before the sections are read: a bar read before a write is not kept
	v, err := s.parts.made(key, now, gen, func() (any, error) { return s.renderNav(ctx, lang, current) })
	if err != nil {
		if !errors.Is(err, errNoSections) {
			s.log.Error("sections bar failed", "err", err)
		}
		return "" // the page goes without it
	}
	return v.(template.HTML)
}

// errNoSections is a sections bar not made because the sections are
// unreadable; the page goes without it, as before it was kept.
var errNoSections = errors.New("site: sections unreadable")

// renderNav renders the sections bar of lang's edition with the section
// current marked.
func (s *Site) renderNav(ctx context.Context, lang, current string) (template.HTML, error) {
	tree, err := s.sections.get(ctx)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errNoSections, err)
	}
	var nav []NavItem
	for _, sec := range tree.top() {
		nav = append(nav, NavItem{Name: s.sectionName(lang, sec), URL: links.In(lang, links.Section(sec.Path)), Current: within(current, sec.Path)})
		if sec.Slug != "news" {
			continue
		}
		// The countries, which readers look for by name; on a
		// country's pages it is marked rather than News.
		top := len(nav) - 1
		for _, kid := range tree.kids(sec.ID) {
			in := within(current, kid.Path)
			nav = append(nav, NavItem{Name: s.sectionName(lang, kid), URL: links.In(lang, links.Section(kid.Path)), Current: in, Sub: true})
			if in {
				nav[top].Current = false
			}
		}
	}
	var b strings.Builder
	if err := s.pages["home"].In(lang).ExecuteTemplate(&b, "nav", nav); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// switchTo points the masthead's switch at path (a listing's, in the
// default edition) in each other edition.
func (s *Site) switchTo(p *Page, path string) {
	p.Switch = p.Switch[:0]
	for _, l := range s.words.Languages() {
		if l != p.Lang && s.editions[l] {
			p.Switch = append(p.Switch, EditionLink{Lang: l, Name: s.words.T(l, "lang.self"), URL: links.In(l, path)})
		}
	}
}

// t is a message of the catalogue in lang, for text made in Go.
func (s *Site) t(lang, key string, args ...any) string { return s.words.T(lang, key, args...) }

// sectionName is a section's name in lang's edition: the catalogue's
// (sections.news, sections.news/kazakhstan) where it has one, else the
// name the newsroom gave it.
func (s *Site) sectionName(lang string, sec news.Section) string {
	if lang == links.DefaultLang {
		return sec.Name
	}
	if _, ok := s.words.Message(lang, "sections."+sec.Path); ok {
		return s.t(lang, "sections."+sec.Path)
	}
	return sec.Name
}

// within reports whether the section path current is path or below it.
func within(current, path string) bool {
	return current == path || strings.HasPrefix(current, path+"/")
}

// Render executes a page template into a response. Other packages that
// add pages (AddPage) serve them through ServePage.
//
// The response's body is the pooled buffer it was rendered in, not a
// copy (a fifth of an article page's garbage was that copy): whoever
// keeps a response past writing it keeps its own copy (PageCache.Put),
// and serve gives the buffer back once the page is written (release).
func (s *Site) render(name string, status int, p Page) (*response, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("site: no template %q", name)
	}
	buf := s.buffers.Get().(*bytes.Buffer)
	if err := t.In(p.Lang).ExecuteTemplate(buf, "layout", p); err != nil {
		s.putBuffer(buf)
		return nil, fmt.Errorf("site: render %s: %w", name, err)
	}
	return &response{status: status, ctype: "text/html; charset=utf-8", body: buf.Bytes(), buf: buf, cacheable: status == http.StatusOK}, nil
}

// release gives a written response's render buffer back for the next
// page; resp is not to be used after it.
func (s *Site) release(resp *response) {
	if resp.buf != nil {
		buf := resp.buf
		resp.body, resp.buf = nil, nil
		s.putBuffer(buf)
	}
}

// renderBufferKept bounds the buffers kept for the next page: one that
// grew past it for a very long article is left to the collector.
const renderBufferKept = 1 << 20

// putBuffer gives a page's buffer back for the next page.
func (s *Site) putBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= renderBufferKept {
		buf.Reset()
		s.buffers.Put(buf)
	}
}

func (s *Site) funcs() template.FuncMap {
	fm := links.FuncMap()
	maps.Copy(fm, template.FuncMap{
		"date":      func(t time.Time, lang string) string { return i18n.Date(t.In(s.cfg.Location), lang) },
		"datetime":  func(t time.Time, lang string) string { return i18n.DateTime(t.In(s.cfg.Location), lang) },
		"shortdate": func(t time.Time) string { return shortDate(t.In(s.cfg.Location), links.DefaultLang) },
		"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"html":      func(s string) template.HTML { return template.HTML(s) },
		// apiRoot is where WordPress clients find the REST API.
		"apiRoot": func() string { return links.Abs(s.cfg.SiteURL, links.WPJSON) },
		"words":   news.CutWords,
		"picture": picture,
	})
	return fm
}

// picture writes an <img> for f at the sizes given (the sizes attribute),
// with its renditions as srcset and its width and height so the page does
// not jump as it loads. The lead picture loads first (eager, high
// priority); every other one lazily.
func picture(f *news.Figure, sizes string, lead bool) template.HTML {
	if f == nil || f.URL == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<img src="` + template.HTMLEscapeString(f.URL) + `" alt="` + template.HTMLEscapeString(f.Alt) + `"`)
	if f.SrcSet != "" {
		b.WriteString(` srcset="` + template.HTMLEscapeString(f.SrcSet) + `" sizes="` + template.HTMLEscapeString(sizes) + `"`)
	}
	if f.Width > 0 && f.Height > 0 {
		b.WriteString(` width="` + strconv.Itoa(f.Width) + `" height="` + strconv.Itoa(f.Height) + `"`)
	}
	if lead {
		b.WriteString(` fetchpriority="high"`)
	} else {
		b.WriteString(` loading="lazy" decoding="async"`)
	}
	b.WriteString(`>`)
	return template.HTML(b.String())
}

// bodyHTML marks an article's stored body as safe: it was sanitized when
// it was written (news.RenderBody), never here.
func bodyHTML(a news.Article) template.HTML { return template.HTML(a.BodyHTML) }
