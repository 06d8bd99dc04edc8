package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

// ArticleInput is the body of a create or update. On PATCH, absent
// fields keep their value; on PUT and POST they are emptied.
type ArticleInput struct {
	Version        *int64          `json:"version"`
	Title          *string         `json:"title"`
	Slug           *string         `json:"slug"`
	Standfirst     *string         `json:"standfirst"`
	Body           *string         `json:"body"`
	Format         *string         `json:"format"`
	Lang           *string         `json:"lang"`
	SectionID      *int64          `json:"section_id"`
	Tags           *[]string       `json:"tags"`
	AuthorIDs      *[]int64        `json:"author_ids"`
	Excerpt        *string         `json:"excerpt"`
	Image          json.RawMessage `json:"image"`
	SEOTitle       *string         `json:"seo_title"`
	SEODescription *string         `json:"seo_description"`
	Sticky         *bool           `json:"sticky"`
	Status         *string         `json:"status"` // draft or pending; publish has its own endpoint
}

// PublishInput is the body of a publish.
type PublishInput struct {
	Version   *int64 `json:"version"`
	PublishAt string `json:"publish_at,omitempty"` // RFC 3339; in the future, it schedules
}

// staffOnly answers 401 to anonymous callers.
func staffOnly(w http.ResponseWriter, c caller) bool {
	if c.staff() {
		return true
	}
	w.Header().Set("WWW-Authenticate", "Bearer")
	problem(w, http.StatusUnauthorized, "Token required", "Writing needs an API token, made in the newsroom.")
	return false
}

func forbidden(w http.ResponseWriter, c caller, what string) {
	problem(w, http.StatusForbidden, "Not allowed", fmt.Sprintf("A token with the %s role may not %s.", c.user.Role, what))
}

// decode reads a JSON body strictly: unknown fields are mistakes.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		problem(w, http.StatusBadRequest, "Unreadable body", "The body must be one JSON object with known fields: "+err.Error()+".")
		return false
	}
	return true
}

func invalid(w http.ResponseWriter, detail string) {
	problem(w, http.StatusUnprocessableEntity, "Invalid article", detail)
}

// apply sets the fields in in on ar; replace empties absent ones first.
func (a *API) apply(w http.ResponseWriter, r *http.Request, c caller, ar *news.Article, in ArticleInput, replace bool) bool {
	if replace {
		*ar = news.Article{ID: ar.ID, Version: ar.Version, Status: ar.Status, PublishedAt: ar.PublishedAt, CreatedAt: ar.CreatedAt,
			Password: ar.Password, TranslationOf: ar.TranslationOf, BodyFormat: news.FormatMarkdown, Lang: "en"}
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&ar.Title, in.Title)
	set(&ar.Standfirst, in.Standfirst)
	set(&ar.ManualExcerpt, in.Excerpt)
	set(&ar.SEOTitle, in.SEOTitle)
	set(&ar.SEODescription, in.SEODescription)
	if in.Slug != nil {
		ar.Slug = ""
		if strings.TrimSpace(*in.Slug) != "" {
			ar.Slug = news.Slugify(*in.Slug)
		}
	}
	if in.Body != nil {
		ar.BodySource = strings.ReplaceAll(*in.Body, "\r\n", "\n")
	}
	if in.Format != nil {
		ar.BodyFormat = news.Format(*in.Format)
	}
	if in.Lang != nil {
		ar.Lang = *in.Lang
	}
	if in.Sticky != nil {
		ar.Sticky = *in.Sticky
	}
	if in.SectionID != nil {
		ar.SectionID = *in.SectionID
		if ar.SectionID != 0 {
			if _, err := a.findSection(r.Context(), strconv.FormatInt(ar.SectionID, 10)); err != nil {
				invalid(w, fmt.Sprintf("There is no section %d.", ar.SectionID))
				return false
			}
		}
	}
	if in.Tags != nil {
		ar.Tags = nil
		for _, name := range *in.Tags {
			if name = strings.TrimSpace(name); name != "" {
				ar.Tags = append(ar.Tags, news.Tag{Name: name})
			}
		}
	}
	if in.AuthorIDs != nil {
		ar.Authors = nil
		for _, id := range *in.AuthorIDs {
			au, err := a.findAuthor(r.Context(), strconv.FormatInt(id, 10))
			if err != nil {
				invalid(w, fmt.Sprintf("There is no author %d.", id))
				return false
			}
			ar.Authors = append(ar.Authors, au)
		}
	}
	if len(in.Image) > 0 {
		ar.Image = nil
		if string(in.Image) != "null" {
			var img Image
			if err := json.Unmarshal(in.Image, &img); err != nil {
				invalid(w, "image must be an object with url, alt, caption, credit, width and height.")
				return false
			}
			u := strings.TrimSpace(img.URL)
			if !strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				invalid(w, "The image url must start with /, http:// or https://.")
				return false
			}
			ar.Image = &news.Figure{URL: u, Alt: img.Alt, Caption: img.Caption, Credit: img.Credit, Width: img.Width, Height: img.Height}
		}
	}
	if err := news.Prepare(ar, a.cfg.ExcerptLength, nil); err != nil {
		msg := strings.TrimPrefix(err.Error(), "news: ")
		invalid(w, strings.ToUpper(msg[:1])+msg[1:]+".")
		return false
	}
	return true
}

