package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/config"
	"dastan/internal/links"
	"dastan/internal/media"
	"dastan/internal/ratelimit"
	"dastan/internal/sections"
	"dastan/internal/store"
	"dastan/internal/tags"
)

// Options are what the API is built from.
type Options struct {
	Config config.Config
	Store  *store.DB
	Media  *media.Service
	// Auth checks WordPress clients' Application Passwords (HTTP Basic)
	// under sign-in's limits; nil refuses them.
	Auth *auth.Service
	// Sections and Tags are the rules term writes go through; nil makes
	// them over Store.
	Sections *sections.Service
	Tags     *tags.Service
	// Articles is the article workflow writes go through; nil makes one
	// over Store.
	Articles *articles.Service
	Rates    *Rates // served under /api/v1/rates, behind the same limits
	// Search serves /api/v1/search (the site's search as JSON), behind the
	// same limits; nil leaves it out.
	Search http.HandlerFunc
	Limits Limits // zero means DefaultLimits
	Now    func() time.Time
	Logger *slog.Logger
}

// API is the JSON API under /api/v1/ and the WordPress-compatible reads
// under /wp-json/wp/v2/.
type API struct {
	cfg      config.Config
	db       *store.DB
	articles *articles.Service
	media    *media.Service
	auth     *auth.Service
	sections *sections.Service
	tags     *tags.Service
	rates    *Rates
	search   http.HandlerFunc
	limiter  *ratelimit.Limiter
	limits   Limits
	now      func() time.Time
	log      *slog.Logger
	patterns []string
}

// New makes the API.
func New(o Options) *API {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Limits == (Limits{}) {
		o.Limits = DefaultLimits
	}
	if o.Articles == nil {
		o.Articles = articles.New(articles.Options{Store: o.Store, Now: o.Now, ExcerptLength: o.Config.ExcerptLength, Media: o.Media})
	}
	if o.Sections == nil {
		o.Sections = sections.New(sections.Options{Store: o.Store, Now: o.Now})
	}
	if o.Tags == nil {
		o.Tags = tags.New(tags.Options{Store: o.Store, Now: o.Now})
	}
	return &API{cfg: o.Config, db: o.Store, articles: o.Articles, media: o.Media, auth: o.Auth, sections: o.Sections, tags: o.Tags, rates: o.Rates, search: o.Search, limiter: ratelimit.New(o.Limits.MaxClients, o.Now).Share(o.Store.Tally("api")), limits: o.Limits, now: o.Now, log: o.Logger}
}

// Registrar is where endpoints are registered: a ServeMux, or the API's
// recorder that puts its limits in front of each.
type Registrar interface {
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

type recorder struct {
	a   *API
	mux *http.ServeMux
}

func (rc recorder) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	rc.a.patterns = append(rc.a.patterns, pattern)
	rc.mux.Handle(pattern, rc.a.guard(http.HandlerFunc(h)))
}

