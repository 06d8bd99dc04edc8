package api

import (
	"net/http"

	"dastan/internal/links"
	"dastan/internal/news"
)

// Section is a section with its place in the tree and how many live
// articles are filed directly in it.
type Section struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Path     string `json:"path"`
	URL      string `json:"url"`
	Count    int    `json:"count"`
}

// Tag is a tag with how many live articles carry it.
type Tag struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

// Author is a byline.
type Author struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Bio   string `json:"bio"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

// listSections is GET /api/v1/sections: the whole tree, parents first.
func (a *API) listSections(w http.ResponseWriter, r *http.Request) {
	list, err := a.db.Sections(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	counts, _, _, err := a.db.VisibleCounts(r.Context(), a.now().UTC())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Sections []Section `json:"sections"`
	}{[]Section{}}
	for _, s := range list {
		out.Sections = append(out.Sections, Section{s.ID, s.ParentID, s.Slug, s.Name, s.Path, links.Abs(a.cfg.SiteURL, links.Section(s.Path)), counts[s.ID]})
	}
	a.reply(w, r, http.StatusOK, out)
}

// listTags is GET /api/v1/tags, most used first, a page at a time.
// Readers see the tags of articles they may see; staff see every tag.
func (a *API) listTags(w http.ResponseWriter, r *http.Request) {
	page, per, p, msg := paging(r, 100)
	if p != "" {
		badParam(w, p, msg)
		return
	}
	tags, counts, err := a.tagsFor(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	all := make([]Tag, len(tags))
	for i, t := range tags {
		all[i] = Tag{t.ID, t.Slug, t.Name, links.Abs(a.cfg.SiteURL, links.Tag(t.Slug)), counts[i]}
	}
	out := struct {
		Tags       []Tag `json:"tags"`
		Total      int   `json:"total"`
		Page       int   `json:"page"`
		PerPage    int   `json:"per_page"`
		TotalPages int   `json:"total_pages"`
	}{window(all, page, per), len(all), page, per, totalPages(len(all), per)}
	a.reply(w, r, http.StatusOK, out)
}

// tagsFor returns the tags the caller may see, most used first, with
// how many articles readers may see carry each. Readers get only tags
// such an article carries: a tag only a draft carries is not theirs to
// see yet. Either is one query over the link table's visibility index.
func (a *API) tagsFor(r *http.Request) ([]news.Tag, []int, error) {
	if callerOf(r).staff() {
		return a.db.TagsWithPublicCounts(r.Context(), a.now().UTC())
	}
	return a.db.PublicTags(r.Context(), a.now().UTC())
}

// window is one page of list, never nil.
func window[T any](list []T, page, per int) []T {
	from := min((page-1)*per, len(list))
	to := min(from+per, len(list))
	return append(make([]T, 0, to-from), list[from:to]...)
}

// listAuthors is GET /api/v1/authors, by name. Readers see the bylines
// of articles they may see; staff see every byline.
func (a *API) listAuthors(w http.ResponseWriter, r *http.Request) {
	list, err := a.db.Authors(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	_, _, counts, err := a.db.VisibleCounts(r.Context(), a.now().UTC())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		Authors []Author `json:"authors"`
	}{[]Author{}}
	staff := callerOf(r).staff()
	for _, au := range list {
		if counts[au.ID] == 0 && !staff {
			continue
		}
		out.Authors = append(out.Authors, Author{au.ID, au.Slug, au.Name, au.Bio, links.Abs(a.cfg.SiteURL, links.Author(au.Slug)), counts[au.ID]})
	}
	a.reply(w, r, http.StatusOK, out)
}
