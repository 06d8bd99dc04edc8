package site

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"dastan/internal/links"
)

// /search/suggest answers the masthead's search box as the reader types:
// a few articles whose titles start with what is typed, and the sections,
// tags and people whose names do. The form works without it; the script
// (static/suggest.js) only offers shortcuts.

const (
	maxSuggestions  = 8
	maxSuggestNames = 3   // sections, tags and people together, so articles keep most of the list
	maxSuggestRunes = 100 // a longer prefix is no title's beginning worth a query
	minSuggestRunes = 2   // one letter matches half the archive
)

// suggestion is one item of the list.
type suggestion struct {
	Kind  string `json:"kind"` // article, section, tag or author
	Label string `json:"label"`
	URL   string `json:"url"`
}

// serveSuggest answers through the search pages' cache and spends the
// reader's search budget when it reaches the store, as /?s= does.
func (s *Site) serveSuggest(w http.ResponseWriter, r *http.Request) {
	s.serveGated(s.searchCache, w, r, s.suggest, params{}, s.admitSearch)
}

// suggest lists up to maxSuggestions items for q: too short a q gets an
// empty list, never an error.
func (s *Site) suggest(r *http.Request, _ params) (*response, error) {
	ctx := r.Context()
	q := suggestPrefix(r.URL.Query().Get("q"))
	out := []suggestion{}
	if utf8.RuneCountInString(q) < minSuggestRunes {
		return jsonResponse(out)
	}
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	var names []suggestion
	add := func(kind, name, url string) {
		if len(names) < maxSuggestNames && nameStarts(name, q) {
			names = append(names, suggestion{kind, name, url})
		}
	}
	for _, sec := range tree.all {
		add("section", sec.Name, links.Section(sec.Path))
	}
	tags, authors := s.facets.get(ctx, s.db, s.now())
	for _, t := range tags {
		add("tag", t.Name, links.Tag(t.Slug))
	}
	for _, a := range authors {
		add("author", a.Name, links.Author(a.Slug))
	}
	arts, err := s.db.TitlesStarting(ctx, q, s.now(), maxSuggestions-len(names))
	if err != nil {
		return nil, err
	}
	for _, a := range arts {
		out = append(out, suggestion{"article", a.Title, links.Article(a.Slug)})
	}
	return jsonResponse(append(out, names...))
}

// suggestPrefix is the typed text as suggestions use it: cleaned like
// every search parameter, at most maxSuggestRunes, spaces collapsed.
func suggestPrefix(raw string) string {
	q := strings.Join(strings.Fields(cleanParam(raw, 4*maxSuggestRunes)), " ")
	if utf8.RuneCountInString(q) > maxSuggestRunes {
		q = string([]rune(q)[:maxSuggestRunes])
	}
	return q
}

// nameStarts reports whether name, or one of its words, starts with q,
// ignoring case: "gas" finds the tag "Natural gas".
func nameStarts(name, q string) bool {
	name, q = strings.ToLower(name), strings.ToLower(q)
	if strings.HasPrefix(name, q) {
		return true
	}
	for i, r := range name {
		if r == ' ' && strings.HasPrefix(name[i+1:], q) {
			return true
		}
	}
	return false
}