// Routes registers every endpoint on mux.
func (a *API) Routes(mux *http.ServeMux) {
	r := recorder{a, mux}
	if a.rates != nil {
		a.rates.Routes(r)
	}
	if a.search != nil {
		r.HandleFunc("GET /api/v1/search", a.search)
	}
	r.HandleFunc("GET /api/v1/openapi.json", a.openAPI)
	r.HandleFunc("GET /api/v1/articles", a.listArticles)
	r.HandleFunc("GET /api/v1/articles/{ref}", a.getArticle)
	r.HandleFunc("POST /api/v1/articles", a.createArticle)
	r.HandleFunc("PATCH /api/v1/articles/{id}", a.patchArticle)
	r.HandleFunc("PUT /api/v1/articles/{id}", a.putArticle)
	r.HandleFunc("POST /api/v1/articles/{id}/publish", a.publishArticle)
	r.HandleFunc("GET /api/v1/sections", a.listSections)
	r.HandleFunc("GET /api/v1/tags", a.listTags)
	r.HandleFunc("GET /api/v1/authors", a.listAuthors)
	r.HandleFunc("GET /api/v1/media", a.listMedia)
	r.HandleFunc("POST /api/v1/media", a.createMedia)
	r.HandleFunc("GET /api/v1/media/{id}", a.getMedia)
	r.HandleFunc("GET /wp-json/wp/v2/posts", a.wpPosts)
	r.HandleFunc("GET /wp-json/wp/v2/posts/{id}", a.wpPost)
	r.HandleFunc("GET /wp-json/wp/v2/categories", a.wpCategories)
	r.HandleFunc("GET /wp-json/wp/v2/categories/{id}", a.wpCategory)
	r.HandleFunc("GET /wp-json/wp/v2/tags", a.wpTags)
	r.HandleFunc("GET /wp-json/wp/v2/tags/{id}", a.wpTag)
	r.HandleFunc("GET /wp-json/wp/v2/users", a.wpUsers)
	r.HandleFunc("GET /wp-json/wp/v2/users/{id}", a.wpUser)
	r.HandleFunc("GET /wp-json/wp/v2/media", a.wpMediaList)
	r.HandleFunc("GET /wp-json/wp/v2/media/{id}", a.wpMediaItem)
	r.HandleFunc("POST /wp-json/wp/v2/posts", a.wpCreatePost)
	r.HandleFunc("PUT /wp-json/wp/v2/posts/{id}", a.wpUpdatePost) // listed as POST, PUT, PATCH
	r.HandleFunc("POST /wp-json/wp/v2/posts/{id}", a.wpUpdatePost)
	r.HandleFunc("PATCH /wp-json/wp/v2/posts/{id}", a.wpUpdatePost)
	r.HandleFunc("DELETE /wp-json/wp/v2/posts/{id}", a.wpDeletePost)
	r.HandleFunc("POST /wp-json/wp/v2/categories", a.wpCreateCategory)
	r.HandleFunc("POST /wp-json/wp/v2/tags", a.wpCreateTag)
	r.HandleFunc("POST /wp-json/wp/v2/media", a.wpCreateMedia)
	r.HandleFunc("POST /wp-json/wp/v2/pages", a.wpCreatePage)
	r.HandleFunc("PUT /wp-json/wp/v2/pages/{id}", a.wpUpdatePage)
	r.HandleFunc("POST /wp-json/wp/v2/pages/{id}", a.wpUpdatePage)
	r.HandleFunc("PATCH /wp-json/wp/v2/pages/{id}", a.wpUpdatePage)
	r.HandleFunc("DELETE /wp-json/wp/v2/pages/{id}", a.wpDeletePage)
	r.HandleFunc("GET "+links.OEmbed, a.oembed)
	r.HandleFunc("GET /wp-json/wp/v2/pages", a.wpPages)
	r.HandleFunc("GET /wp-json/wp/v2/pages/{id}", a.wpPage)
	r.HandleFunc("GET /wp-json/wp/v2/types", a.wpTypes)
	r.HandleFunc("GET /wp-json/wp/v2/types/{type}", a.wpType)
	r.HandleFunc("GET /wp-json/wp/v2/taxonomies", a.wpTaxonomies)
	r.HandleFunc("GET /wp-json/wp/v2/taxonomies/{taxonomy}", a.wpTaxonomy)
	r.HandleFunc("GET /wp-json/wp/v2/statuses", a.wpStatuses)
	r.HandleFunc("GET /wp-json/wp/v2/statuses/{status}", a.wpStatusItem)
	mux.Handle("GET /wp-json/{$}", a.guard(http.HandlerFunc(a.wpIndex)))
	mux.Handle("GET /wp-json/wp/v2/{$}", a.guard(a.wpNamespace("wp/v2")))
	mux.Handle("GET /wp-json/wp/v2", a.guard(a.wpNamespace("wp/v2")))
	mux.Handle("GET /wp-json/oembed/1.0", a.guard(a.wpNamespace("oembed/1.0")))
	// Anything else under the API's prefixes is answered in the API's own
	// error shape rather than by the site's HTML 404 page.
	mux.Handle("GET /api/", a.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "No such endpoint", "There is no endpoint at "+r.Method+" "+r.URL.Path+". See /api/v1/openapi.json.")
	})))
	mux.Handle("GET /wp-json/", a.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wpError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.", nil)
	})))
}

// Patterns lists the endpoints Routes registered, as ServeMux patterns.
func (a *API) Patterns() []string { return append([]string(nil), a.patterns...) }

// clientKey holds the caller as the guard found it.
type clientKey struct{}

// caller is who is asking: anonymous, a token with its effective role,
// or a user through one of their Application Passwords (WordPress
// clients, /wp-json only), with their own role.
type caller struct {
	token *store.APIToken
	app   *store.AppPassword
	user  auth.User // with the token's role, never more than its maker's
	ip    string
}

