package api

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"dastan/internal/links"
	"dastan/internal/news"
)

// wpTermJSON is a category or tag in WordPress's view context; tags have
// no parent.
type wpTermJSON struct {
	ID          int64   `json:"id"`
	Count       int     `json:"count"`
	Description string  `json:"description"`
	Link        string  `json:"link"`
	Name        string  `json:"name"`
	Slug        string  `json:"slug"`
	Taxonomy    string  `json:"taxonomy"`
	Parent      *int64  `json:"parent,omitempty"`
	Meta        []any   `json:"meta"`
	Links       wpLinks `json:"_links"`
}

var wpTermEmbedKeys = []string{"id", "link", "name", "slug", "taxonomy", "_links"}

func (a *API) toWPCategory(s news.Section, count int, ids *wpIDs) wpTermJSON {
	tid := ids.wp(wpCategory, s.ID)
	id := strconv.FormatInt(tid, 10)
	parent := ids.wp(wpCategory, s.ParentID)
	t := wpTermJSON{ID: tid, Count: count, Link: links.Abs(a.cfg.SiteURL, links.Section(s.Path)), Name: s.Name, Slug: s.Slug,
		Taxonomy: "category", Parent: &parent, Meta: []any{}, Links: wpLinks{
			"self":         a.wpSelf("/categories/" + id),
			"collection":   {{Href: a.wpBase() + "/categories"}},
			"about":        {{Href: a.wpBase() + "/taxonomies/category"}},
			"wp:post_type": {{Href: a.wpBase() + "/posts?categories=" + id}},
			"curies":       wpCuries,
		}}
	if parent != 0 {
		t.Links["up"] = []wpLink{{Embeddable: true, Href: a.wpBase() + "/categories/" + strconv.FormatInt(parent, 10)}}
	}
	return t
}

func (a *API) toWPTag(tg news.Tag, count int, ids *wpIDs) wpTermJSON {
	tid := ids.wp(wpTag, tg.ID)
	id := strconv.FormatInt(tid, 10)
	return wpTermJSON{ID: tid, Count: count, Link: links.Abs(a.cfg.SiteURL, links.Tag(tg.Slug)), Name: tg.Name, Slug: tg.Slug,
		Taxonomy: "post_tag", Meta: []any{}, Links: wpLinks{
			"self":         a.wpSelf("/tags/" + id),
			"collection":   {{Href: a.wpBase() + "/tags"}},
			"about":        {{Href: a.wpBase() + "/taxonomies/post_tag"}},
			"wp:post_type": {{Href: a.wpBase() + "/posts?tags=" + id}},
			"curies":       wpCuries,
		}}
}

// wpTermList filters, orders and pages terms as WordPress's terms
// controller does: search, slug, include, hide_empty, post; orderby name
// (default), id, slug, count or include; order asc (default) or desc.
func (a *API) wpTermList(w http.ResponseWriter, r *http.Request, base string, all []wpTermJSON, postTerms func(int64) (map[int64]bool, error)) {
	q := r.URL.Query()
	page, per, ok := wpPaging(w, r)
	if !ok {
		return
	}
	by, asc, ok := wpOrder(w, r, []string{"id", "include", "name", "slug", "count"}, "name", true)
	if !ok {
		return
	}
	include, ok := wpIDList(w, r, "include")
	if !ok {
		return
	}
	var parents []int64
	if q.Has("parent") {
		if parents, ok = wpIDList(w, r, "parent"); !ok {
			return
		}
	}
	var inPost map[int64]bool
	if s := q.Get("post"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			wpInvalid(w, "post", "post is not of type integer.")
			return
		}
		if inPost, err = postTerms(id); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	hideEmpty := q.Get("hide_empty") == "true" || q.Get("hide_empty") == "1"
	slugs := map[string]bool{}
	for _, s := range wpStrings(r, "slug") {
		slugs[s] = true
	}
	incl := map[int64]bool{}
	for _, id := range include {
		incl[id] = true
	}
	search := strings.ToLower(q.Get("search"))
	var out []wpTermJSON
	for _, t := range all {
		switch {
		case len(incl) > 0 && !incl[t.ID],
			len(slugs) > 0 && !slugs[t.Slug],
			hideEmpty && t.Count == 0,
			inPost != nil && !inPost[t.ID],
			search != "" && !strings.Contains(strings.ToLower(t.Name), search) && !strings.Contains(t.Slug, search),
			parents != nil && (t.Parent == nil || !containsID(parents, *t.Parent)):
			continue
		}
		out = append(out, t)
	}
	less := map[string]func(x, y wpTermJSON) bool{
		"id":      func(x, y wpTermJSON) bool { return x.ID < y.ID },
		"include": func(x, y wpTermJSON) bool { return indexOf(include, x.ID) < indexOf(include, y.ID) },
		"name":    func(x, y wpTermJSON) bool { return strings.ToLower(x.Name) < strings.ToLower(y.Name) },
		"slug":    func(x, y wpTermJSON) bool { return x.Slug < y.Slug },
		"count":   func(x, y wpTermJSON) bool { return x.Count < y.Count },
	}[by]
	sort.SliceStable(out, func(i, j int) bool {
		if asc {
			return less(out[i], out[j])
		}
		return less(out[j], out[i])
	})
	wpTotals(w, r, base, len(out), page, per)
	a.reply(w, r, http.StatusOK, window(out, page, per))
}

