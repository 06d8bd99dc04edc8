package site

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/links"
)

// handlerFunc renders a page or returns an error, which becomes a plain
// error page; handlers never write to the ResponseWriter themselves.
type handlerFunc func(r *http.Request, p params) (*response, error)

// serve answers r with h's page, through the page cache, with ETag and
// Last-Modified validators and CDN-friendly Cache-Control.
func (s *Site) serve(w http.ResponseWriter, r *http.Request, h handlerFunc, p params) {
	s.serveWith(s.cache, w, r, h, p)
}

// serveWith is serve through a given page cache.
func (s *Site) serveWith(cache *PageCache, w http.ResponseWriter, r *http.Request, h handlerFunc, p params) {
	s.serveGated(cache, w, r, h, p, nil)
}

// serveGated is serveWith that asks admit before rendering a page the
// cache does not hold; admit answers the request itself when it refuses.
func (s *Site) serveGated(cache *PageCache, w http.ResponseWriter, r *http.Request, h handlerFunc, p params, admit func(http.ResponseWriter, *http.Request) bool) {
	now := s.now()
	key := r.URL.Path + "?" + r.URL.RawQuery
	cacheable := r.Method == http.MethodGet || r.Method == http.MethodHead
	resp, hit := (*response)(nil), false
	if cacheable {
		resp, hit = cache.Get(key, now)
	}
	if !hit {
		if admit != nil && !admit(w, r) {
			return
		}
		gen := cache.Generation()
		var err error
		resp, err = h(r, p)
		if err != nil {
			if old, age, ok := cache.Stale(key, now); ok && cacheable {
				s.log.Warn("page failed; serving the last good one", "path", r.URL.Path, "age", age.Round(time.Second), "err", err)
				s.writeStale(w, r, old, age)
				return
			}
			s.log.Error("page failed", "path", r.URL.Path, "err", err)
			if s.db.Reachable(r.Context()) != nil {
				s.unavailable(w, r)
				return
			}
			resp = s.errorPage(r)
		}
		finish(resp)
		if cacheable && resp.cacheable {
			cache.Put(key, resp, gen, now)
		}
		defer s.release(resp) // kept, it was copied
	}
	s.write(w, r, resp)
}

// writeStale answers with a cached page past its lifetime, said so in
// Warning and Age (RFC 9111), and kept by nobody downstream: the store
// failed, and a fresh page follows once it answers.
func (s *Site) writeStale(w http.ResponseWriter, r *http.Request, resp *response, age time.Duration) {
	stale := *resp
	stale.stale = true
	w.Header().Set("Age", strconv.Itoa(int(age/time.Second)))
	w.Header().Set("Warning", `110 - "Response is Stale"`)
	s.write(w, r, &stale)
}

// unavailable answers a page the store cannot render now and no cache
// holds: 503, to be asked again shortly.
func (s *Site) unavailable(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "30")
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "The site is briefly unavailable. Please try again in a moment.", http.StatusServiceUnavailable)
}

// finish computes a page's ETag once, when it is rendered.
func finish(resp *response) {
	if resp.etag == "" && resp.body != nil {
		sum := sha256.Sum256(resp.body)
		resp.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	}
}

func (s *Site) write(w http.ResponseWriter, r *http.Request, resp *response) {
	h := w.Header()
	if resp.location != "" {
		h.Set("Location", resp.location)
		h.Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(resp.status)
		return
	}
	h.Set("Content-Type", resp.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(resp.ctype, "text/html") {
		// WordPress announces its REST API on every page so that clients
		// (WPAPI.discover, apps) find it from the site's address alone.
		h.Add("Link", "<"+links.Abs(s.cfg.SiteURL, links.WPJSON)+`>; rel="https://api.w.org/"`)
	}
	// The newsroom's preview comes through here with its own, stricter
	// headers already set; they stay.
	if h.Get("Content-Security-Policy") == "" {
		h.Set("Content-Security-Policy", s.csp)
	}
	if h.Get("Referrer-Policy") == "" {
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	}
	if resp.stale {
		h.Set("Cache-Control", "no-cache")
	} else if resp.cacheable {
		ttl := int(s.cfg.CacheTTL / time.Second)
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(ttl)+", stale-while-revalidate="+strconv.Itoa(ttl)+", stale-if-error=86400")
	} else {
		h.Set("Cache-Control", "no-store")
	}
	if resp.etag != "" {
		h.Set("ETag", resp.etag)
	}
	if !resp.lastMod.IsZero() {
		h.Set("Last-Modified", resp.lastMod.UTC().Format(http.TimeFormat))
	}
	if resp.status == http.StatusOK && notModified(r, resp) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	if r.Method != http.MethodHead {
		w.Write(resp.body)
	}
}

// notModified applies RFC 9110's rule: If-None-Match wins over
// If-Modified-Since when both are sent.
func notModified(r *http.Request, resp *response) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatch(inm, resp.etag)
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !resp.lastMod.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !resp.lastMod.Truncate(time.Second).After(t)
	}
	return false
}

func etagMatch(header, etag string) bool {
	if etag == "" {
		return false
	}
	for _, part := range splitComma(header) {
		if part == "*" || part == etag || part == "W/"+etag {
			return true
		}
	}
	return false
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			part := s[start:i]
			for len(part) > 0 && part[0] == ' ' {
				part = part[1:]
			}
			for len(part) > 0 && part[len(part)-1] == ' ' {
				part = part[:len(part)-1]
			}
			if part != "" {
				out = append(out, part)
			}
			start = i + 1
		}
	}
	return out
}

func redirect(status int, to string) *response {
	return &response{status: status, location: to}
}

// jsonResponse is a cacheable JSON answer.
func jsonResponse(v any) (*response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, ctype: "application/json; charset=utf-8", body: b, cacheable: true}, nil
}
