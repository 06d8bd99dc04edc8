package newsroom

import (
	"errors"
	"net/http"
	"strconv"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/links"
)

// trashList is /newsroom/trash/: what was deleted in the last 30 days.
func (n *Newsroom) trashList(w http.ResponseWriter, r *http.Request, u auth.User) {
	n.list(w, r, u, true)
}

// trashArticle moves an article to the trash. Readers stop seeing it at
// once; it can be restored for articles.TrashLife.
func (n *Newsroom) trashArticle(w http.ResponseWriter, r *http.Request, u auth.User) {
	id, err := pathID(r, "id")
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64) // none: the stored version
	if err := n.articles.Trash(r.Context(), u, id, v, ""); err != nil {
		var conflict *articles.ConflictError
		if errors.As(err, &conflict) {
			n.render(w, http.StatusConflict, "error", Page{Title: n.t(u, "nr.title.not_deleted"), User: u,
				Error: n.t(u, "nr.msg.trash_conflict")})
			return
		}
		n.fail(w, r, u, err)
		return
	}
	http.Redirect(w, r, links.NewsroomArticles+"?done=trashed", http.StatusSeeOther)
}

// restoreArticle takes an article out of the trash, with the status it
// had when the user could give it that status, as a draft otherwise.
func (n *Newsroom) restoreArticle(w http.ResponseWriter, r *http.Request, u auth.User) {
	id, err := pathID(r, "id")
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	_, demoted, err := n.articles.Restore(r.Context(), u, id, "")
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	key := "restored"
	if demoted {
		key = "restored-draft"
	}
	http.Redirect(w, r, links.NewsroomArticle(id)+"?done="+key, http.StatusSeeOther)
}
