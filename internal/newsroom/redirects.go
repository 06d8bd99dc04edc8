package newsroom

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/store"
)

type redirectsContent struct {
	Redirects []store.Redirect
	Total     int
	Query     string
	From, To  string // the form's values after a refused save
	Prev      string
	Next      string
}

const redirectsPerPage = 50

// redirectList shows the site's redirects — editors' own, those an import
// made, and those renames left — with a form to add one.
func (n *Newsroom) redirectList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTaxonomy, nil) {
		return
	}
	n.redirectsPage(w, r, u, http.StatusOK, "", "", "")
}

func (n *Newsroom) redirectsPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, msg, from, to string) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	list, total, err := n.db.ListRedirects(r.Context(), q, redirectsPerPage, (page-1)*redirectsPerPage)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := redirectsContent{Redirects: list, Total: total, Query: q, From: from, To: to}
	link := func(p int) string {
		return links.NewsroomRedirects + "?q=" + url.QueryEscape(q) + "&page=" + strconv.Itoa(p)
	}
	if page > 1 {
		c.Prev = link(page - 1)
	}
	if page*redirectsPerPage < total {
		c.Next = link(page + 1)
	}
	fl := map[string]string{"added": "Redirect saved.", "deleted": "Redirect removed."}[r.URL.Query().Get("done")]
	n.render(w, status, "redirects", Page{Title: "Redirects", User: u, Nav: "redirects", Error: msg, Flash: fl, Content: c})
}

// redirectSave adds a redirect (or replaces the one from the same
// address) or deletes one.
func (n *Newsroom) redirectSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTaxonomy, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	switch r.PostFormValue("op") {
	case "add":
		from, to := localPath(r.PostFormValue("from")), strings.TrimSpace(r.PostFormValue("to"))
		if strings.HasPrefix(to, "/") {
			to = localPath(to)
		}
		status := 301
		if r.PostFormValue("status") == "302" {
			status = 302
		}
		rd := store.Redirect{From: from, To: to, Status: status, CreatedBy: u.Email}
		if from == "" || !(strings.HasPrefix(to, "/") || strings.HasPrefix(to, "https://") || strings.HasPrefix(to, "http://")) {
			n.redirectsPage(w, r, u, http.StatusUnprocessableEntity, "Give an address on this site to redirect from (starting with /) and where it should go (a path starting with / or a full http(s) address).", from, to)
			return
		}
		if err := n.db.SaveRedirect(r.Context(), &rd); err != nil {
			n.redirectsPage(w, r, u, http.StatusUnprocessableEntity, "That redirect cannot be saved: it must lead somewhere else.", from, to)
			return
		}
		n.audit(r.Context(), u, "add redirect", from, to)
		http.Redirect(w, r, links.NewsroomRedirects+"?done=added", http.StatusSeeOther)
	case "delete":
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		if err := n.db.DeleteRedirect(r.Context(), id); err != nil {
			n.redirectsPage(w, r, u, http.StatusUnprocessableEntity, "That redirect is not there any more.", "", "")
			return
		}
		n.audit(r.Context(), u, "delete redirect", strconv.FormatInt(id, 10), "")
		http.Redirect(w, r, links.NewsroomRedirects+"?done=deleted", http.StatusSeeOther)
	default:
		http.Error(w, "Unknown action.", http.StatusBadRequest)
	}
}

// localPath keeps the path (and query) of an address an editor pasted,
// whole URL or not, and gives it a leading slash; "" if there is none.
func localPath(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		s = u.RequestURI()
	}
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return ""
	}
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s
}
