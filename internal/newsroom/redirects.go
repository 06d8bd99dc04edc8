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
	fl := n.done(r, u, "redirects", "added", "deleted")
	n.render(w, status, "redirects", Page{Title: n.t(u, "nr.title.redirects"), User: u, Nav: "redirects", Error: msg, Flash: fl, Content: c})
}

// redirectSave adds a redirect (or replaces the one from the same
// address) or deletes one, through the redirects' rules.
func (n *Newsroom) redirectSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	switch r.PostFormValue("op") {
	case "add":
		from, to := r.PostFormValue("from"), r.PostFormValue("to")
		status := 301
		if r.PostFormValue("status") == "302" {
			status = 302
		}
		_, err := n.redirects.Add(r.Context(), u, from, to, status)
		if msg, ok := n.invalid(u, err); ok {
			n.redirectsPage(w, r, u, http.StatusUnprocessableEntity, msg, from, to)
			return
		}
		if err != nil {
			n.fail(w, r, u, err)
			return
		}
		http.Redirect(w, r, links.NewsroomRedirects+"?done=added", http.StatusSeeOther)
	case "delete":
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		err := n.redirects.Delete(r.Context(), u, id)
		if msg, ok := n.invalid(u, err); ok {
			n.redirectsPage(w, r, u, http.StatusUnprocessableEntity, msg, "", "")
			return
		}
		if err != nil {
			n.fail(w, r, u, err)
			return
		}
		http.Redirect(w, r, links.NewsroomRedirects+"?done=deleted", http.StatusSeeOther)
	default:
		http.Error(w, n.t(u, "nr.msg.unknown_action"), http.StatusBadRequest)
	}
}
