package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

// WordPress-compatible writes, for clients signed in with an Application
// Password: posts (and existing pages) created, changed, published and
// trashed through the articles service, with the user's role and the
// audit log; terms through the sections' and tags' rules; media through
// the library's. Errors are WordPress's JSON ({"code","message","data"}).
//
// Conflicts: WordPress itself has none, so clients send no version. A
// client that read a post may send the modified_gmt it read (in the body)
// or an If-Unmodified-Since header; a post changed since then is refused
// with 409 rest_post_conflict, and nothing is overwritten. Without
// either, the write is based on the version stored when it arrives, and
// the articles service still refuses one that races another save.

// wpText is a field WordPress accepts as a string or as {"raw": …}.
type wpText struct {
	set   bool
	value string
}

func (t *wpText) UnmarshalJSON(b []byte) error {
	t.set = true
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		var o struct {
			Raw string `json:"raw"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		t.value = o.Raw
		return nil
	}
	return json.Unmarshal(b, &t.value)
}

// wpPostInput is what a client may send to create or change a post.
type wpPostInput struct {
	Title         wpText   `json:"title"`
	Content       wpText   `json:"content"`
	Excerpt       wpText   `json:"excerpt"`
	Slug          *string  `json:"slug"`
	Status        *string  `json:"status"`
	Date          *string  `json:"date"`
	DateGMT       *string  `json:"date_gmt"`
	ModifiedGMT   *string  `json:"modified_gmt"` // the one the client read: a later one is a conflict
	Author        *int64   `json:"author"`
	FeaturedMedia *int64   `json:"featured_media"`
	Categories    *[]int64 `json:"categories"`
	Tags          *[]int64 `json:"tags"`
	Sticky        *bool    `json:"sticky"`
	Password      *string  `json:"password"`
	Lang          *string  `json:"lang"`
	// Fields WordPress has that Dastan keeps no equivalent of are read
	// and let be, so that clients that send them are not refused.
	Format        any `json:"format"`
	CommentStatus any `json:"comment_status"`
	PingStatus    any `json:"ping_status"`
	Template      any `json:"template"`
	Meta          any `json:"meta"`
	Parent        any `json:"parent"`
	MenuOrder     any `json:"menu_order"`
}

// wpWriter answers 401 to anonymous callers, as WordPress does.
func wpWriter(w http.ResponseWriter, c caller, code, what string) bool {
	if c.staff() {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="WordPress"`)
	wpError(w, http.StatusUnauthorized, code, "Sorry, you are not allowed to "+what+" as this user.", nil)
	return false
}

// wpDecode reads a write's body: JSON, or a form, as WordPress takes both.
func wpDecode(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if err := r.ParseForm(); err != nil {
			wpError(w, http.StatusBadRequest, "rest_invalid_json", "The body could not be read.", nil)
			return false
		}
		m := map[string]any{}
		for k, vs := range r.PostForm {
			m[k] = vs[0]
		}
		b, _ := json.Marshal(m)
		r.Body = http.NoBody
		if err := json.Unmarshal(b, v); err != nil {
			wpError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): "+err.Error(), nil)
			return false
		}
		return true
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil && !errors.Is(err, io.EOF) {
		wpError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.", map[string]any{"json_error_message": err.Error()})
		return false
	}
	return true
}

// wpStep maps WordPress's status to the articles service's step.
func wpStep(w http.ResponseWriter, status *string) (articles.Step, bool) {
	if status == nil {
		return articles.Keep, true // a new article is a draft, as WordPress's
	}
	switch *status {
	case "publish", "future":
		return articles.Publish, true
	case "draft":
		return articles.Draft, true
	case "pending":
		return articles.Submit, true
	}
	wpInvalid(w, "status", "status is not one of publish, future, draft, pending.")
	return "", false
}

