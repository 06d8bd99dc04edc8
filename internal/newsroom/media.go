package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/media"
	"dastan/internal/store"
)

type mediaItem struct {
	store.Media
	Thumb string
}

type mediaContent struct {
	Items      []mediaItem
	Total      int
	Q          string
	For        int64 // the article whose featured image is being chosen
	Prev, Next string
}

// mediaList is the library: newest uploads first, searchable, with the
// upload form. With ?for=ID each image can be chosen as that article's
// featured image.
func (n *Newsroom) mediaList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.Create, nil) {
		return
	}
	n.mediaPage(w, r, u, http.StatusOK, "")
}

func (n *Newsroom) mediaPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, msg string) {
	const size = 40
	v := r.URL.Query()
	c := mediaContent{Q: strings.TrimSpace(v.Get("q"))}
	c.For, _ = strconv.ParseInt(v.Get("for"), 10, 64)
	page, _ := strconv.Atoi(v.Get("page"))
	page = max(page, 1)
	items, total, err := n.db.ListMedia(r.Context(), c.Q, size, (page-1)*size)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c.Total = total
	for _, m := range items {
		c.Items = append(c.Items, mediaItem{Media: m, Thumb: n.media.URL(m, 320)})
	}
	link := func(p int) string {
		return "?" + url.Values{"q": {c.Q}, "for": {v.Get("for")}, "page": {strconv.Itoa(p)}}.Encode()
	}
	if page > 1 {
		c.Prev = link(page - 1)
	}
	if page*size < total {
		c.Next = link(page + 1)
	}
	fl := map[string]string{"uploaded": "Uploaded.", "saved": "Saved.", "deleted": "Deleted."}[v.Get("done")]
	n.render(w, status, "media", Page{Title: "Media library", User: u, Nav: "media", Error: msg, Flash: fl, Content: c})
}

// mediaUpload takes an image into the library.
func (n *Newsroom) mediaUpload(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.Create, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		n.mediaPage(w, r, u, http.StatusUnprocessableEntity, "Choose an image to upload (at most 64 MB).")
		return
	}
	defer file.Close()
	m, err := n.media.Upload(r.Context(), hdr.Filename, file, media.Meta{
		Alt: r.FormValue("alt"), Caption: r.FormValue("caption"), Credit: r.FormValue("credit"), UserID: u.ID})
	if errors.Is(err, media.ErrRejected) {
		n.mediaPage(w, r, u, http.StatusUnprocessableEntity, err.Error())
		return
	}
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if id, _ := strconv.ParseInt(r.FormValue("for"), 10, 64); id > 0 {
		http.Redirect(w, r, links.NewsroomArticle(id)+"?image="+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, links.NewsroomMedia+"?done=uploaded", http.StatusSeeOther)
}

// mediaSave changes an item's alt text, caption and credit, or deletes
// it — unless an article still shows it. Editors and admins only: the
// library is shared by the whole newsroom.
func (n *Newsroom) mediaSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTaxonomy, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := n.db.MediaByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		n.mediaPage(w, r, u, http.StatusNotFound, "That image is not in the library any more.")
		return
	}
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	switch r.PostFormValue("op") {
	case "save":
		if err := n.media.UpdateText(r.Context(), id, r.PostFormValue("alt"), r.PostFormValue("caption"), r.PostFormValue("credit")); err != nil {
			n.fail(w, r, u, err)
			return
		}
		http.Redirect(w, r, links.NewsroomMedia+"?done=saved", http.StatusSeeOther)
	case "delete":
		uses, err := n.db.MediaUses(r.Context(), m.SHA256)
		if err != nil {
			n.fail(w, r, u, err)
			return
		}
		if uses > 0 {
			n.mediaPage(w, r, u, http.StatusConflict, fmt.Sprintf("%s is shown in %d article(s); take it out of them before deleting it.", m.Filename, uses))
			return
		}
		if err := n.media.Delete(r.Context(), id); err != nil {
			n.fail(w, r, u, err)
			return
		}
		n.audit(r.Context(), u, "delete media", strconv.FormatInt(id, 10), m.Filename)
		http.Redirect(w, r, links.NewsroomMedia+"?done=deleted", http.StatusSeeOther)
	default:
		http.Error(w, "Unknown action.", http.StatusBadRequest)
	}
}
