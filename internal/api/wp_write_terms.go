package api

import (
	"errors"
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/media"
	"dastan/internal/news"
	"dastan/internal/sections"
	"dastan/internal/store"
)

// wpTermInput is a new category or tag.
type wpTermInput struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description"`
	Parent      int64  `json:"parent"`
	Meta        any    `json:"meta"`
}

// wpCreateCategory is POST /wp-json/wp/v2/categories: a section, through
// the sections' rules (editors and admins; the audit log).
func (a *API) wpCreateCategory(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !wpWriter(w, c, "rest_cannot_create", "create terms") {
		return
	}
	var in wpTermInput
	if !wpDecode(w, r, &in) {
		return
	}
	ids, err := a.wpIDs(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	parent := int64(0)
	if in.Parent != 0 {
		if parent, err = ids.local(r.Context(), wpCategory, in.Parent); err != nil {
			a.fail(w, r, err)
			return
		}
		if parent == 0 {
			wpError(w, http.StatusBadRequest, "rest_term_invalid", "Parent term does not exist.", nil)
			return
		}
	}
	sec, err := a.sections.Save(r.Context(), c.user, sections.Input{ParentID: parent, Name: in.Name, Slug: in.Slug})
	if !a.wpTermFailed(w, r, err) {
		return
	}
	if err := ids.learn(r.Context(), wpCategory, []int64{sec.ID, sec.ParentID}); err != nil {
		a.fail(w, r, err)
		return
	}
	t := a.toWPCategory(sec, 0, ids)
	w.Header().Set("Location", t.Links["self"][0].Href)
	a.reply(w, r, http.StatusCreated, t)
}

// wpCreateTag is POST /wp-json/wp/v2/tags, through the tags' rules. A tag
// whose slug is taken is WordPress's term_exists, naming it.
func (a *API) wpCreateTag(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !wpWriter(w, c, "rest_cannot_create", "create terms") {
		return
	}
	var in wpTermInput
	if !wpDecode(w, r, &in) {
		return
	}
	tg, created, err := a.tags.Add(r.Context(), c.user, in.Name, in.Slug, via(c))
	if !a.wpTermFailed(w, r, err) {
		return
	}
	ids, err := a.wpIDs(r.Context())
	if err == nil {
		err = ids.learn(r.Context(), wpTag, []int64{tg.ID})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	t := a.toWPTag(tg, 0, ids)
	if !created {
		wpError(w, http.StatusBadRequest, "term_exists", "A term with the name provided already exists in this taxonomy.", map[string]any{"term_id": t.ID})
		return
	}
	w.Header().Set("Location", t.Links["self"][0].Href)
	a.reply(w, r, http.StatusCreated, t)
}

// wpTermFailed answers a refusal of the sections' or tags' rules; it
// returns true when there was none.
func (a *API) wpTermFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var fe *news.FieldError
	switch {
	case err == nil:
		return true
	case errors.Is(err, auth.ErrForbidden):
		wpError(w, http.StatusForbidden, "rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy.", nil)
	case errors.As(err, &fe):
		wpInvalid(w, fe.Field, fe.Message)
	default:
		a.fail(w, r, err)
	}
	return false
}

// wpCreateMedia is POST /wp-json/wp/v2/media: the file as the body with
// Content-Disposition: attachment; filename="…" (or a multipart form),
// through the media library's checks; alt_text and caption may come as
// parameters, as WordPress takes them.
func (a *API) wpCreateMedia(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !wpWriter(w, c, "rest_cannot_create", "upload media") {
		return
	}
	if !auth.Can(c.user, auth.UploadMedia, nil) { // before the body is read
		wpError(w, http.StatusForbidden, "rest_cannot_create", "Sorry, you are not allowed to upload media as this user.", nil)
		return
	}
	if a.media == nil {
		wpError(w, http.StatusNotImplemented, "rest_upload_unknown_error", "This server keeps no media library.", nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	name, file, text, err := uploadOf(r)
	if err != nil {
		wpError(w, http.StatusBadRequest, "rest_upload_no_data", "No data supplied.", nil)
		return
	}
	defer file.Close()
	q := r.URL.Query()
	if text.Alt == "" {
		text.Alt = firstOf(q.Get("alt_text"), r.FormValue("alt_text"))
	}
	if text.Caption == "" {
		text.Caption = firstOf(q.Get("caption"), r.FormValue("caption"))
	}
	m, err := a.media.Upload(r.Context(), c.user, name, file, text)
	var fe *news.FieldError
	switch {
	case errors.As(err, &fe):
		wpInvalid(w, fe.Field, fe.Message)
		return
	case errors.Is(err, media.ErrRejected):
		wpError(w, http.StatusBadRequest, "rest_upload_sideload_error", err.Error(), nil)
		return
	case errors.Is(err, auth.ErrForbidden):
		wpError(w, http.StatusForbidden, "rest_cannot_create", "Sorry, you are not allowed to upload media as this user.", nil)
		return
	case err != nil:
		a.fail(w, r, err)
		return
	}
	if err := a.db.AddAudit(r.Context(), store.AuditEntry{UserID: c.user.ID, Action: "upload media", Subject: strconv.FormatInt(m.ID, 10),
		Detail: m.Filename + " (" + via(c) + ")", CreatedAt: a.now().UTC()}); err != nil {
		a.fail(w, r, err)
		return
	}
	out := a.toWPMedia(m, a.bylines(r))
	w.Header().Set("Location", out.Links["self"][0].Href)
	a.reply(w, r, http.StatusCreated, out)
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
