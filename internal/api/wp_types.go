package api

import (
	"net/http"
	"strings"
)

// The WordPress API's descriptions of itself: /types, /taxonomies and
// /statuses, in WordPress 6.1's view context, for what Dastan serves
// (posts, pages, media; categories and tags; published). Clients read
// them to find each type's and taxonomy's route (rest_base).

type wpTypeJSON struct {
	Description   string   `json:"description"`
	Hierarchical  bool     `json:"hierarchical"`
	HasArchive    bool     `json:"has_archive"`
	Name          string   `json:"name"`
	Slug          string   `json:"slug"`
	Icon          string   `json:"icon"`
	Taxonomies    []string `json:"taxonomies"`
	RestBase      string   `json:"rest_base"`
	RestNamespace string   `json:"rest_namespace"`
	Links         wpLinks  `json:"_links"`
}

type wpTaxonomyJSON struct {
	Name          string   `json:"name"`
	Slug          string   `json:"slug"`
	Description   string   `json:"description"`
	Types         []string `json:"types"`
	Hierarchical  bool     `json:"hierarchical"`
	RestBase      string   `json:"rest_base"`
	RestNamespace string   `json:"rest_namespace"`
	Links         wpLinks  `json:"_links"`
}

type wpStatusJSON struct {
	Name         string  `json:"name"`
	Public       bool    `json:"public"`
	Queryable    bool    `json:"queryable"`
	Slug         string  `json:"slug"`
	DateFloating bool    `json:"date_floating"`
	Links        wpLinks `json:"_links"`
}

// wpTypeOrder is the order WordPress lists them in.
var wpTypeOrder = []string{"post", "page", "attachment"}

func (a *API) wpTypeList() map[string]wpTypeJSON {
	t := func(slug, name, icon, base string, hier bool, tax []string) wpTypeJSON {
		return wpTypeJSON{Hierarchical: hier, Name: name, Slug: slug, Icon: icon, Taxonomies: tax, RestBase: base, RestNamespace: "wp/v2",
			Links: wpLinks{"collection": {{Href: a.wpBase() + "/types"}}, "wp:items": {{Href: a.wpBase() + "/" + base}}, "curies": wpCuries}}
	}
	return map[string]wpTypeJSON{
		"post":       t("post", "Posts", "dashicons-admin-post", "posts", false, []string{"category", "post_tag"}),
		"page":       t("page", "Pages", "dashicons-admin-page", "pages", true, []string{}),
		"attachment": t("attachment", "Media", "dashicons-admin-media", "media", false, []string{}),
	}
}

func (a *API) wpTaxonomyList() map[string]wpTaxonomyJSON {
	t := func(slug, name, base string, hier bool) wpTaxonomyJSON {
		return wpTaxonomyJSON{Name: name, Slug: slug, Types: []string{"post"}, Hierarchical: hier, RestBase: base, RestNamespace: "wp/v2",
			Links: wpLinks{"collection": {{Href: a.wpBase() + "/taxonomies"}}, "wp:items": {{Href: a.wpBase() + "/" + base}}, "curies": wpCuries}}
	}
	return map[string]wpTaxonomyJSON{"category": t("category", "Categories", "categories", true), "post_tag": t("post_tag", "Tags", "tags", false)}
}

// wpStatusList is what anonymous clients may see: WordPress shows them
// only the public status.
func (a *API) wpStatusList() map[string]wpStatusJSON {
	return map[string]wpStatusJSON{"publish": {Name: "Published", Public: true, Queryable: true, Slug: "publish",
		Links: wpLinks{"archives": {{Href: a.wpBase() + "/posts"}}}}}
}

// wpTypes is GET /wp-json/wp/v2/types.
func (a *API) wpTypes(w http.ResponseWriter, r *http.Request) {
	a.reply(w, r, http.StatusOK, a.wpTypeList())
}

// wpType is GET /wp-json/wp/v2/types/{type}.
func (a *API) wpType(w http.ResponseWriter, r *http.Request) {
	if t, ok := a.wpTypeList()[r.PathValue("type")]; ok {
		a.reply(w, r, http.StatusOK, t)
		return
	}
	wpError(w, http.StatusNotFound, "rest_type_invalid", "Invalid post type.", nil)
}

// wpTaxonomies is GET /wp-json/wp/v2/taxonomies (?type=post keeps the
// post type's; any other type has none here).
func (a *API) wpTaxonomies(w http.ResponseWriter, r *http.Request) {
	all := a.wpTaxonomyList()
	if t := r.URL.Query().Get("type"); t != "" && t != "post" {
		if _, ok := a.wpTypeList()[t]; !ok {
			wpInvalid(w, "type", "type is not one of "+strings.Join(wpTypeOrder, ", ")+".")
			return
		}
		all = map[string]wpTaxonomyJSON{}
	}
	a.reply(w, r, http.StatusOK, all)
}

// wpTaxonomy is GET /wp-json/wp/v2/taxonomies/{taxonomy}.
func (a *API) wpTaxonomy(w http.ResponseWriter, r *http.Request) {
	if t, ok := a.wpTaxonomyList()[r.PathValue("taxonomy")]; ok {
		a.reply(w, r, http.StatusOK, t)
		return
	}
	wpError(w, http.StatusNotFound, "rest_taxonomy_invalid", "Invalid taxonomy.", nil)
}

// wpStatuses is GET /wp-json/wp/v2/statuses.
func (a *API) wpStatuses(w http.ResponseWriter, r *http.Request) {
	a.reply(w, r, http.StatusOK, a.wpStatusList())
}

// wpStatusItem is GET /wp-json/wp/v2/statuses/{status}; the statuses only
// staff may see are answered as WordPress answers anonymous clients.
func (a *API) wpStatusItem(w http.ResponseWriter, r *http.Request) {
	if s, ok := a.wpStatusList()[r.PathValue("status")]; ok {
		a.reply(w, r, http.StatusOK, s)
		return
	}
	switch r.PathValue("status") {
	case "future", "draft", "pending", "private", "trash":
		wpError(w, http.StatusUnauthorized, "rest_cannot_read_status", "Cannot view status.", nil)
		return
	}
	wpError(w, http.StatusNotFound, "rest_status_invalid", "Invalid status.", nil)
}
