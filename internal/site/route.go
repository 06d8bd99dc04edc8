package site

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/ratelimit"
)

// params are what the public router read from a path.
type params struct {
	lang string   // the edition: links.DefaultLang, or the code before the path (/ru/…)
	segs []string // path segments after the prefix, e.g. the section path
	page int
	// oldQuery is set for WordPress's query addresses (/?p=123).
	oldQuery bool
}

// Routes registers the public site on mux. Its catch-all "/" reads
// WordPress's URL shapes itself, because ServeMux patterns cannot say
// "/{slug}/ unless it is /category/…" without conflicts.
func (s *Site) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /static/{name}", s.serveStatic)
	mux.HandleFunc("GET "+links.SearchSuggest, s.serveSuggest)
	mux.HandleFunc("GET /", s.route)
	mux.HandleFunc("POST /{slug}/{$}", s.articleUnlock)
	mux.HandleFunc("POST "+links.ReadBeacon+"{id}", s.countRead)
}

func (s *Site) route(w http.ResponseWriter, r *http.Request) {
	lang, path := links.FromEdition(r.URL.Path, s.words.Languages())
	if h, ok := s.searchFeedRoute(r); ok {
		s.serveGated(s.searchCache, w, r, h, params{lang: lang}, s.admitSearch)
		return
	}
	if h, ok := s.machineRoute(lang, path); ok {
		s.serve(w, r, h, params{lang: lang})
		return
	}
	if to := s.queryFeedRedirect(r); to != "" {
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return
	}
	if r.URL.Query().Has("s") || path == links.SearchPage {
		s.serveSearch(w, r, lang)
		return
	}
	if path != "/" && !strings.HasSuffix(path, "/") {
		// WordPress answers /slug with /slug/; files that are not here are 404.
		if strings.Contains(path[strings.LastIndex(path, "/"):], ".") {
			s.serve(w, r, s.notFound, params{})
			return
		}
		to := r.URL.Path + "/"
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if segs[0] == "" {
		segs = nil
	}
	p := params{lang: lang, page: 1, oldQuery: r.URL.RawQuery != "" && hasOldQuery(r)}
	if n := len(segs); n >= 2 && segs[n-2] == "page" {
		page, err := strconv.Atoi(segs[n-1])
		if err != nil || page < 1 || page > 100000 {
			s.serve(w, r, s.notFound, p)
			return
		}
		if page == 1 {
			http.Redirect(w, r, links.In(lang, links.Dir(segs[:n-2])), http.StatusMovedPermanently)
			return
		}
		p.page, segs = page, segs[:n-2]
	}
	if len(segs) == 2 && segs[1] == "embed" && p.page == 1 {
		// WordPress's /{slug}/embed/: the card other sites frame (oEmbed).
		w.Header().Set("Content-Security-Policy", embedPolicy)
		p.segs = segs[:1]
		s.serve(w, r, s.embedPage, p)
		return
	}
	h := s.pick(segs, &p)
	if h == nil {
		s.serve(w, r, s.notFound, p)
		return
	}
	s.serve(w, r, h, p)
}

// pick chooses the page for a path's segments.
func (s *Site) pick(segs []string, p *params) handlerFunc {
	n := len(segs)
	switch {
	case n == 0 && p.page == 1 && p.oldQuery:
		return s.notFound // WordPress's /?p=123, answered from the redirects
	case n == 0 && p.page == 1:
		return s.home
	case n == 0:
		return s.latest
	case segs[0] == "category" && n > 1:
		p.segs = segs[1:]
		return s.sectionPage
	case segs[0] == "tag" && n == 2:
		p.segs = segs[1:]
		return s.tagPage
	case segs[0] == "author" && n == 2:
		p.segs = segs[1:]
		return s.authorPage
	case segs[0] == "rates" && n == 1 && p.page == 1 && s.board != nil:
		return s.ratesPage
	case isNumber(segs[0], 4) && n <= 3:
		p.segs = segs
		return s.archivePage
	case isNumber(segs[0], 4) && n == 4 && isNumber(segs[1], 2) && isNumber(segs[2], 2):
		p.segs = segs[3:]
		return s.datedPermalink
	case n == 1 && p.page == 1 && p.lang != links.DefaultLang:
		// Polylang's /ru/{slug}/: an article has one permalink, /{slug}/.
		p.segs = segs
		return s.datedPermalink
	case n == 1 && p.page == 1:
		p.segs = segs
		return s.articlePage
	}
	return nil
}

func isNumber(s string, digits int) bool {
	if len(s) != digits {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// serveStatic serves the embedded stylesheet and demo pictures.
func (s *Site) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name == "site.css" {
		s.serveCSS(w, r)
		return
	}
	if name == "suggest.js" {
		s.serveScript(w, r)
		return
	}
	if name == "read.js" {
		serveAsset(w, r, "text/javascript; charset=utf-8", s.readJS, s.readETag)
		return
	}
	if name == "manifest.webmanifest" {
		s.serveManifest(w)
		return
	}
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil || !strings.HasSuffix(name, ".svg") {
		s.serve(w, r, s.notFound, params{})
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(b)
}

// serveManifest is the web app manifest: the site's name, colour and
// icon for a phone's home screen.
func (s *Site) serveManifest(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	json.NewEncoder(w).Encode(map[string]any{
		"name": s.cfg.SiteName, "short_name": s.cfg.SiteName, "start_url": links.Home, "display": "browser",
		"background_color": "#ffffff", "theme_color": "#0b5394",
		"icons": []map[string]string{{"src": links.Static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}},
	})
}

func (s *Site) serveCSS(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "text/css; charset=utf-8", s.css, s.cssETag)
}

// serveScript serves the search box's suggestions script.
func (s *Site) serveScript(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, "text/javascript; charset=utf-8", s.js, s.jsETag)
}

// serveAsset serves one of the site's own files, cached for a year when
// the address carries its version (?v=) and for an hour otherwise.
func serveAsset(w http.ResponseWriter, r *http.Request, ctype string, body []byte, etag string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("ETag", etag)
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}

// serveSearch answers /?s= and /search/ through the search pages' own
// cache. A page from the cache is free; a search that reaches the store
// spends the reader's budget, so one client cannot keep the cores busy.
func (s *Site) serveSearch(w http.ResponseWriter, r *http.Request, lang string) {
	s.serveGated(s.searchCache, w, r, s.searchPage, params{lang: lang}, s.admitSearch)
}

// admitSearch spends one of the reader's searches, or answers 429 when
// the budget is spent.
func (s *Site) admitSearch(w http.ResponseWriter, r *http.Request) bool {
	ok, wait := s.searches.Allow(ratelimit.Address(auth.ClientIP(r)), ratelimit.PerMinute(s.cfg.SearchPerMinute))
	if !ok {
		ratelimit.TooMany(w, wait, "Too many searches from your address. Please wait a little and try again.")
	}
	return ok
}
