package newsroom

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// flashes are the fixed messages a redirect may ask a page to show.
var flashes = map[string]string{
	"saved":       "Saved.",
	"submitted":   "Submitted for review.",
	"published":   "Published.",
	"scheduled":   "Scheduled.",
	"unpublished": "Unpublished: it is a draft again.",
	"trashed":     "Moved to the trash. It can be restored for 30 days.",
	"restored":    "Restored.",
	"reverted":    "The old version is back, saved as a new revision.",
}

// slugOf cleans a slug the editor typed; empty stays empty, so that it is
// made from the title or name.
func slugOf(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return news.Slugify(s)
}

func flash(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }

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
	return c, nil
}

// articleNew is the empty editor.
func (n *Newsroom) articleNew(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.Create, nil) {
		return
	}
	a := news.Article{Lang: "en", BodyFormat: news.FormatMarkdown, Status: news.StatusDraft}
	if au, ok := n.authorOf(r, u); ok {
		a.Authors = []news.Author{au}
	}
	ref := auth.ArticleRef{Owner: u.ID, Status: news.StatusDraft}
	c, err := n.editContent(r, u, a, ref, true)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.render(w, http.StatusOK, "edit", Page{Title: "New article", User: u, Nav: "new", Content: c})
}

// authorOf finds the byline that belongs to u, if there is one.
func (n *Newsroom) authorOf(r *http.Request, u auth.User) (news.Author, bool) {
	all, err := n.db.Authors(r.Context())
	if err != nil {
		return news.Author{}, false
	}
	for _, au := range all {
		if au.UserID == u.ID {
			return au, true
		}
	}
	return news.Author{}, false
}

// articleEdit is the editor for one article.
func (n *Newsroom) articleEdit(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if !n.allowed(w, r, u, auth.View, &ref) {
		return
	}
	if a.Status == news.StatusTrash {
		http.Redirect(w, r, links.NewsroomTrash, http.StatusSeeOther)
		return
	}
	// ?image=ID, from the media library, puts that image in the featured
	// image fields; nothing is saved until the editor saves.
	fl := flash(r)
	if mid, err := strconv.ParseInt(r.URL.Query().Get("image"), 10, 64); err == nil && n.media != nil {
		if m, err := n.db.MediaByID(r.Context(), mid); err == nil {
			fig := n.media.Figure(m)
			a.Image = &fig
			fl = "Image chosen. Save to keep it."
		}
	}
	c, err := n.editContent(r, u, a, ref, false)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.render(w, http.StatusOK, "edit", Page{Title: "Edit: " + a.Title, User: u, Nav: "articles", Flash: fl, Content: c})
}

// formError is a mistake in the form, shown to the editor as it is.
type formError struct{ msg string }

func (e formError) Error() string { return e.msg }

// readForm applies the editor's form to a. The status is not read from
// the form: the action decides it, and permissions decide the action.
func (n *Newsroom) readForm(r *http.Request, a *news.Article) (publishAt time.Time, err error) {
	f := r.PostForm
	a.Title = strings.TrimSpace(f.Get("title"))
	a.Slug = slugOf(f.Get("slug"))
	a.Standfirst = strings.TrimSpace(f.Get("standfirst"))
	a.BodySource = strings.ReplaceAll(f.Get("body"), "\r\n", "\n")
	a.BodyFormat = news.Format(f.Get("format"))
	if a.BodyFormat == "" {
		a.BodyFormat = news.FormatMarkdown
	}
	a.Lang = f.Get("lang")
	a.SectionID, _ = strconv.ParseInt(f.Get("section"), 10, 64)
	a.SEOTitle = strings.TrimSpace(f.Get("seo_title"))
	a.SEODescription = strings.TrimSpace(f.Get("seo_description"))
	a.ManualExcerpt = strings.TrimSpace(f.Get("excerpt"))
	a.Tags = nil
	for _, name := range strings.Split(f.Get("tags"), ",") {
		if name = strings.TrimSpace(name); name != "" {
			a.Tags = append(a.Tags, news.Tag{Name: name})
		}
	}
	a.Authors = nil
	for _, s := range f["authors"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			a.Authors = append(a.Authors, news.Author{ID: id})
		}
	}
	a.Image = nil
	if img := strings.TrimSpace(f.Get("image_url")); img != "" {
		if !strings.HasPrefix(img, "/") && !strings.HasPrefix(img, "https://") && !strings.HasPrefix(img, "http://") {
			return publishAt, formError{"The featured image must be a link starting with /, http:// or https://."}
		}
		a.Image = &news.Figure{URL: img, Alt: strings.TrimSpace(f.Get("image_alt")), Caption: strings.TrimSpace(f.Get("image_caption")), Credit: strings.TrimSpace(f.Get("image_credit"))}
		a.Image.SrcSet = strings.TrimSpace(f.Get("image_srcset"))
		a.Image.Width, _ = strconv.Atoi(f.Get("image_width"))
		a.Image.Height, _ = strconv.Atoi(f.Get("image_height"))
	}
	if s := strings.TrimSpace(f.Get("publish_at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, n.cfg.Location)
		if err != nil {
			return publishAt, formError{"The publication time must look like 2025-03-26T09:30."}
		}
		publishAt = t.UTC()
	}
	if err := news.Prepare(a, n.cfg.ExcerptLength, nil); err != nil {
		msg := strings.TrimPrefix(err.Error(), "news: ")
		return publishAt, formError{strings.ToUpper(msg[:1]) + msg[1:] + "."}
	}
	return publishAt, nil
}

