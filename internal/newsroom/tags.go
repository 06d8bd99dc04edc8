package newsroom

import (
	"errors"
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
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
	fl := map[string]string{"renamed": "Renamed. The tag's page is now at its new address.", "merged": "Merged."}[r.URL.Query().Get("done")]
	n.render(w, status, "tags", Page{Title: "Tags", User: u, Nav: "tags", Error: msg, Flash: fl, Content: rows})
}

// tagSave renames a tag or merges one into another.
func (n *Newsroom) tagSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTaxonomy, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if _, err := n.db.TagByID(r.Context(), id); err != nil {
		n.tagsPage(w, r, u, http.StatusUnprocessableEntity, "That tag is not there any more.")
		return
	}
	switch r.PostFormValue("op") {
	case "rename":
		err := n.db.RenameTag(r.Context(), id, r.PostFormValue("name"), slugOf(r.PostFormValue("slug")))
		if errors.Is(err, store.ErrExists) {
			n.tagsPage(w, r, u, http.StatusUnprocessableEntity, "Another tag already has that address; merge them instead.")
			return
		}
		if err != nil {
			n.tagsPage(w, r, u, http.StatusUnprocessableEntity, "A tag needs a name.")
			return
		}
		http.Redirect(w, r, links.NewsroomTags+"?done=renamed", http.StatusSeeOther)
	case "merge":
		into, _ := strconv.ParseInt(r.PostFormValue("into"), 10, 64)
		if _, err := n.db.TagByID(r.Context(), into); err != nil || into == id {
			n.tagsPage(w, r, u, http.StatusUnprocessableEntity, "Choose another tag to merge into.")
			return
		}
		if err := n.db.MergeTags(r.Context(), id, into); err != nil {
			n.fail(w, r, u, err)
			return
		}
		http.Redirect(w, r, links.NewsroomTags+"?done=merged", http.StatusSeeOther)
	default:
		http.Error(w, "Unknown action.", http.StatusBadRequest)
	}
}
