// Package newsroom is the editors' admin at /newsroom/: signing in, the
// article list, the editor with revisions, conflicts and preview, the
// trash, sections, tags, users and the audit log. Every handler asks
// auth.Can; what a page hides is a convenience, not the security.
package newsroom

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/config"
	"dastan/internal/frontpage"
	"dastan/internal/i18n"
	"dastan/internal/links"
	"dastan/internal/locks"
	"dastan/internal/media"
	"dastan/internal/news"
	"dastan/internal/previews"
	"dastan/internal/redirects"
	"dastan/internal/sections"
	"dastan/internal/site"
	"dastan/internal/store"
	"dastan/internal/tags"
	"dastan/internal/users"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is where the newsroom lives.
const Prefix = links.Newsroom

// Options are what a Newsroom is built from.
type Options struct {
	Config config.Config
	Store  *store.DB
	Auth   *auth.Service
	Users  *users.Service
	Site   *site.Site
	Media  *media.Service
	// Articles is the article workflow; nil makes one over Store.
	Articles *articles.Service
	Logger   *slog.Logger
	Now      func() time.Time
}

// Newsroom is the admin's handlers and what they share.
type Newsroom struct {
	cfg       config.Config
	db        *store.DB
	articles  *articles.Service
	auth      *auth.Service
	users     *users.Service
	site      *site.Site
	media     *media.Service
	sections  *sections.Service
	front     *frontpage.Service
	tags      *tags.Service
	redirects *redirects.Service
	locks     *locks.Service
	previews  *previews.Service
	log       *slog.Logger
	now       func() time.Time
	words     *i18n.Catalogue
	pages     map[string]i18n.Localized
	mux       *http.ServeMux
}

// New parses the templates and routes the screens.
func New(o Options) (*Newsroom, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Articles == nil {
		o.Articles = articles.New(articles.Options{Store: o.Store, Now: o.Now, ExcerptLength: o.Config.ExcerptLength})
	}
	n := &Newsroom{cfg: o.Config, db: o.Store, articles: o.Articles, auth: o.Auth, users: o.Users, site: o.Site, media: o.Media, log: o.Logger, now: o.Now, mux: http.NewServeMux(),
		sections:  sections.New(sections.Options{Store: o.Store, Now: o.Now}),
		front:     frontpage.New(frontpage.Options{Store: o.Store, Now: o.Now}),
		tags:      tags.New(tags.Options{Store: o.Store, Now: o.Now}),
		redirects: redirects.New(redirects.Options{Store: o.Store, Now: o.Now}),
		locks:     locks.New(locks.Options{Store: o.Store, Now: o.Now}),
		previews:  previews.New(previews.Options{Store: o.Store, Now: o.Now})}
	var err error
	if n.words, err = i18n.Load(); err != nil {
		return nil, err
	}
	if n.pages, err = n.parse(); err != nil {
		return nil, err
	}
	n.routes()
	return n, nil
}

