package newsroom

import (
	"errors"
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
	fl := n.done(r, u, "media", "uploaded", "saved", "deleted")
	n.render(w, status, "media", Page{Title: n.t(u, "nr.title.media"), User: u, Nav: "media", Error: msg, Flash: fl, Content: c})
}

// mediaUpload takes an image into the library through its rules.
func (n *Newsroom) mediaUpload(w http.ResponseWriter, r *http.Request, u auth.User) {
	// Refused before a body of up to 64 MB is read; the library asks
	// auth.Can again.
	// The visual editor uploads dropped and pasted images here too,
	// asking for JSON: the same checks, answered as data.
	asJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	if asJSON && !auth.Can(u, auth.UploadMedia, nil) {
		jsonReply(w, http.StatusForbidden, map[string]any{"error": n.t(u, "nr.msg.upload_forbidden")})
		return
	}
	if !n.allowed(w, r, u, auth.UploadMedia, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		if asJSON {
			jsonReply(w, http.StatusUnprocessableEntity, map[string]any{"error": n.t(u, "nr.msg.upload_choose")})
			return
		}
		n.mediaPage(w, r, u, http.StatusUnprocessableEntity, n.t(u, "nr.msg.upload_choose"))
		return
	}
	defer file.Close()
	m, err := n.media.Upload(r.Context(), u, hdr.Filename, file, media.Text{
		Alt: r.FormValue("alt"), Caption: r.FormValue("caption"), Credit: r.FormValue("credit")})
	if msg, ok := n.invalid(u, err); ok {
		if asJSON {
			jsonReply(w, http.StatusUnprocessableEntity, map[string]any{"error": msg})
			return
		}
		n.mediaPage(w, r, u, http.StatusUnprocessableEntity, msg)
		return
	}
	if err != nil {
		if asJSON {
			n.log.Error("newsroom: upload", "err", err)
			jsonReply(w, http.StatusInternalServerError, map[string]any{"error": n.t(u, "nr.msg.upload_failed")})
			return
		}
		n.fail(w, r, u, err)
		return
	}
	if asJSON {
		f := n.media.Figure(m)
		jsonReply(w, http.StatusOK, map[string]any{"id": m.ID, "url": f.URL, "srcset": f.SrcSet, "width": f.Width, "height": f.Height,
			"alt": f.Alt, "caption": f.Caption, "credit": f.Credit})
		return
	}
	if id, _ := strconv.ParseInt(r.FormValue("for"), 10, 64); id > 0 {
		http.Redirect(w, r, links.NewsroomArticle(id)+"?image="+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, links.NewsroomMedia+"?done=uploaded", http.StatusSeeOther)
}

// mediaSave changes an item's alt text, caption and credit, or deletes
// it, through the library's rules: editors and admins only, and never
// while an article still shows it.
func (n *Newsroom) mediaSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var err error
	done := ""
	switch r.PostFormValue("op") {
	case "save":
		err = n.media.Edit(r.Context(), u, id, media.Text{Alt: r.PostFormValue("alt"), Caption: r.PostFormValue("caption"), Credit: r.PostFormValue("credit")})
		done = "saved"
	case "delete":
		err = n.media.Delete(r.Context(), u, id)
		done = "deleted"
	default:
		http.Error(w, n.t(u, "nr.msg.unknown_action"), http.StatusBadRequest)
		return
	}
	var inUse *media.InUseError
	switch msg, ok := n.invalid(u, err); {
	case ok:
		n.mediaPage(w, r, u, http.StatusUnprocessableEntity, msg)
	case errors.As(err, &inUse):
		n.mediaPage(w, r, u, http.StatusConflict, n.words.N(n.langOf(u), "nr.media.in_use", inUse.Articles, "Name", inUse.Filename))
	case errors.Is(err, store.ErrNotFound):
		n.mediaPage(w, r, u, http.StatusNotFound, n.t(u, "nr.msg.image_gone"))
	case err != nil:
		n.fail(w, r, u, err)
	default:
		http.Redirect(w, r, links.NewsroomMedia+"?done="+done, http.StatusSeeOther)
	}
}
