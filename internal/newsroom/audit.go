package newsroom

import (
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/store"
)

type auditContent struct {
	Entries    []store.AuditEntry
	Prev, Next string
}

// auditList shows who published, unpublished, deleted, restored or
// changed a role, newest first.
func (n *Newsroom) auditList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ViewAudit, nil) {
		return
	}
	const size = 50
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	entries, err := n.db.AuditLog(r.Context(), size+1, (page-1)*size)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := auditContent{Entries: entries}
	if len(entries) > size {
		c.Entries, c.Next = entries[:size], "?page="+strconv.Itoa(page+1)
	}
	if page > 1 {
		c.Prev = "?page=" + strconv.Itoa(page-1)
	}
	n.render(w, http.StatusOK, "audit", Page{Title: n.t(u, "nr.title.audit"), User: u, Nav: "audit", Content: c})
}
