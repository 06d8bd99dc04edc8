package newsroom

import (
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
)

type tagRow struct {
	news.Tag
	Count int
}

// tagList shows the tags, most used first, with rename and merge forms.
func (n *Newsroom) tagList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTaxonomy, nil) {
		return
	}
	n.tagsPage(w, r, u, http.StatusOK, "")
}

func (n *Newsroom) tagsPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, msg string) {
	tags, counts, err := n.db.Tags(r.Context(), 1000)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	rows := make([]tagRow, len(tags))
	for i := range tags {
		rows[i] = tagRow{tags[i], counts[i]}
	}
	fl := n.done(r, u, "tags", "renamed", "merged")
	n.render(w, status, "tags", Page{Title: n.t(u, "nr.title.tags"), User: u, Nav: "tags", Error: msg, Flash: fl, Content: rows})
}

// tagSave renames a tag or merges one into another, through the tags'
// rules.
func (n *Newsroom) tagSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	var err error
	done := ""
	switch r.PostFormValue("op") {
	case "rename":
		_, err = n.tags.Rename(r.Context(), u, id, r.PostFormValue("name"), r.PostFormValue("slug"))
		done = "renamed"
	case "merge":
		into, _ := strconv.ParseInt(r.PostFormValue("into"), 10, 64)
		err = n.tags.Merge(r.Context(), u, id, into)
		done = "merged"
	default:
		http.Error(w, n.t(u, "nr.msg.unknown_action"), http.StatusBadRequest)
		return
	}
	if msg, ok := n.invalid(u, err); ok {
		n.tagsPage(w, r, u, http.StatusUnprocessableEntity, msg)
		return
	}
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	http.Redirect(w, r, links.NewsroomTags+"?done="+done, http.StatusSeeOther)
}
