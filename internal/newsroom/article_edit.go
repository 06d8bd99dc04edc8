package newsroom

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// flashes are the fixed messages a redirect may ask a page to show, by
// their keys in the catalogue (nr.flash.*).
var flashes = map[string]bool{"saved": true, "submitted": true, "published": true, "scheduled": true, "unpublished": true, "trashed": true, "restored": true, "restored-draft": true, "reverted": true, "link-made": true, "link-revoked": true}

// flash is the message a redirect asked for, in u's language.
func (n *Newsroom) flash(r *http.Request, u auth.User) string {
	key := r.URL.Query().Get("done")
	if !flashes[key] {
		return ""
	}
	return n.t(u, "nr.flash."+key)
}

type editContent struct {
	Article    news.Article
	New        bool
	Ref        auth.ArticleRef
	Sections   []sectionOption
	Authors    []news.Author
	Selected   map[int64]bool
	TagList    string
	PublishAt  string // datetime-local in the newsroom's zone
	CanPublish bool
	CanDelete  bool
	CanSubmit  bool
	Autosave   bool // drafts and pending articles autosave; live ones do not
	Locks      bool // the page holds the article's edit lock and beats its heartbeat
	// Versions are the story's other languages: its original and
	// translations, each a link to its editor.
	Versions []store.LanguageVersion
	// Rendered is the saved body as readers see it, which the visual
	// editor opens (WordPress's shortcodes already figures and galleries);
	// empty when the form shows something else than what is saved.
	Rendered string
}

func (n *Newsroom) editContent(r *http.Request, u auth.User, a news.Article, ref auth.ArticleRef, isNew bool) (editContent, error) {
	c := editContent{Article: a, New: isNew, Ref: ref, Selected: map[int64]bool{}}
	var err error
	if c.Sections, _, err = n.sectionOptions(r); err != nil {
		return c, err
	}
	if c.Authors, err = n.db.Authors(r.Context()); err != nil {
		return c, err
	}
	for _, au := range a.Authors {
		c.Selected[au.ID] = true
	}
	names := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		names[i] = t.Name
	}
	c.TagList = strings.Join(names, ", ")
	if !a.PublishedAt.IsZero() {
		c.PublishAt = a.PublishedAt.In(n.cfg.Location).Format("2006-01-02T15:04")
	}
	c.CanPublish = auth.Can(u, auth.Publish, &ref)
	c.CanDelete = !isNew && auth.Can(u, auth.Delete, &ref)
	c.CanSubmit = auth.Can(u, auth.Submit, &ref) && !c.CanPublish
	c.Autosave = !isNew && (a.Status == news.StatusDraft || a.Status == auth.StatusPending)
	c.Locks = !isNew && auth.Can(u, auth.Edit, &ref)
	if c.Versions, err = n.db.LanguageVersions(r.Context(), a); err != nil {
		return c, err
	}
	return c, nil
}

// articleNew is the empty editor.
func (n *Newsroom) articleNew(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.Create, nil) {
		return
	}
	a := news.Article{Lang: "en", BodyFormat: news.FormatMarkdown, Status: news.StatusDraft}
	if au, ok := n.articles.Byline(r.Context(), u); ok {
		a.Authors = []news.Author{au}
	}
	ref := auth.ArticleRef{Owner: u.ID, Status: news.StatusDraft}
	c, err := n.editContent(r, u, a, ref, true)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.render(w, http.StatusOK, "edit", Page{Title: n.t(u, "nr.title.new"), User: u, Nav: "new", Content: c})
}

