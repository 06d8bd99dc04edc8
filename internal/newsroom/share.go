package newsroom

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/previews"
)

type shareContent struct {
	Article  news.Article
	Links    []shareRow
	CanShare bool
}

type shareRow struct {
	previews.Link
	URL  string // the whole address, to copy
	Live bool
}

// lifetimes name the choices of how long a link works.
var lifetimes = map[string]time.Duration{"day": previews.Lifetimes[0], "week": previews.Lifetimes[1], "month": previews.Lifetimes[2]}

// shareList is an article's preview links: who made each, until when it
// works, a button to revoke it, and a form to make another.
func (n *Newsroom) shareList(w http.ResponseWriter, r *http.Request, u auth.User) {
	n.sharePage(w, r, u, http.StatusOK, n.flash(r, u), "")
}

func (n *Newsroom) sharePage(w http.ResponseWriter, r *http.Request, u auth.User, status int, fl, msg string) {
	a, ref, err := n.loadArticle(r, u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	ls, err := n.previews.List(r.Context(), u, a.ID, ref)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := shareContent{Article: a, CanShare: auth.Can(u, auth.Edit, &ref) && a.Status != news.StatusTrash}
	now := n.now()
	for _, l := range ls {
		c.Links = append(c.Links, shareRow{Link: l, URL: links.Abs(n.cfg.SiteURL, links.PreviewLink(l.Token)), Live: l.Live(now)})
	}
	n.render(w, status, "share", Page{Title: n.t(u, "nr.title.share_of", "Title", a.Title), User: u, Nav: "articles", Flash: fl, Error: msg, Content: c})
}

// shareSave makes a link (lifetime=day|week|month) or revokes one
// (revoke=ID), then shows the list again.
func (n *Newsroom) shareSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r, u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, n.t(u, "nr.msg.bad_form"), http.StatusBadRequest)
		return
	}
	if s := r.PostForm.Get("revoke"); s != "" {
		id, _ := strconv.ParseInt(s, 10, 64)
		if err := n.previews.Revoke(r.Context(), u, a.ID, ref, id); err != nil {
			n.fail(w, r, u, err)
			return
		}
		http.Redirect(w, r, links.NewsroomShare(a.ID)+"?done=link-revoked", http.StatusSeeOther)
		return
	}
	_, err = n.previews.Create(r.Context(), u, a.ID, ref, lifetimes[r.PostForm.Get("lifetime")])
	if msg, ok := n.invalid(u, err); ok {
		n.sharePage(w, r, u, http.StatusUnprocessableEntity, "", msg)
		return
	}
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	http.Redirect(w, r, links.NewsroomShare(a.ID)+"?done=link-made", http.StatusSeeOther)
}

// OpenPreviewLink answers a preview link, without signing in: the
// article as readers will see it, never cached, never indexed, and with
// no Referer sent onwards, so the link does not leak through the pages
// its article links to.
func (n *Newsroom) OpenPreviewLink(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
	a, err := n.previews.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		h.Set("Cache-Control", "no-store")
		lang := n.visitor(r).Lang // whoever was sent the link
		h.Set("Content-Language", lang)
		if errors.Is(err, previews.ErrInvalid) {
			http.Error(w, n.words.T(lang, "nr.msg.preview_link_gone"), http.StatusNotFound)
			return
		}
		n.log.Error("preview link", "err", err)
		http.Error(w, n.words.T(lang, "nr.msg.went_wrong"), http.StatusInternalServerError)
		return
	}
	n.site.RenderArticlePreview(w, r, a)
}
