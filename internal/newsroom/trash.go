package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

func errorsIsConflict(err error) bool { return errors.Is(err, store.ErrConflict) }

func tagNames(tags []news.Tag) string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

// trashList is /newsroom/trash/: what was deleted in the last 30 days.
func (n *Newsroom) trashList(w http.ResponseWriter, r *http.Request, u auth.User) {
	n.list(w, r, u, true)
}

// trashArticle moves an article to the trash. Readers stop seeing it at
// once; it can be restored for TrashLife.
func (n *Newsroom) trashArticle(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if !n.allowed(w, r, u, auth.Delete, &ref) {
		return
	}
	v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		v = a.Version
	}
	if err := n.db.TrashArticle(r.Context(), a.ID, v, n.now().UTC()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			n.render(w, http.StatusConflict, "error", Page{Title: "Not deleted", User: u,
				Error: "Someone else changed this article after you opened it, so it was not deleted. Open it again to see their changes."})
			return
		}
		n.fail(w, r, u, err)
		return
	}
	n.audit(r.Context(), u, "delete", fmt.Sprintf("article %d", a.ID), a.Title)
	http.Redirect(w, r, links.NewsroomArticles+"?done=trashed", http.StatusSeeOther)
}

// restoreArticle takes an article out of the trash, with the status it had.
func (n *Newsroom) restoreArticle(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if !n.allowed(w, r, u, auth.Delete, &ref) {
		return
	}
	if err := n.db.RestoreArticle(r.Context(), a.ID); err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.audit(r.Context(), u, "restore", fmt.Sprintf("article %d", a.ID), a.Title)
	http.Redirect(w, r, links.NewsroomArticle(a.ID)+"?done=restored", http.StatusSeeOther)
}