// wpApply sets what the client sent on an article; ids are the API's.
func (a *API) wpApply(r *http.Request, in wpPostInput, ids *wpIDs) (func(*news.Article) error, error) {
	ctx := r.Context()
	var sectionID int64
	if in.Categories != nil && len(*in.Categories) > 0 {
		// A Dastan article has one section: the first category.
		local, err := ids.local(ctx, wpCategory, (*in.Categories)[0])
		if err != nil {
			return nil, err
		}
		if local == 0 {
			return nil, &news.FieldError{Field: "categories", Message: fmt.Sprintf("There is no category %d.", (*in.Categories)[0])}
		}
		sectionID = local
	}
	var tagList []news.Tag
	if in.Tags != nil {
		locals, err := ids.locals(ctx, wpTag, *in.Tags)
		if err != nil {
			return nil, err
		}
		for i, id := range locals {
			t, err := a.db.TagByID(ctx, id)
			if errors.Is(err, store.ErrNotFound) || id == 0 {
				return nil, &news.FieldError{Field: "tags", Message: fmt.Sprintf("There is no tag %d.", (*in.Tags)[i])}
			} else if err != nil {
				return nil, err
			}
			tagList = append(tagList, news.Tag{Name: t.Name})
		}
	}
	var authorID int64
	if in.Author != nil && *in.Author != 0 {
		local, err := ids.local(ctx, wpAuthor, *in.Author)
		if err != nil {
			return nil, err
		}
		if local == 0 {
			return nil, &news.FieldError{Field: "author", Message: "Invalid author ID."}
		}
		authorID = local
	}
	var fig *news.Figure
	if in.FeaturedMedia != nil && *in.FeaturedMedia != 0 {
		m, err := a.db.MediaByID(ctx, *in.FeaturedMedia)
		if errors.Is(err, store.ErrNotFound) || a.media == nil {
			return nil, &news.FieldError{Field: "featured_media", Message: "Invalid featured media ID."}
		} else if err != nil {
			return nil, err
		}
		f := a.media.Figure(m)
		fig = &f
	}
	return func(ar *news.Article) error {
		if in.Title.set {
			ar.Title = in.Title.value
		}
		if in.Content.set {
			ar.BodySource, ar.BodyFormat = in.Content.value, news.FormatHTML // WordPress clients send HTML
		}
		if ar.BodyFormat == "" {
			ar.BodyFormat = news.FormatHTML
		}
		if ar.Lang == "" {
			ar.Lang = "en"
		}
		if in.Excerpt.set {
			ar.ManualExcerpt = in.Excerpt.value
		}
		if in.Slug != nil {
			ar.Slug = *in.Slug
		}
		if in.Lang != nil {
			ar.Lang = *in.Lang
		}
		if in.Sticky != nil {
			ar.Sticky = *in.Sticky
		}
		if in.Password != nil {
			ar.Password = *in.Password
		}
		if sectionID != 0 {
			ar.SectionID = sectionID
		}
		if in.Tags != nil {
			ar.Tags = tagList
		}
		if authorID != 0 {
			ar.Authors = []news.Author{{ID: authorID}}
		}
		if in.FeaturedMedia != nil {
			ar.Image = fig
		}
		return nil
	}, nil
}

// wpPublishAt reads date (site time) or date_gmt (UTC).
func (a *API) wpPublishAt(in wpPostInput) (time.Time, error) {
	switch {
	case in.DateGMT != nil && *in.DateGMT != "":
		return time.ParseInLocation(wpDateLayout, strings.TrimSuffix(*in.DateGMT, "Z"), time.UTC)
	case in.Date != nil && *in.Date != "":
		return a.wpTime(*in.Date)
	}
	return time.Time{}, nil
}

// wpCreatePost is POST /wp-json/wp/v2/posts.
func (a *API) wpCreatePost(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !wpWriter(w, c, "rest_cannot_create", "create posts") {
		return
	}
	a.wpSavePost(w, r, c, 0, store.KindArticle)
}

// wpUpdatePost is POST, PUT and PATCH /wp-json/wp/v2/posts/{id}.
func (a *API) wpUpdatePost(w http.ResponseWriter, r *http.Request) {
	a.wpUpdate(w, r, store.KindArticle)
}

