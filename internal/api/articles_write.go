package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"dastan/internal/articles"
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

// applyInput returns what sets the fields in in on an article; replace
// empties absent ones first. Trimming, limits and the checks of a good
// article are the articles service's.
func applyInput(in ArticleInput, replace bool) func(ar *news.Article) error {
	return func(ar *news.Article) error {
		if replace {
			*ar = news.Article{ID: ar.ID, Version: ar.Version, Status: ar.Status, PublishedAt: ar.PublishedAt, CreatedAt: ar.CreatedAt,
				Password: ar.Password, TranslationOf: ar.TranslationOf, BodyFormat: news.FormatMarkdown, Lang: "en"}
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&ar.Title, in.Title)
		set(&ar.Slug, in.Slug)
		set(&ar.Standfirst, in.Standfirst)
		set(&ar.BodySource, in.Body)
		set(&ar.ManualExcerpt, in.Excerpt)
		set(&ar.SEOTitle, in.SEOTitle)
		set(&ar.SEODescription, in.SEODescription)
		set(&ar.Lang, in.Lang)
		if in.Format != nil {
			ar.BodyFormat = news.Format(*in.Format)
		}
		if in.Sticky != nil {
			ar.Sticky = *in.Sticky
		}
		if in.SectionID != nil {
			ar.SectionID = *in.SectionID
		}
		if in.Tags != nil {
			ar.Tags = nil
			for _, name := range *in.Tags {
				ar.Tags = append(ar.Tags, news.Tag{Name: name})
			}
		}
		if in.AuthorIDs != nil {
			ar.Authors = nil
			for _, id := range *in.AuthorIDs {
				ar.Authors = append(ar.Authors, news.Author{ID: id})
			}
		}
		if len(in.Image) > 0 {
			ar.Image = nil
			if string(in.Image) != "null" {
				var img Image
				if err := json.Unmarshal(in.Image, &img); err != nil {
					return &articles.ValidationError{Field: "image", Message: "image must be an object with url, alt, caption, credit, width and height."}
				}
				ar.Image = &news.Figure{URL: img.URL, Alt: img.Alt, Caption: img.Caption, Credit: img.Credit, Width: img.Width, Height: img.Height}
			}
		}
		return nil
	}
}

// step is the step a requested status asks for: draft, or pending (sent
// for review); none keeps the status.
func step(w http.ResponseWriter, s *string) (articles.Step, bool) {
	if s == nil {
		return articles.Keep, true
	}
	switch *s {
	case "draft":
		return articles.Draft, true
	case "pending":
		return articles.Submit, true
	}
	problemWith(w, http.StatusUnprocessableEntity, "Invalid article", "status may be draft or pending here; use POST /api/v1/articles/{id}/publish to publish.",
		map[string]any{"field": "status"})
	return "", false
}

// via names the token or application password in the audit log.
func via(c caller) string {
	if c.app != nil {
		return fmt.Sprintf("application password %q", c.app.Name)
	}
	return fmt.Sprintf("API token %q", c.token.Name)
}

// createArticle is POST /api/v1/articles: a new draft, or one submitted
// for review.
func (a *API) createArticle(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !staffOnly(w, c) {
		return
	}
	var in ArticleInput
	if !decode(w, r, &in) {
		return
	}
	st, ok := step(w, in.Status)
	if !ok {
		return
	}
	res, err := a.articles.Save(r.Context(), c.user, articles.Save{Step: st, Apply: applyInput(in, true), Note: "api", Via: via(c)})
	if err != nil {
		a.writeFailed(w, r, c, st, err)
		return
	}
	a.respondSaved(w, r, c, res.Article.ID, http.StatusCreated)
}

func (a *API) patchArticle(w http.ResponseWriter, r *http.Request) { a.update(w, r, false) }
func (a *API) putArticle(w http.ResponseWriter, r *http.Request)   { a.update(w, r, true) }

// storyID is {id} when it names a story: pages are not written through
// the API.
func (a *API) storyID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	kind := ""
	if err == nil {
		kind, err = a.db.ArticleKind(r.Context(), id)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.fail(w, r, err)
		return 0, false
	}
	if err != nil || kind != store.KindArticle {
		noSuchArticle(w, r)
		return 0, false
	}
	return id, true
}