func containsID(list []int64, id int64) bool { return indexOf(list, id) >= 0 }

func indexOf(list []int64, id int64) int {
	for i, x := range list {
		if x == id {
			return i
		}
	}
	return -1
}

// postTerms returns the terms (their ids as the API shows them) of a post
// readers may see, by pick; id is the post's, as the API shows it.
func (a *API) postTerms(r *http.Request, pick func(news.Article, *wpIDs) []int64) func(int64) (map[int64]bool, error) {
	return func(id int64) (map[int64]bool, error) {
		out := map[int64]bool{}
		ids, err := a.wpIDs(r.Context())
		if err != nil {
			return out, err
		}
		if id, err = ids.local(r.Context(), wpArticle, id); err != nil || id == 0 {
			return out, err
		}
		ar, err := a.db.ArticleByID(r.Context(), id)
		if err != nil {
			return out, nil
		}
		if ok, err := a.mayRead(r.Context(), caller{}, ar); err != nil || !ok {
			return out, err
		}
		if err := ids.load(r.Context(), a.db, []news.Article{ar}); err != nil {
			return out, err
		}
		for _, t := range pick(ar, ids) {
			out[t] = true
		}
		return out, nil
	}
}

func (a *API) wpCategoryList(r *http.Request) ([]wpTermJSON, error) {
	secs, err := a.db.Sections(r.Context())
	if err != nil {
		return nil, err
	}
	counts, _, _, err := a.db.VisibleCounts(r.Context(), a.now().UTC())
	if err != nil {
		return nil, err
	}
	ids, err := a.wpIDs(r.Context())
	if err != nil {
		return nil, err
	}
	local := make([]int64, len(secs))
	for i, s := range secs {
		local[i] = s.ID
	}
	if err := ids.learn(r.Context(), wpCategory, local); err != nil {
		return nil, err
	}
	out := make([]wpTermJSON, len(secs))
	for i, s := range secs {
		out[i] = a.toWPCategory(s, counts[s.ID], ids)
	}
	return out, nil
}

// wpTagList is every tag the caller may see (see tagsFor).
func (a *API) wpTagList(r *http.Request) ([]wpTermJSON, error) {
	tags, counts, err := a.tagsFor(r)
	if err != nil {
		return nil, err
	}
	ids, err := a.wpIDs(r.Context())
	if err != nil {
		return nil, err
	}
	local := make([]int64, len(tags))
	for i, t := range tags {
		local[i] = t.ID
	}
	if err := ids.learn(r.Context(), wpTag, local); err != nil {
		return nil, err
	}
	out := make([]wpTermJSON, len(tags))
	for i, t := range tags {
		out[i] = a.toWPTag(t, counts[i], ids)
	}
	return out, nil
}

// wpCategories is GET /wp-json/wp/v2/categories: Dastan's sections.
func (a *API) wpCategories(w http.ResponseWriter, r *http.Request) {
	all, err := a.wpCategoryList(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.wpTermList(w, r, a.wpBase()+"/categories", all, a.postTerms(r, func(ar news.Article, ids *wpIDs) []int64 { return []int64{ids.wp(wpCategory, ar.SectionID)} }))
}

// wpTags is GET /wp-json/wp/v2/tags.
func (a *API) wpTags(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("parent") {
		wpInvalid(w, "parent", "Tags have no parent.")
		return
	}
	all, err := a.wpTagList(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.wpTermList(w, r, a.wpBase()+"/tags", all, a.postTerms(r, func(ar news.Article, ids *wpIDs) []int64 {
		out := make([]int64, len(ar.Tags))
		for i, t := range ar.Tags {
			out[i] = ids.wp(wpTag, t.ID)
		}
		return out
	}))
}

func (a *API) wpTerm(w http.ResponseWriter, r *http.Request, list func(*http.Request) ([]wpTermJSON, error)) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		var all []wpTermJSON
		if all, err = list(r); err != nil {
			a.fail(w, r, err)
			return
		}
		for _, t := range all {
			if t.ID == id {
				a.reply(w, r, http.StatusOK, t)
				return
			}
		}
	}
	wpError(w, http.StatusNotFound, "rest_term_invalid", "Term does not exist.", nil)
}

// wpCategory is GET /wp-json/wp/v2/categories/{id}.
func (a *API) wpCategory(w http.ResponseWriter, r *http.Request) { a.wpTerm(w, r, a.wpCategoryList) }

// wpTag is GET /wp-json/wp/v2/tags/{id}.
func (a *API) wpTag(w http.ResponseWriter, r *http.Request) { a.wpTerm(w, r, a.wpTagList) }