func (n *Newsroom) routes() {
	m := n.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /newsroom/static/", http.StripPrefix("/newsroom/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /newsroom/signin", n.signinForm)
	m.HandleFunc("POST /newsroom/signin", n.signin)
	m.HandleFunc("POST /newsroom/signout", n.signout)
	m.HandleFunc("GET /newsroom/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, links.NewsroomArticles, http.StatusSeeOther)
	})
	m.HandleFunc("GET /newsroom/articles/", n.staff(n.articleList))
	m.HandleFunc("GET /newsroom/articles/new", n.staff(n.articleNew))
	m.HandleFunc("POST /newsroom/articles/new", n.staff(n.articleCreate))
	m.HandleFunc("GET /newsroom/articles/{id}/", n.staff(n.articleEdit))
	m.HandleFunc("POST /newsroom/articles/{id}/", n.staff(n.articleSave))
	m.HandleFunc("GET /newsroom/articles/{id}/preview", n.staff(n.preview))
	m.HandleFunc("GET /newsroom/articles/{id}/share", n.staff(n.shareList))
	m.HandleFunc("POST /newsroom/articles/{id}/share", n.staff(n.shareSave))
	m.HandleFunc("POST /newsroom/articles/{id}/lock", n.staff(n.takeOver))
	m.HandleFunc("POST /newsroom/articles/{id}/heartbeat", n.staff(n.heartbeat))
	m.HandleFunc("POST /newsroom/articles/{id}/release", n.staff(n.release))
	m.HandleFunc("POST /newsroom/render", n.staff(n.renderBody))
	m.HandleFunc("GET /newsroom/articles/{id}/revisions/", n.staff(n.revisionList))
	m.HandleFunc("GET /newsroom/articles/{id}/revisions/{rev}", n.staff(n.revisionShow))
	m.HandleFunc("POST /newsroom/articles/{id}/revisions/{rev}", n.staff(n.revisionRestore))
	m.HandleFunc("POST /newsroom/articles/{id}/trash", n.staff(n.trashArticle))
	m.HandleFunc("POST /newsroom/articles/{id}/restore", n.staff(n.restoreArticle))
	m.HandleFunc("GET /newsroom/trash/", n.staff(n.trashList))
	m.HandleFunc("GET /newsroom/front/", n.staff(n.frontList))
	m.HandleFunc("POST /newsroom/front/", n.staff(n.frontSave))
	m.HandleFunc("GET /newsroom/sections/", n.staff(n.sectionList))
	m.HandleFunc("POST /newsroom/sections/", n.staff(n.sectionSave))
	m.HandleFunc("GET /newsroom/tags/", n.staff(n.tagList))
	m.HandleFunc("POST /newsroom/tags/", n.staff(n.tagSave))
	m.HandleFunc("GET /newsroom/redirects/", n.staff(n.redirectList))
	m.HandleFunc("POST /newsroom/redirects/", n.staff(n.redirectSave))
	m.HandleFunc("GET /newsroom/users/", n.staff(n.userList))
	m.HandleFunc("POST /newsroom/users/", n.staff(n.userSave))
	m.HandleFunc("GET /newsroom/account/", n.staff(n.account))
	m.HandleFunc("POST /newsroom/account/", n.staff(n.accountSave))
	m.HandleFunc("GET /newsroom/reset/{token}", n.resetForm)
	m.HandleFunc("POST /newsroom/reset/{token}", n.resetSave)
	m.HandleFunc("GET /newsroom/audit/", n.staff(n.auditList))
	m.HandleFunc("GET /newsroom/media/", n.staff(n.mediaList))
	m.HandleFunc("POST /newsroom/media/", n.staff(n.mediaUpload))
	m.HandleFunc("POST /newsroom/media/{id}", n.staff(n.mediaSave))
	m.HandleFunc("GET /newsroom/application-passwords/", n.staff(n.appPasswordList))
	m.HandleFunc("POST /newsroom/application-passwords/", n.staff(n.appPasswordSave))
	m.HandleFunc("GET /newsroom/tokens/", n.staff(n.tokenList))
	m.HandleFunc("POST /newsroom/tokens/", n.staff(n.tokenSave))
	m.HandleFunc("/newsroom/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "There is no such page in the newsroom.", http.StatusNotFound)
	})
}

// Handler is the newsroom behind cross-origin protection: a form posted
// from another site is refused before any handler sees it.
func (n *Newsroom) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "This form was sent from another site and has been refused.", http.StatusForbidden)
	}))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !sameOrigin(r) {
			http.Error(w, "This form was sent from another site and has been refused.", http.StatusForbidden)
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		n.mux.ServeHTTP(w, r)
	}))
}

// sameOrigin checks the Origin header on top of CrossOriginProtection's
// Sec-Fetch-Site check: a present Origin must name this host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true // not a browser, or an old one; SameSite cookies still hold
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

type ctxKey struct{}

// staff lets only signed-in users through, sending others to sign in.
func (n *Newsroom) staff(h func(w http.ResponseWriter, r *http.Request, u auth.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := n.auth.UserOf(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, links.NewsroomSigninNext(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "Please sign in again.", http.StatusUnauthorized)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)), u)
	}
}

// Page is what every newsroom template gets.
type Page struct {
	Lang    string // the newsroom's language for this user; "" is English
	Title   string
	User    auth.User
	Nav     string
	Flash   string
	Error   string
	Content any
}

func (n *Newsroom) funcs() template.FuncMap {
	fm := links.FuncMap()
	maps.Copy(fm, template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(n.cfg.Location).Format("2 Jan 2006 15:04")
		},
		"can": func(u auth.User, act string) bool { return auth.Can(u, auth.Action(act), nil) },
	})
	maps.Copy(fm, n.words.FuncMap(i18n.Default))
	return fm
}