func (c caller) staff() bool { return c.token != nil || c.app != nil }

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(clientKey{}).(caller)
	return c
}

func isWP(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/wp-json/") }

// guard finds the caller, applies its rate limit and passes it on.
func (a *API) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := caller{ip: auth.ClientIP(r)}
		tok, bad := bearer(r)
		if email, pass, basic := r.BasicAuth(); basic && isWP(r) {
			var ok bool
			if c, ok = a.identifyBasic(w, r, email, pass); !ok {
				return
			}
		} else if tok != "" || bad {
			var err error
			c, err = a.identify(r, tok)
			if err != nil || bad {
				// A wrong token spends the address's anonymous budget, so
				// guessing tokens is as slow as anything else.
				if ok, retry := a.allow("ip:"+ratelimit.Address(c.ip), false); !ok {
					a.tooMany(w, r, retry)
					return
				}
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				if isWP(r) {
					wpError(w, http.StatusUnauthorized, "rest_not_logged_in", "The API token is not valid.", nil)
					return
				}
				problem(w, http.StatusUnauthorized, "Invalid token", "The API token is unknown, revoked, or its user is disabled.")
				return
			}
		}
		key := "ip:" + ratelimit.Address(c.ip)
		if c.token != nil {
			key = "t:" + strconv.FormatInt(c.token.ID, 10)
		}
		if c.app != nil {
			key = "a:" + strconv.FormatInt(c.app.ID, 10)
		}
		if ok, retry := a.allow(key, c.staff()); !ok {
			a.tooMany(w, r, retry)
			return
		}
		w.Header().Set("Vary", "Authorization")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

func (a *API) tooMany(w http.ResponseWriter, r *http.Request, retry time.Duration) {
	ratelimit.SetRetryAfter(w.Header(), retry)
	if isWP(r) {
		wpError(w, http.StatusTooManyRequests, "rest_too_many_requests", "Too many requests. Please slow down.", nil)
		return
	}
	problem(w, http.StatusTooManyRequests, "Too many requests", "This client has used its request budget. Try again after Retry-After seconds.")
}

// bearer returns the token of an Authorization: Bearer header; bad is set
// when there is an Authorization header that is not one.
func bearer(r *http.Request) (tok string, bad bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, rest, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
		return "", true
	}
	return strings.TrimSpace(rest), false
}

// reply writes v as JSON with an ETag, and answers a matching
// If-None-Match with 304. Anonymous answers may be cached by anyone;
// a token's only by nobody.
func (a *API) reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if !isWP(r) {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		a.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if callerOf(r).staff() || r.Method != http.MethodGet {
		h.Set("Cache-Control", "private, no-store")
	} else {
		h.Set("Cache-Control", "public, max-age=60")
	}
	if r.Method == http.MethodGet && status == http.StatusOK {
		sum := sha256.Sum256(buf.Bytes())
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		h.Set("ETag", etag)
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// fail answers an unexpected error in plain words; the details go to the log.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		if isWP(r) {
			wpError(w, http.StatusNotFound, "rest_not_found", "Not found.", nil)
			return
		}
		problem(w, http.StatusNotFound, "Not found", "There is nothing here.")
		return
	}
	a.log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
	if isWP(r) {
		wpError(w, http.StatusInternalServerError, "rest_internal_error", "Something went wrong. Please try again in a moment.", nil)
		return
	}
	problem(w, http.StatusInternalServerError, "Something went wrong", "Please try again in a moment.")
}

// identify looks the token up; its role is capped by its maker's present
// role. Use is recorded at most once a minute.
func (a *API) identify(r *http.Request, tok string) (caller, error) {
	c := caller{ip: auth.ClientIP(r)}
	hash, ok := auth.HashAPIToken(tok)
	if !ok {
		return c, store.ErrNotFound
	}
	t, u, err := a.db.APITokenUser(r.Context(), hash)
	if err != nil {
		return c, err
	}
	now := a.now().UTC()
	if now.Sub(t.LastUsedAt) > time.Minute {
		if err := a.db.TouchAPIToken(r.Context(), t.ID, now); err != nil {
			a.log.Error("api: token use", "err", err)
		}
	}
	c.token = &t
	c.user = auth.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: auth.Lesser(auth.Role(t.Role), auth.Role(u.Role))}
	return c, nil
}