// articleEdit is the editor for one article.
func (n *Newsroom) articleEdit(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r, u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if a.Status == news.StatusTrash {
		http.Redirect(w, r, links.NewsroomTrash, http.StatusSeeOther)
		return
	}
	if !n.holdLock(w, r, u, a, ref) {
		return
	}
	// ?image=ID, from the media library, puts that image in the featured
	// image fields; nothing is saved until the editor saves.
	fl := n.flash(r, u)
	if mid, err := strconv.ParseInt(r.URL.Query().Get("image"), 10, 64); err == nil && n.media != nil {
		if m, err := n.db.MediaByID(r.Context(), mid); err == nil {
			fig := n.media.Figure(m)
			a.Image = &fig
			fl = n.t(u, "nr.msg.image_chosen")
		}
	}
	c, err := n.editContent(r, u, a, ref, false)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if a.BodyFormat == news.FormatHTML || a.BodyFormat == news.FormatVisual {
		c.Rendered = a.BodyHTML
	}
	n.render(w, http.StatusOK, "edit", Page{Title: n.t(u, "nr.title.edit_of", "Title", a.Title), User: u, Nav: "articles", Flash: fl, Content: c})
}

// readForm reads the editor's form: the fields it sets on an article, and
// the publication time it asks for. The status is not read from the form:
// the pressed button decides the step, and the service decides whether
// the user may take it. Trimming, limits and the rules of a good article
// are the service's.
func (n *Newsroom) readForm(r *http.Request) (apply func(a *news.Article) error, publishAt time.Time) {
	f := r.PostForm
	var timeErr error
	if s := strings.TrimSpace(f.Get("publish_at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, n.cfg.Location)
		if err != nil {
			timeErr = n.refusal("publish_at", "nr.msg.publish_at")
		}
		publishAt = t.UTC()
	}
	translationOf, trErr := n.readTranslationOf(r, f.Get("translation_of"))
	return func(a *news.Article) error {
		a.TranslationOf = translationOf
		a.Title, a.Slug, a.Standfirst, a.BodySource = f.Get("title"), f.Get("slug"), f.Get("standfirst"), f.Get("body")
		a.BodyFormat = news.Format(f.Get("format"))
		if a.BodyFormat == "" {
			a.BodyFormat = news.FormatMarkdown
		}
		a.Lang = f.Get("lang")
		a.SectionID, _ = strconv.ParseInt(f.Get("section"), 10, 64)
		a.SEOTitle, a.SEODescription, a.ManualExcerpt = f.Get("seo_title"), f.Get("seo_description"), f.Get("excerpt")
		a.Tags = nil
		for _, name := range strings.Split(f.Get("tags"), ",") {
			a.Tags = append(a.Tags, news.Tag{Name: name})
		}
		a.Authors = nil
		for _, s := range f["authors"] {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
				a.Authors = append(a.Authors, news.Author{ID: id})
			}
		}
		a.Image = nil
		if img := strings.TrimSpace(f.Get("image_url")); img != "" {
			a.Image = &news.Figure{URL: img, Alt: f.Get("image_alt"), Caption: f.Get("image_caption"), Credit: f.Get("image_credit"), SrcSet: f.Get("image_srcset")}
			a.Image.Width, _ = strconv.Atoi(f.Get("image_width"))
			a.Image.Height, _ = strconv.Atoi(f.Get("image_height"))
		}
		if trErr != nil {
			return trErr
		}
		return timeErr
	}, publishAt
}

// readTranslationOf reads the editor's "translation of" field: the
// original's id, or its public address as a reader sees it
// (https://…/water-talks/ or /water-talks/). Empty is no original.
func (n *Newsroom) readTranslationOf(r *http.Request, v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	path := v
	if u, err := url.Parse(v); err == nil && u.Host != "" {
		path = u.Path
	}
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	slug, ok := links.ArticleSlug(path)
	if ok {
		a, err := n.db.ArticleBySlug(r.Context(), slug)
		if err == nil {
			return a.ID, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
	}
	return 0, n.refusal("translation_of", "nr.msg.translation_unknown", "Value", strconv.Quote(v))
}

// articleCreate saves a new article.
func (n *Newsroom) articleCreate(w http.ResponseWriter, r *http.Request, u auth.User) {
	n.save(w, r, u, 0)
}

// articleSave saves changes to an article, or publishes, schedules,
// unpublishes or submits it, as the pressed button asks.
func (n *Newsroom) articleSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	id, err := pathID(r, "id")
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.save(w, r, u, id)
}