// articleCreate saves a new article.
func (n *Newsroom) articleCreate(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.Create, nil) {
		return
	}
	a := news.Article{Status: news.StatusDraft}
	n.save(w, r, u, &a, auth.ArticleRef{Owner: u.ID, Status: news.StatusDraft}, true)
}

// articleSave saves changes to an article, or publishes, schedules,
// unpublishes or submits it, as the pressed button asks.
func (n *Newsroom) articleSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.save(w, r, u, &a, ref, false)
}

func (n *Newsroom) save(w http.ResponseWriter, r *http.Request, u auth.User, a *news.Article, ref auth.ArticleRef, isNew bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	autosave := r.Header.Get("X-Autosave") == "1"
	action := r.PostForm.Get("action")
	if action == "" {
		action = "save"
	}
	if a.Status == news.StatusTrash {
		n.fail(w, r, u, fmt.Errorf("newsroom: article %d is in the trash: %w", a.ID, store.ErrNotFound))
		return
	}
	need := auth.Edit
	switch action {
	case "save":
	case "submit":
		need = auth.Submit
	case "publish", "unpublish":
		need = auth.Publish
	default:
		http.Error(w, "Unknown action.", http.StatusBadRequest)
		return
	}
	if !isNew && !auth.Can(u, auth.Edit, &ref) || !auth.Can(u, need, &ref) {
		if autosave {
			jsonReply(w, http.StatusForbidden, map[string]any{"error": "Your role does not allow saving this article."})
			return
		}
		n.fail(w, r, u, errForbidden)
		return
	}
	if autosave && !(a.Status == news.StatusDraft || a.Status == auth.StatusPending) {
		jsonReply(w, http.StatusConflict, map[string]any{"error": "Live articles are not autosaved; use Save."})
		return
	}
	base := *a
	if !isNew {
		v, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
		if err != nil {
			http.Error(w, "The form has no version.", http.StatusBadRequest)
			return
		}
		a.Version = v
	}
	publishAt, err := n.readForm(r, a)
	if err != nil {
		var fe formError
		if !errors.As(err, &fe) {
			n.fail(w, r, u, err)
			return
		}
		if autosave {
			jsonReply(w, http.StatusUnprocessableEntity, map[string]any{"error": fe.msg})
			return
		}
		c, cerr := n.editContent(r, u, *a, ref, isNew)
		if cerr != nil {
			n.fail(w, r, u, cerr)
			return
		}
		n.render(w, http.StatusUnprocessableEntity, "edit", Page{Title: "Edit", User: u, Nav: "articles", Error: fe.msg, Content: c})
		return
	}
	now := n.now().UTC()
	done, auditAction := "saved", ""
	switch action {
	case "submit":
		a.Status, done = auth.StatusPending, "submitted"
	case "publish":
		if !publishAt.IsZero() && publishAt.After(now) {
			a.Status, a.PublishedAt, done, auditAction = news.StatusScheduled, publishAt, "scheduled", "schedule"
		} else {
			if !publishAt.IsZero() {
				a.PublishedAt = publishAt
			} else if base.Status != news.StatusPublished || a.PublishedAt.IsZero() {
				a.PublishedAt = now
			}
			a.Status, done, auditAction = news.StatusPublished, "published", "publish"
		}
	case "unpublish":
		a.Status, done, auditAction = news.StatusDraft, "unpublished", "unpublish"
	}
	note := action
	if autosave {
		note = "autosave"
	}
	err = n.db.SaveArticle(r.Context(), a, u.ID, note)
	if errors.Is(err, store.ErrConflict) {
		if autosave {
			jsonReply(w, http.StatusConflict, map[string]any{"error": "Someone else has saved this article since you opened it. Press Save to see both versions side by side."})
			return
		}
		n.conflict(w, r, u, *a, action)
		return
	}
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if isNew {
		if err := n.db.SetArticleOwner(r.Context(), a.ID, u.ID); err != nil {
			n.fail(w, r, u, err)
			return
		}
	}
	if auditAction != "" {
		n.audit(r.Context(), u, auditAction, fmt.Sprintf("article %d", a.ID), a.Title)
	}
	if autosave {
		jsonReply(w, http.StatusOK, map[string]any{"version": a.Version, "saved": n.now().In(n.cfg.Location).Format("15:04:05")})
		return
	}
	http.Redirect(w, r, links.NewsroomArticle(a.ID)+"?done="+done, http.StatusSeeOther)
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
	html, err := news.RenderBody(r.PostFormValue("body"), news.Format(r.PostFormValue("format")))
	if err != nil {
		http.Error(w, "This body cannot be rendered.", http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(html))
}
