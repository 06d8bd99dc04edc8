package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/media"
	"dastan/internal/news"
	"dastan/internal/store"
)

// Media is an image of the library with its sizes.
type Media struct {
	ID          int64       `json:"id"`
	URL         string      `json:"url"`
	Width       int         `json:"width"`
	Height      int         `json:"height"`
	ContentType string      `json:"content_type"`
	Alt         string      `json:"alt"`
	Caption     string      `json:"caption"`
	Credit      string      `json:"credit"`
	Sizes       []MediaSize `json:"sizes"`
	CreatedAt   string      `json:"created_at"`
}

// MediaSize is one stored width of an image.
type MediaSize struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
}

func (a *API) toMedia(m store.Media) Media {
	out := Media{ID: m.ID, Width: m.Width, Height: m.Height, ContentType: m.ContentType, Alt: m.Alt, Caption: m.Caption,
		Credit: m.Credit, Sizes: []MediaSize{}, CreatedAt: rfc3339(m.CreatedAt)}
	if a.media == nil {
		return out
	}
	out.URL = links.Abs(a.cfg.SiteURL, a.media.URL(m, 1<<30))
	for _, wd := range m.Widths() {
		h := 0
		if m.Width > 0 {
			h = max(1, (m.Height*wd+m.Width/2)/m.Width)
		}
		out.Sizes = append(out.Sizes, MediaSize{wd, h, links.Abs(a.cfg.SiteURL, a.media.Storage.URL(m.Renditions[wd]))})
	}
	return out
}

// listMedia is GET /api/v1/media: the library, newest first; q searches
// captions, alt text, credits and file names.
func (a *API) listMedia(w http.ResponseWriter, r *http.Request) {
	page, per, p, msg := paging(r, 20)
	if p != "" {
		badParam(w, p, msg)
		return
	}
	list, total, err := a.db.ListMedia(r.Context(), r.URL.Query().Get("q"), per, (page-1)*per)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Media      []Media `json:"media"`
		Total      int     `json:"total"`
		Page       int     `json:"page"`
		PerPage    int     `json:"per_page"`
		TotalPages int     `json:"total_pages"`
	}{[]Media{}, total, page, per, totalPages(total, per)}
	for _, m := range list {
		out.Media = append(out.Media, a.toMedia(m))
	}
	a.reply(w, r, http.StatusOK, out)
}

// getMedia is GET /api/v1/media/{id}.
func (a *API) getMedia(w http.ResponseWriter, r *http.Request) {
	m, found, err := a.mediaOf(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !found {
		problem(w, http.StatusNotFound, "No such image", "There is no image "+strconv.Quote(r.PathValue("id"))+" in the library.")
		return
	}
	a.reply(w, r, http.StatusOK, a.toMedia(m))
}

// mediaOf looks up the library item named by the path's {id}; a
// malformed or unknown id is not found, and err is the store's failure.
func (a *API) mediaOf(r *http.Request) (m store.Media, found bool, err error) {
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil || id <= 0 {
		return m, false, nil
	}
	m, err = a.db.MediaByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return m, false, nil
	}
	return m, err == nil, err
}

// maxUploadBody bounds an upload's request: the library's own limit on
// the file (20 MB by default) and room for a form around it.
const maxUploadBody = 64 << 20

// createMedia is POST /api/v1/media: an image into the library, through
// its rules. The body is a form (multipart/form-data with file, and alt,
// caption and credit), or the image itself with Content-Disposition:
// attachment; filename="…" and the words in the query.
func (a *API) createMedia(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !staffOnly(w, c) {
		return
	}
	// Refused before the body is read; the library asks auth.Can again.
	if !auth.Can(c.user, auth.UploadMedia, nil) {
		forbidden(w, c, "upload to the media library")
		return
	}
	if a.media == nil {
		problem(w, http.StatusServiceUnavailable, "No media library", "This server keeps no media library.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	name, file, text, err := uploadOf(r)
	if err != nil {
		problem(w, http.StatusBadRequest, "No image", "Send the image as the form field file (multipart/form-data), or as the body with Content-Disposition: attachment; filename=\"…\".")
		return
	}
	defer file.Close()
	m, err := a.media.Upload(r.Context(), c.user, name, file, text)
	var fe *news.FieldError
	switch {
	case errors.As(err, &fe):
		problemWith(w, http.StatusUnprocessableEntity, "Invalid image", fe.Message, map[string]any{"field": fe.Field})
		return
	case errors.Is(err, media.ErrRejected):
		problem(w, http.StatusUnprocessableEntity, "Image refused", err.Error())
		return
	case errors.Is(err, auth.ErrForbidden):
		forbidden(w, c, "upload to the media library")
		return
	case err != nil:
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/media/"+strconv.FormatInt(m.ID, 10))
	a.reply(w, r, http.StatusCreated, a.toMedia(m))
}

// uploadOf reads an upload's file name, file and words from a form or
// from a bare body.
func uploadOf(r *http.Request) (string, io.ReadCloser, media.Text, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		file, hdr, err := r.FormFile("file")
		if err != nil {
			return "", nil, media.Text{}, err
		}
		return hdr.Filename, file, media.Text{Alt: r.FormValue("alt"), Caption: r.FormValue("caption"), Credit: r.FormValue("credit")}, nil
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition"))
	if err != nil || strings.TrimSpace(params["filename"]) == "" {
		return "", nil, media.Text{}, errors.New("api: no file name")
	}
	q := r.URL.Query()
	return params["filename"], r.Body, media.Text{Alt: q.Get("alt"), Caption: q.Get("caption"), Credit: q.Get("credit")}, nil
}
