package newsroom

import (
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/sections"
)

type sectionsContent struct {
	Sections []sectionOption
}

// sectionList shows the section tree with forms to add, rename and move.
func (n *Newsroom) sectionList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTaxonomy, nil) {
		return
	}
	n.sectionsPage(w, r, u, http.StatusOK, "")
}

func (n *Newsroom) sectionsPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, msg string) {
	opts, _, err := n.sectionOptions(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	fl := n.done(r, u, "sections", "saved")
	n.render(w, status, "sections", Page{Title: n.t(u, "nr.title.sections"), User: u, Nav: "sections", Error: msg, Flash: fl, Content: sectionsContent{Sections: opts}})
}

// sectionSave creates a section, or renames or moves one, through the
// sections' rules; the paths of its children, and so their public
// addresses, follow.
func (n *Newsroom) sectionSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	in := sections.Input{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug")}
	in.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	in.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	in.Position, _ = strconv.Atoi(r.PostFormValue("position"))
	_, err := n.sections.Save(r.Context(), u, in)
	if msg, ok := n.invalid(u, err); ok {
		n.sectionsPage(w, r, u, http.StatusUnprocessableEntity, msg)
		return
	}
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	http.Redirect(w, r, links.NewsroomSections+"?done=saved", http.StatusSeeOther)
}