func noSuchArticle(w http.ResponseWriter, r *http.Request) {
	problem(w, http.StatusNotFound, "No such article", fmt.Sprintf("There is no article %q.", r.PathValue("id")))
}

// versionOf is the version the caller read, which a write must send.
func versionOf(w http.ResponseWriter, v *int64) (int64, bool) {
	if v == nil {
		problem(w, http.StatusBadRequest, "Version required", "Send the version you read, so that nobody's changes are lost.")
		return 0, false
	}
	return *v, true
}

// update is PATCH and PUT /api/v1/articles/{id}. The version read with
// the article must still be the stored one, as in the newsroom's editor.
func (a *API) update(w http.ResponseWriter, r *http.Request, replace bool) {
	c := callerOf(r)
	if !staffOnly(w, c) {
		return
	}
	id, ok := a.storyID(w, r)
	if !ok {
		return
	}
	var in ArticleInput
	if !decode(w, r, &in) {
		return
	}
	version, ok := versionOf(w, in.Version)
	if !ok {
		return
	}
	st, ok := step(w, in.Status)
	if !ok {
		return
	}
	_, err := a.articles.Save(r.Context(), c.user, articles.Save{ID: id, Version: version, Step: st, Apply: applyInput(in, replace), Note: "api", Via: via(c)})
	if err != nil {
		a.writeFailed(w, r, c, st, err)
		return
	}
	a.respondSaved(w, r, c, id, http.StatusOK)
}

// publishArticle is POST /api/v1/articles/{id}/publish: published now,
// at a past time, or scheduled for a future one.
func (a *API) publishArticle(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !staffOnly(w, c) {
		return
	}
	id, ok := a.storyID(w, r)
	if !ok {
		return
	}
	var in PublishInput
	if !decode(w, r, &in) {
		return
	}
	version, ok := versionOf(w, in.Version)
	if !ok {
		return
	}
	save := articles.Save{ID: id, Version: version, Step: articles.Publish, Via: via(c)}
	if in.PublishAt != "" {
		t, err := time.Parse(time.RFC3339, in.PublishAt)
		if err != nil {
			problemWith(w, http.StatusUnprocessableEntity, "Invalid article", "publish_at must be an RFC 3339 time, such as 2025-03-26T09:30:00+05:00.",
				map[string]any{"field": "publish_at"})
			return
		}
		save.PublishAt = t
	}
	if _, err := a.articles.Save(r.Context(), c.user, save); err != nil {
		a.writeFailed(w, r, c, save.Step, err)
		return
	}
	a.respondSaved(w, r, c, id, http.StatusOK)
}

// refusals say, for a refused permission, what the token may not do.
var refusals = map[auth.Action]string{auth.Create: "create articles", auth.Edit: "edit this article",
	auth.Submit: "submit this article", auth.Publish: "publish this article"}

// writeFailed answers an error of the articles service as a problem:
// 404 for what the caller may not see, 403, 409 with the current
// version, 422 naming the field.
func (a *API) writeFailed(w http.ResponseWriter, r *http.Request, c caller, st articles.Step, err error) {
	var refused *articles.ForbiddenError
	var bad *articles.ValidationError
	var conflict *articles.ConflictError
	switch {
	case errors.As(err, &refused) && refused.Hidden, errors.Is(err, articles.ErrNotFound):
		noSuchArticle(w, r)
	case errors.As(err, &refused):
		what := refusals[refused.Action]
		if st == articles.Draft && refused.Action == auth.Publish {
			what = "unpublish this article"
		}
		forbidden(w, c, what)
	case errors.Is(err, articles.ErrTrashed):
		problem(w, http.StatusConflict, "In the trash", "The article is in the trash; restore it in the newsroom first.")
	case errors.As(err, &bad):
		problemWith(w, http.StatusUnprocessableEntity, "Invalid article", bad.Message, map[string]any{"field": bad.Field})
	case errors.As(err, &conflict):
		problemWith(w, http.StatusConflict, "Edit conflict",
			fmt.Sprintf("Someone saved this article since version %d; it is now at version %d. Read it again, merge, and send the new version.", conflict.Yours, conflict.Current.Version),
			map[string]any{"current_version": conflict.Current.Version, "your_version": conflict.Yours})
	default:
		a.fail(w, r, err)
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