// steps are the editor's buttons and what each asks the service to do.
var steps = map[string]articles.Step{"save": articles.Keep, "submit": articles.Submit, "publish": articles.Publish, "unpublish": articles.Unpublish}

// done names the flash message for a step taken.
var done = map[articles.Step]string{articles.Keep: "saved", articles.Submit: "submitted", articles.Publish: "published", articles.Unpublish: "unpublished"}

func (n *Newsroom) save(w http.ResponseWriter, r *http.Request, u auth.User, id int64) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	if err := r.ParseForm(); err != nil {
		http.Error(w, n.t(u, "nr.msg.bad_form"), http.StatusBadRequest)
		return
	}
	autosave := r.Header.Get("X-Autosave") == "1"
	action := r.PostForm.Get("action")
	if action == "" {
		action = "save"
	}
	step, ok := steps[action]
	if !ok {
		http.Error(w, n.t(u, "nr.msg.unknown_action"), http.StatusBadRequest)
		return
	}
	in := articles.Save{ID: id, Step: step, Autosave: autosave}
	if id != 0 {
		v, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
		if err != nil {
			http.Error(w, n.t(u, "nr.msg.no_version"), http.StatusBadRequest)
			return
		}
		in.Version = v
	}
	in.Apply, in.PublishAt = n.readForm(r)
	res, err := n.articles.Save(r.Context(), u, in)
	if err != nil {
		n.saveFailed(w, r, u, res, err, action, autosave)
		return
	}
	if autosave {
		jsonReply(w, http.StatusOK, map[string]any{"version": res.Article.Version, "saved": n.now().In(n.cfg.Location).Format("15:04:05")})
		return
	}
	key := done[step]
	if res.Article.Status == news.StatusScheduled && step == articles.Publish {
		key = "scheduled"
	}
	http.Redirect(w, r, links.NewsroomArticle(res.Article.ID)+"?done="+key, http.StatusSeeOther)
}

// saveFailed answers a save the service refused: autosaves get JSON, the
// editor gets the form again with the message, or the conflict page.
func (n *Newsroom) saveFailed(w http.ResponseWriter, r *http.Request, u auth.User, res articles.Result, err error, action string, autosave bool) {
	var invalid *articles.ValidationError
	var conflict *articles.ConflictError
	switch {
	case errors.As(err, &invalid):
		if autosave {
			jsonReply(w, http.StatusUnprocessableEntity, map[string]any{"error": n.fieldMessage(u, invalid), "field": invalid.Field})
			return
		}
		c, cerr := n.editContent(r, u, res.Article, res.Ref, res.Article.ID == 0)
		if cerr != nil {
			n.fail(w, r, u, cerr)
			return
		}
		n.render(w, http.StatusUnprocessableEntity, "edit", Page{Title: n.t(u, "nr.title.edit"), User: u, Nav: "articles", Error: n.fieldMessage(u, invalid), Content: c})
	case errors.As(err, &conflict):
		if autosave {
			jsonReply(w, http.StatusConflict, map[string]any{"error": n.t(u, "nr.msg.autosave_conflict")})
			return
		}
		n.conflict(w, r, u, res.Article, conflict.Current, action)
	case errors.Is(err, articles.ErrNotAutosaved):
		jsonReply(w, http.StatusConflict, map[string]any{"error": n.t(u, "nr.msg.autosave_live")})
	case autosave && errors.Is(err, articles.ErrForbidden):
		jsonReply(w, http.StatusForbidden, map[string]any{"error": n.t(u, "nr.msg.autosave_forbidden")})
	default:
		n.fail(w, r, u, err)
	}
}

func jsonReply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// renderBody is the editor's live preview: the body as the real renderer
// makes it, sanitized, for the preview pane.
func (n *Newsroom) renderBody(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	html, err := n.articles.Render(r.Context(), id, r.PostFormValue("body"), news.Format(r.PostFormValue("format")))
	if err != nil {
		http.Error(w, n.t(u, "nr.msg.render_failed"), http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(html))
}
