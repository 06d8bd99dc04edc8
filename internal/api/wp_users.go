package api

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"dastan/internal/links"
	"dastan/internal/news"
)

// wpUserJSON is a user in WordPress's view context: Dastan's bylines.
type wpUserJSON struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	URL         string            `json:"url"`
	Description string            `json:"description"`
	Link        string            `json:"link"`
	Slug        string            `json:"slug"`
	AvatarURLs  map[string]string `json:"avatar_urls"`
	Meta        []any             `json:"meta"`
	Links       wpLinks           `json:"_links"`
}

var wpUserEmbedKeys = []string{"id", "name", "url", "description", "link", "slug", "avatar_urls", "_links"}

func (a *API) toWPUser(au news.Author, ids *wpIDs) wpUserJSON {
	uid := ids.wp(wpAuthor, au.ID)
	id := strconv.FormatInt(uid, 10)
	// Bylines have no email; the avatar is Gravatar's default picture,
	// keyed by the slug so that it is stable.
	sum := md5.Sum([]byte(au.Slug))
	av := map[string]string{}
	for _, s := range []string{"24", "48", "96"} {
		av[s] = "https://secure.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?s=" + s + "&d=mm&r=g"
	}
	return wpUserJSON{ID: uid, Name: au.Name, URL: "", Description: au.Bio, Link: links.Abs(a.cfg.SiteURL, links.Author(au.Slug)), Slug: au.Slug,
		AvatarURLs: av, Meta: []any{}, Links: wpLinks{"self": a.wpSelf("/users/" + id), "collection": {{Href: a.wpBase() + "/users"}}}}
}

// wpPublicAuthors are the bylines with articles readers may see: as
// WordPress, which lists to the public only users who have published;
// with the ids the API shows them under.
func (a *API) wpPublicAuthors(r *http.Request) ([]news.Author, *wpIDs, error) {
	all, err := a.db.Authors(r.Context())
	if err != nil {
		return nil, nil, err
	}
	_, _, counts, err := a.db.VisibleCounts(r.Context(), a.now().UTC())
	if err != nil {
		return nil, nil, err
	}
	var out []news.Author
	var local []int64
	for _, au := range all {
		if counts[au.ID] > 0 {
			out = append(out, au)
			local = append(local, au.ID)
		}
	}
	ids, err := a.wpIDs(r.Context())
	if err == nil {
		err = ids.learn(r.Context(), wpAuthor, local)
	}
	return out, ids, err
}

// wpUsers is GET /wp-json/wp/v2/users: search, slug, include, orderby
// (name, id, slug, include), order, page, per_page.
func (a *API) wpUsers(w http.ResponseWriter, r *http.Request) {
	page, per, ok := wpPaging(w, r)
	if !ok {
		return
	}
	by, asc, ok := wpOrder(w, r, []string{"id", "include", "name", "slug"}, "name", true)
	if !ok {
		return
	}
	include, ok := wpIDList(w, r, "include")
	if !ok {
		return
	}
	all, ids, err := a.wpPublicAuthors(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	slugs := map[string]bool{}
	for _, s := range wpStrings(r, "slug") {
		slugs[s] = true
	}
	search := strings.ToLower(r.URL.Query().Get("search"))
	var list []news.Author
	for _, au := range all {
		if (len(include) > 0 && !containsID(include, ids.wp(wpAuthor, au.ID))) || (len(slugs) > 0 && !slugs[au.Slug]) ||
			(search != "" && !strings.Contains(strings.ToLower(au.Name), search) && !strings.Contains(au.Slug, search)) {
			continue
		}
		list = append(list, au)
	}
	less := map[string]func(x, y news.Author) bool{
		"id": func(x, y news.Author) bool { return ids.wp(wpAuthor, x.ID) < ids.wp(wpAuthor, y.ID) },
		"include": func(x, y news.Author) bool {
			return indexOf(include, ids.wp(wpAuthor, x.ID)) < indexOf(include, ids.wp(wpAuthor, y.ID))
		},
		"name": func(x, y news.Author) bool { return strings.ToLower(x.Name) < strings.ToLower(y.Name) },
		"slug": func(x, y news.Author) bool { return x.Slug < y.Slug },
	}[by]
	sort.SliceStable(list, func(i, j int) bool {
		if asc {
			return less(list[i], list[j])
		}
		return less(list[j], list[i])
	})
	out := []wpUserJSON{}
	for _, au := range window(list, page, per) {
		out = append(out, a.toWPUser(au, ids))
	}
	wpTotals(w, r, a.wpBase()+"/users", len(list), page, per)
	a.reply(w, r, http.StatusOK, out)
}

// wpUser is GET /wp-json/wp/v2/users/{id}.
func (a *API) wpUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		all, ids, err := a.wpPublicAuthors(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		for _, au := range all {
			if ids.wp(wpAuthor, au.ID) == id {
				a.reply(w, r, http.StatusOK, a.toWPUser(au, ids))
				return
			}
		}
	}
	wpError(w, http.StatusNotFound, "rest_user_invalid_id", "Invalid user ID.", nil)
}