// wpUpdatePage is POST, PUT and PATCH /wp-json/wp/v2/pages/{id}.
func (a *API) wpUpdatePage(w http.ResponseWriter, r *http.Request) { a.wpUpdate(w, r, store.KindPage) }

func (a *API) wpUpdate(w http.ResponseWriter, r *http.Request, kind string) {
	c := callerOf(r)
	if !wpWriter(w, c, "rest_cannot_edit", "edit this post") {
		return
	}
	ar, _, ok := a.wpAddressed(w, r, kind)
	if !ok {
		return
	}
	a.wpSavePost(w, r, c, ar.ID, kind)
}

// wpSavePost creates (id 0) or changes an article through the articles
// service and answers with it as WordPress would.
func (a *API) wpSavePost(w http.ResponseWriter, r *http.Request, c caller, id int64, kind string) {
	ctx := r.Context()
	var in wpPostInput
	if !wpDecode(w, r, &in) {
		return
	}
	st, ok := wpStep(w, in.Status)
	if !ok {
		return
	}
	ids, err := a.wpIDs(ctx)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	apply, err := a.wpApply(r, in, ids)
	var fe *news.FieldError
	if errors.As(err, &fe) {
		wpInvalid(w, fe.Field, fe.Message)
		return
	} else if err != nil {
		a.fail(w, r, err)
		return
	}
	save := articles.Save{ID: id, Step: st, Apply: apply, Note: "WordPress API", Via: via(c)}
	if save.PublishAt, err = a.wpPublishAt(in); err != nil {
		wpInvalid(w, "date", "Invalid date.")
		return
	}
	if id != 0 {
		cur, err := a.db.ArticleByID(ctx, id)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if read, ok := a.wpReadAt(w, r, in); !ok {
			return
		} else if !read.IsZero() && cur.UpdatedAt.Truncate(time.Second).After(read) {
			_, gmt := a.wpDates(cur.UpdatedAt)
			wpError(w, http.StatusConflict, "rest_post_conflict", "The post was changed since you read it. Read it again and send your change on top.",
				map[string]any{"modified_gmt": gmt})
			return
		}
		save.Version = cur.Version
		if st == articles.Publish && save.PublishAt.IsZero() && cur.Status.Live() {
			// Clients send status "publish" with every change of a live
			// post; it keeps its date, as in WordPress.
			save.Step = articles.Keep
		}
	}
	res, err := a.articles.Save(ctx, c.user, save)
	if err != nil {
		a.wpWriteFailed(w, r, err)
		return
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	a.wpRespondPost(w, r, res.Article.ID, kind, status)
}

// wpReadAt is when the client read what it changes: modified_gmt in the
// body, or If-Unmodified-Since; zero when it says neither.
func (a *API) wpReadAt(w http.ResponseWriter, r *http.Request, in wpPostInput) (time.Time, bool) {
	if in.ModifiedGMT != nil && *in.ModifiedGMT != "" {
		t, err := time.ParseInLocation(wpDateLayout, strings.TrimSuffix(*in.ModifiedGMT, "Z"), time.UTC)
		if err != nil {
			wpInvalid(w, "modified_gmt", "Invalid date.")
			return time.Time{}, false
		}
		return t, true
	}
	if h := r.Header.Get("If-Unmodified-Since"); h != "" {
		t, err := http.ParseTime(h)
		if err != nil {
			wpInvalid(w, "If-Unmodified-Since", "Invalid date.")
			return time.Time{}, false
		}
		return t, true
	}
	return time.Time{}, true
}

// wpRespondPost answers with the article as now stored.
func (a *API) wpRespondPost(w http.ResponseWriter, r *http.Request, id int64, kind string, status int) {
	ar, err := a.db.ArticleByID(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	pc, err := a.wpPostContext(r)
	if err == nil {
		err = pc.ids.load(r.Context(), a.db, []news.Article{ar})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if kind == store.KindPage {
		p := a.toWPPage(r, ar, pc.ids)
		if status == http.StatusCreated {
			w.Header().Set("Location", p.Links["self"][0].Href)
		}
		a.reply(w, r, status, p)
		return
	}
	p := a.toWPPost(r.Context(), ar, pc)
	if status == http.StatusCreated {
		w.Header().Set("Location", p.Links["self"][0].Href)
	}
	a.reply(w, r, status, p)
}

// wpWriteFailed answers an error of the articles service in WordPress's
// words: 403 for a role that may not, 404 for what the user may not
// see, 400 naming the field, 409 for a conflict or the trash.
func (a *API) wpWriteFailed(w http.ResponseWriter, r *http.Request, err error) {
	var refused *articles.ForbiddenError
	var bad *articles.ValidationError
	var conflict *articles.ConflictError
	switch {
	case errors.As(err, &refused) && refused.Hidden, errors.Is(err, articles.ErrNotFound):
		wpError(w, http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.", nil)
	case errors.As(err, &refused):
		code, what := "rest_cannot_edit", "edit this post"
		switch refused.Action {
		case auth.Create:
			code, what = "rest_cannot_create", "create posts as this user"
		case auth.Publish:
			code, what = "rest_cannot_publish", "publish posts"
		case auth.Delete:
			code, what = "rest_cannot_delete", "delete this post"
		}
		wpError(w, http.StatusForbidden, code, "Sorry, you are not allowed to "+what+".", nil)
	case errors.Is(err, articles.ErrTrashed):
		wpError(w, http.StatusGone, "rest_already_trashed", "The post has already been deleted.", nil)
	case errors.As(err, &bad):
		wpInvalid(w, wpField(bad.Field), bad.Message)
	case errors.As(err, &conflict):
		wpError(w, http.StatusConflict, "rest_post_conflict", "Someone saved this post at the same moment. Read it again and send your change on top.", nil)
	default:
		a.fail(w, r, err)
	}
}

// wpField names a Dastan field as WordPress's parameter.
func wpField(f string) string {
	switch f {
	case "body":
		return "content"
	case "section":
		return "categories"
	case "excerpt", "manual_excerpt":
		return "excerpt"
	}
	return f
}

// wpDeletePost is DELETE /wp-json/wp/v2/posts/{id}: to the trash, as
// WordPress without force. Dastan empties the trash itself (after its
// keeping time, or from the newsroom), so force=true is refused.
func (a *API) wpDeletePost(w http.ResponseWriter, r *http.Request) {
	a.wpDelete(w, r, store.KindArticle)
}

// wpDeletePage is DELETE /wp-json/wp/v2/pages/{id}.
func (a *API) wpDeletePage(w http.ResponseWriter, r *http.Request) { a.wpDelete(w, r, store.KindPage) }

func (a *API) wpDelete(w http.ResponseWriter, r *http.Request, kind string) {
	c := callerOf(r)
	if !wpWriter(w, c, "rest_cannot_delete", "delete this post") {
		return
	}
	if f := r.URL.Query().Get("force"); f == "true" || f == "1" {
		wpError(w, http.StatusNotImplemented, "rest_trash_only", "Dastan keeps deleted posts in the trash, which the newsroom empties; delete without force=true.", nil)
		return
	}
	ar, _, ok := a.wpAddressed(w, r, kind)
	if !ok {
		return
	}
	if err := a.articles.Trash(r.Context(), c.user, ar.ID, ar.Version, via(c)); err != nil {
		a.wpWriteFailed(w, r, err)
		return
	}
	a.wpRespondPost(w, r, ar.ID, kind, http.StatusOK)
}

// wpCreatePage is POST /wp-json/wp/v2/pages: pages are made in the
// newsroom; existing ones may be changed and trashed here.
func (a *API) wpCreatePage(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !wpWriter(w, c, "rest_cannot_create", "create pages") {
		return
	}
	wpError(w, http.StatusNotImplemented, "rest_cannot_create", "Pages are not created through the API here; change or trash existing ones.", nil)
}
