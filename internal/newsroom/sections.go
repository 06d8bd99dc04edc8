package newsroom

import (
	"net/http"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
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
	fl := ""
	if r.URL.Query().Get("done") == "saved" {
		fl = "Saved. Its pages and its articles' links now use the new address."
	}
	n.render(w, status, "sections", Page{Title: "Sections", User: u, Nav: "sections", Error: msg, Flash: fl, Content: sectionsContent{Sections: opts}})
}

// sectionSave creates a section, or renames or moves one; the paths of
// its children, and so their public addresses, follow.
func (n *Newsroom) sectionSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTaxonomy, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	s := news.Section{Name: strings.TrimSpace(r.PostFormValue("name")), Slug: slugOf(r.PostFormValue("slug"))}
	s.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	s.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	s.Position, _ = strconv.Atoi(r.PostFormValue("position"))
	if s.Name == "" {
		n.sectionsPage(w, r, u, http.StatusUnprocessableEntity, "A section needs a name.")
		return
	}
	all, err := n.db.Sections(r.Context())
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if s.Slug == "" {
		s.Slug = news.Slugify(s.Name)
	}
	var self, parent *news.Section
	for i := range all {
		if all[i].ID == s.ID {
			self = &all[i]
		}
		if all[i].ID == s.ParentID {
			parent = &all[i]
		}
	}
	if s.ID != 0 && self == nil || s.ParentID != 0 && parent == nil {
		n.sectionsPage(w, r, u, http.StatusUnprocessableEntity, "That section is not there any more.")
		return
	}
	if self != nil && parent != nil && (parent.ID == self.ID || strings.HasPrefix(parent.Path+"/", self.Path+"/")) {
		n.sectionsPage(w, r, u, http.StatusUnprocessableEntity, "A section cannot be put inside itself.")
		return
	}
	path := s.Slug
	if parent != nil {
		path = parent.Path + "/" + s.Slug
	}
	for _, o := range all {
		if o.Path == path && o.ID != s.ID {
			n.sectionsPage(w, r, u, http.StatusUnprocessableEntity, "Another section already has the address "+links.Section(path)+".")
			return
		}
	}
	if err := n.db.SaveSection(r.Context(), &s); err != nil {
		n.fail(w, r, u, err)
		return
	}
	http.Redirect(w, r, links.NewsroomSections+"?done=saved", http.StatusSeeOther)
}
