package newsroom

import (
	"net/http"

	"dastan/internal/auth"
)

// preview shows the saved article exactly as readers will see it, drafts
// and scheduled ones included, to staff who may open it.
func (n *Newsroom) preview(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if !n.allowed(w, r, u, auth.View, &ref) {
		return
	}
	n.site.RenderArticlePreview(w, r, a)
}
