// Package newsroom is the editors' admin at /newsroom/: signing in, the
// article list, the editor with revisions, conflicts and preview, the
// trash, sections, tags, users and the audit log. Every handler asks
// auth.Can; what a page hides is a convenience, not the security.
package newsroom

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
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
		o.Articles = articles.New(articles.Options{Store: o.Store, Now: o.Now, ExcerptLength: o.Config.ExcerptLength, Media: o.Media})
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
		u, _ := n.auth.UserOf(r)
		http.Error(w, n.t(u, "nr.msg.no_page"), http.StatusNotFound)
	})
}

// Handler is the newsroom behind cross-origin protection: a form posted
// from another site is refused before any handler sees it.
func (n *Newsroom) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.crossSite(w, r)
	}))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !sameOrigin(r) {
			n.crossSite(w, r)
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

// crossSite refuses a form sent from another site, in the language of
// the user whose cookie it carried.
func (n *Newsroom) crossSite(w http.ResponseWriter, r *http.Request) {
	u, _ := n.auth.UserOf(r)
	http.Error(w, n.t(u, "nr.msg.cross_site"), http.StatusForbidden)
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
			http.Error(w, n.t(auth.User{}, "nr.msg.signin_again"), http.StatusUnauthorized)
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
		"can":         func(u auth.User, act string) bool { return auth.Can(u, auth.Action(act), nil) },
		"scriptWords": n.scriptWords(i18n.Default),
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

// stamps gives each language's pages when in that language, and the
// words of its scripts.
func (n *Newsroom) stamps(lang string) template.FuncMap {
	return template.FuncMap{"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return i18n.Stamp(t.In(n.cfg.Location), lang)
	}, "scriptWords": n.scriptWords(lang)}
}

// scriptWords gives the words of the newsroom's scripts in lang (the
// catalogue's nr.script.*), as the JSON the editor's form carries in its
// data-words attribute: the CSP allows no inline script to hold them.
func (n *Newsroom) scriptWords(lang string) func() string {
	b, err := json.Marshal(n.words.Script(lang, "nr.script."))
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	s := string(b)
	return func() string { return s }
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
		http.Error(w, n.words.T(p.Lang, "nr.msg.went_wrong"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows a plain-words error page; the details go to the log only.
func (n *Newsroom) fail(w http.ResponseWriter, r *http.Request, u auth.User, err error) {
	status, key := http.StatusInternalServerError, "nr.msg.went_wrong"
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, articles.ErrTrashed):
		status, key = http.StatusNotFound, "nr.msg.gone"
	case errors.Is(err, errForbidden), errors.Is(err, auth.ErrForbidden):
		status, key = http.StatusForbidden, "nr.msg.forbidden"
	default:
		n.log.Error("newsroom", "path", r.URL.Path, "err", err)
	}
	n.render(w, status, "error", Page{Title: n.t(u, "nr.title.sorry"), User: u, Error: n.t(u, key)})
}

// errForbidden is a refusal; it is the articles service's, so fail
// answers the service's refusals and the newsroom's own alike.
var errForbidden = articles.ErrForbidden

// invalid is the message of a service's refusal of bad input (a
// *news.FieldError, or an upload the library's checks refuse), in u's
// language, fit to show on the form's page with a 422.
func (n *Newsroom) invalid(u auth.User, err error) (string, bool) {
	var fe *news.FieldError
	switch {
	case errors.As(err, &fe):
		return n.fieldMessage(u, fe), true
	case errors.Is(err, media.ErrRejected):
		return n.rejectedUpload(u, err), true
	}
	return "", false
}

// uploadRefusals are the catalogue's words for each reason the media
// library refuses a file.
var uploadRefusals = []struct {
	kind error
	key  string
}{
	{media.ErrEmpty, "nr.media.refused.empty"},
	{media.ErrTooLarge, "nr.media.refused.too_large"},
	{media.ErrNotImage, "nr.media.refused.not_image"},
	{media.ErrSVG, "nr.media.refused.svg"},
	{media.ErrAnimWebP, "nr.media.refused.anim_webp"},
	{media.ErrTooManyPixels, "nr.media.refused.too_many_pixels"},
	{media.ErrDamaged, "nr.media.refused.damaged"},
}

// rejectedUpload is the library's refusal of a file in u's language.
func (n *Newsroom) rejectedUpload(u auth.User, err error) string {
	var args []any
	var l interface{ Limits() []any }
	if errors.As(err, &l) {
		args = l.Limits()
	}
	for _, r := range uploadRefusals {
		if errors.Is(err, r.kind) {
			return n.t(u, r.key, args...)
		}
	}
	return err.Error()
}

// fieldMessage is a refusal's message in u's language: its catalogue
// message when it names one, else its own words.
func (n *Newsroom) fieldMessage(u auth.User, fe *news.FieldError) string {
	if fe.Key == "" {
		return fe.Message
	}
	return n.t(u, fe.Key, fe.Args...)
}

// userError is the users' service's refusal in u's language.
func (n *Newsroom) userError(u auth.User, ue *users.Error) string {
	if ue.Key == "" {
		return ue.Msg
	}
	return n.t(u, ue.Key, ue.Args...)
}

// refusal is the newsroom's own refusal of a form's field, by its
// catalogue key: its Message in the default language, as a service's.
func (n *Newsroom) refusal(field, key string, args ...any) *news.FieldError {
	return &news.FieldError{Field: field, Message: n.words.T(i18n.Default, key, args...), Key: key, Args: args}
}

// done is the message a redirect asked screen to show (?done=key), in
// u's language: only one of keys, never the query's own words.
func (n *Newsroom) done(r *http.Request, u auth.User, screen string, keys ...string) string {
	key := r.URL.Query().Get("done")
	if !slices.Contains(keys, key) {
		return ""
	}
	return n.t(u, "nr.done."+screen+"."+key)
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