// createArticle is POST /api/v1/articles: a new draft, or one submitted
// for review.
func (a *API) createArticle(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !staffOnly(w, c) {
		return
	}
	if !auth.Can(c.user, auth.Create, nil) {
		forbidden(w, c, "create articles")
		return
	}
	var in ArticleInput
	if !decode(w, r, &in) {
		return
	}
	ar := news.Article{Status: news.StatusDraft}
	ref := auth.ArticleRef{Owner: c.user.ID, Status: news.StatusDraft}
	if !a.status(w, c, &ar, ref, in.Status) || !a.apply(w, r, c, &ar, in, true) {
		return
	}
	if in.AuthorIDs == nil {
		if all, err := a.db.Authors(r.Context()); err == nil {
			for _, au := range all {
				if au.UserID == c.user.ID {
					ar.Authors = []news.Author{au}
				}
			}
		}
	}
	if err := a.db.SaveArticle(r.Context(), &ar, c.user.ID, "api"); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.db.SetArticleOwner(r.Context(), ar.ID, c.user.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	a.respondSaved(w, r, c, ar.ID, http.StatusCreated)
}

// status applies a requested draft or pending status, if the role may.
func (a *API) status(w http.ResponseWriter, c caller, ar *news.Article, ref auth.ArticleRef, s *string) bool {
	if s == nil {
		return true
	}
	switch *s {
	case "draft":
		if ar.Status != news.StatusDraft && ar.Status != auth.StatusPending && !auth.Can(c.user, auth.Publish, &ref) {
			forbidden(w, c, "unpublish this article")
			return false
		}
		ar.Status = news.StatusDraft
	case "pending":
		if !auth.Can(c.user, auth.Submit, &ref) {
			forbidden(w, c, "submit this article")
			return false
		}
		if ar.Status == news.StatusPublished || ar.Status == news.StatusScheduled {
			invalid(w, "A live article cannot be sent for review; set it to draft first.")
			return false
		}
		ar.Status = auth.StatusPending
	default:
		invalid(w, "status may be draft or pending here; use POST /api/v1/articles/{id}/publish to publish.")
		return false
	}
	return true
}

func (a *API) patchArticle(w http.ResponseWriter, r *http.Request) { a.update(w, r, false) }
func (a *API) putArticle(w http.ResponseWriter, r *http.Request)   { a.update(w, r, true) }

// loadForWrite finds {id} and what permissions need to know of it.
func (a *API) loadForWrite(w http.ResponseWriter, r *http.Request) (news.Article, auth.ArticleRef, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var ar news.Article
	if err == nil {
		ar, err = a.db.ArticleByID(r.Context(), id)
	}
	var owner int64
	if err == nil {
		owner, err = a.db.ArticleOwner(r.Context(), id)
	}
	if err == nil {
		var kind string
		if kind, err = a.db.ArticleKind(r.Context(), id); err == nil && kind != store.KindArticle {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			a.fail(w, r, err)
			return ar, auth.ArticleRef{}, false
		}
		problem(w, http.StatusNotFound, "No such article", fmt.Sprintf("There is no article %q.", r.PathValue("id")))
		return ar, auth.ArticleRef{}, false
	}
	ref := auth.ArticleRef{Owner: owner, Status: ar.Status}
	if !auth.Can(callerOf(r).user, auth.View, &ref) {
		problem(w, http.StatusNotFound, "No such article", fmt.Sprintf("There is no article %q.", r.PathValue("id")))
		return ar, ref, false
	}
	if ar.Status == news.StatusTrash {
		problem(w, http.StatusConflict, "In the trash", "The article is in the trash; restore it in the newsroom first.")
		return ar, ref, false
	}
	return ar, ref, true
}

// update is PATCH and PUT /api/v1/articles/{id}. The version read with
// the article must still be the stored one, as in the newsroom's editor.
func (a *API) update(w http.ResponseWriter, r *http.Request, replace bool) {
	c := callerOf(r)
	if !staffOnly(w, c) {
		return
	}
	ar, ref, ok := a.loadForWrite(w, r)
	if !ok {
		return
	}
	if !auth.Can(c.user, auth.Edit, &ref) {
		forbidden(w, c, "edit this article")
		return
	}
	var in ArticleInput
	if !decode(w, r, &in) {
		return
	}
	if in.Version == nil {
		problem(w, http.StatusBadRequest, "Version required", "Send the version you read, so that nobody's changes are lost.")
		return
	}
	before := ar.Status
	ar.Version = *in.Version
	if !a.status(w, c, &ar, ref, in.Status) || !a.apply(w, r, c, &ar, in, replace) {
		return
	}
	if !a.save(w, r, c, &ar, "api") {
		return
	}
	if before != ar.Status && ar.Status == news.StatusDraft && (before == news.StatusPublished || before == news.StatusScheduled) {
		a.audit(r, c, "unpublish", ar)
	}
	a.respondSaved(w, r, c, ar.ID, http.StatusOK)
}

// save writes ar, answering a conflict with 409 and the current version.
func (a *API) save(w http.ResponseWriter, r *http.Request, c caller, ar *news.Article, note string) bool {
	err := a.db.SaveArticle(r.Context(), ar, c.user.ID, note)
	if errors.Is(err, store.ErrConflict) {
		cur, cerr := a.db.ArticleByID(r.Context(), ar.ID)
		if cerr != nil {
			a.fail(w, r, cerr)
			return false
		}
		problemWith(w, http.StatusConflict, "Edit conflict",
			fmt.Sprintf("Someone saved this article since version %d; it is now at version %d. Read it again, merge, and send the new version.", ar.Version, cur.Version),
			map[string]any{"current_version": cur.Version, "your_version": ar.Version})
		return false
	}
	if err != nil {
		a.fail(w, r, err)
		return false
	}
	return true
}

// publishArticle is POST /api/v1/articles/{id}/publish: published now,
// at a past time, or scheduled for a future one.
func (a *API) publishArticle(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !staffOnly(w, c) {
		return
	}
	ar, ref, ok := a.loadForWrite(w, r)
	if !ok {
		return
	}
	if !auth.Can(c.user, auth.Edit, &ref) || !auth.Can(c.user, auth.Publish, &ref) {
		forbidden(w, c, "publish this article")
		return
	}
	var in PublishInput
	if !decode(w, r, &in) {
		return
	}
	if in.Version == nil {
		problem(w, http.StatusBadRequest, "Version required", "Send the version you read, so that nobody's changes are lost.")
		return
	}
	now := a.now().UTC()
	at := time.Time{}
	if in.PublishAt != "" {
		t, err := time.Parse(time.RFC3339, in.PublishAt)
		if err != nil {
			invalid(w, "publish_at must be an RFC 3339 time, such as 2025-03-26T09:30:00+05:00.")
			return
		}
		at = t.UTC()
	}
	ar.Version = *in.Version
	action := "publish"
	switch {
	case !at.IsZero() && at.After(now):
		ar.Status, ar.PublishedAt, action = news.StatusScheduled, at, "schedule"
	case !at.IsZero():
		ar.Status, ar.PublishedAt = news.StatusPublished, at
	default:
		if ar.Status != news.StatusPublished || ar.PublishedAt.IsZero() {
			ar.PublishedAt = now
		}
		ar.Status = news.StatusPublished
	}
	if !a.save(w, r, c, &ar, action) {
		return
	}
	a.audit(r, c, action, ar)
	a.respondSaved(w, r, c, ar.ID, http.StatusOK)
}

// audit records what a token did, as the newsroom records its users.
func (a *API) audit(r *http.Request, c caller, action string, ar news.Article) {
	err := a.db.AddAudit(r.Context(), store.AuditEntry{UserID: c.user.ID, Action: action, Subject: fmt.Sprintf("article %d", ar.ID),
		Detail: fmt.Sprintf("%s (API token %q)", ar.Title, c.token.Name), CreatedAt: a.now().UTC()})
	if err != nil {
		a.log.Error("api: audit", "err", err)
	}
}

// respondSaved answers a write with the article as now stored.
func (a *API) respondSaved(w http.ResponseWriter, r *http.Request, c caller, id int64, status int) {
	ar, err := a.db.ArticleByID(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	secs, err := a.sectionMap(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/articles/"+strconv.FormatInt(id, 10))
	}
	a.reply(w, r, status, a.toArticle(ar, secs, true, true))
}