func (n *Newsroom) parse() (map[string]i18n.Localized, error) {
	base, err := template.New("").Funcs(n.funcs()).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("newsroom: layout: %w", err)
	}
	pages := map[string]i18n.Localized{}
	for _, name := range []string{"signin", "articles", "edit", "locked", "share", "conflict", "revisions", "revision", "trash", "front", "sections", "tags", "redirects", "users", "account", "reset", "audit", "media", "tokens", "app_passwords", "error"} {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("newsroom: template %s: %w", name, err)
		}
		if pages[name], err = n.words.Localize(t, n.stamps); err != nil {
			return nil, fmt.Errorf("newsroom: template %s: %w", name, err)
		}
	}
	return pages, nil
}

// stamps gives each language's pages when in that language.
func (n *Newsroom) stamps(lang string) template.FuncMap {
	return template.FuncMap{"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return i18n.Stamp(t.In(n.cfg.Location), lang)
	}}
}

// t is a message of the catalogue in the language u reads the newsroom in.
func (n *Newsroom) t(u auth.User, key string, args ...any) string {
	return n.words.T(n.langOf(u), key, args...)
}

// render writes a page; a template failure becomes a plain 500.
func (n *Newsroom) render(w http.ResponseWriter, status int, name string, p Page) {
	if p.Lang == "" {
		p.Lang = n.langOf(p.User)
	}
	var buf bytes.Buffer
	if err := n.pages[name].In(p.Lang).ExecuteTemplate(&buf, "layout", p); err != nil {
		n.log.Error("newsroom: render", "page", name, "err", err)
		http.Error(w, "Something went wrong. Please try again in a moment.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows a plain-words error page; the details go to the log only.
func (n *Newsroom) fail(w http.ResponseWriter, r *http.Request, u auth.User, err error) {
	status, msg := http.StatusInternalServerError, "Something went wrong. Please try again in a moment."
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, articles.ErrTrashed):
		status, msg = http.StatusNotFound, "That is not here any more."
	case errors.Is(err, errForbidden), errors.Is(err, auth.ErrForbidden):
		status, msg = http.StatusForbidden, "Your role does not allow that."
	default:
		n.log.Error("newsroom", "path", r.URL.Path, "err", err)
	}
	n.render(w, status, "error", Page{Title: n.t(u, "nr.title.sorry"), User: u, Error: msg})
}

// errForbidden is a refusal; it is the articles service's, so fail
// answers the service's refusals and the newsroom's own alike.
var errForbidden = articles.ErrForbidden

// invalid is the message of a service's refusal of bad input (a
// *news.FieldError, or an upload the library's checks refuse), fit to show
// on the form's page with a 422.
func invalid(err error) (string, bool) {
	var fe *news.FieldError
	switch {
	case errors.As(err, &fe):
		return fe.Message, true
	case errors.Is(err, media.ErrRejected):
		return err.Error(), true
	}
	return "", false
}

// forbid answers 403 unless u may do act on a.
func (n *Newsroom) allowed(w http.ResponseWriter, r *http.Request, u auth.User, act auth.Action, a *auth.ArticleRef) bool {
	if auth.Can(u, act, a) {
		return true
	}
	n.fail(w, r, u, errForbidden)
	return false
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("newsroom: %s %q: %w", name, r.PathValue(name), store.ErrNotFound)
	}
	return id, nil
}

// loadArticle returns the article at {id} and what permissions know of
// it, when u may view it.
func (n *Newsroom) loadArticle(r *http.Request, u auth.User) (news.Article, auth.ArticleRef, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return news.Article{}, auth.ArticleRef{}, err
	}
	return n.articles.Get(r.Context(), u, id)
}

// audit records what u did; a failure is logged, not shown.
func (n *Newsroom) audit(ctx context.Context, u auth.User, action, subject, detail string) {
	err := n.db.AddAudit(ctx, store.AuditEntry{UserID: u.ID, Action: action, Subject: subject, Detail: detail, CreatedAt: n.now().UTC()})
	if err != nil {
		n.log.Error("newsroom: audit", "err", err)
	}
}

// PurgeTrash deletes articles trashed more than articles.TrashLife ago,
// now and then every interval, until ctx ends.
func (n *Newsroom) PurgeTrash(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if c, err := n.articles.PurgeTrash(ctx); err != nil {
			n.log.Error("purge trash", "err", err)
		} else if c > 0 {
			n.log.Info("trash purged", "articles", c)
		}
		if err := n.auth.Tidy(ctx); err != nil {
			n.log.Error("tidy sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
