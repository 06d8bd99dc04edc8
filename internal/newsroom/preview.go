package newsroom

import (
	"net/http"

	"dastan/internal/auth"
)

// preview shows the saved article exactly as readers will see it, drafts
// and scheduled ones included, to staff who may open it.
func (n *Newsroom) preview(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, _, err := n.loadArticle(r, u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.site.RenderArticlePreview(w, r, a)
}
