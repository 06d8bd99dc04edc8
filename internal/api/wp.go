package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// WordPress-compatible reads: /wp-json/wp/v2/ answers in the shapes and
// with the parameters and headers of WordPress's core REST API, so the
// apps and integrations a newsroom had keep working. Ids are Dastan's;
// /posts/{id} also answers an imported post's WordPress id.

const wpDateLayout = "2006-01-02T15:04:05"

type wpRendered struct {
	Rendered string `json:"rendered"`
}

type wpProtected struct {
	Rendered  string `json:"rendered"`
	Protected bool   `json:"protected"`
}

// wpLink is one entry of _links; which members it has depends on its rel.
type wpLink struct {
	Href       string `json:"href"`
	Embeddable bool   `json:"embeddable,omitempty"`
	Taxonomy   string `json:"taxonomy,omitempty"`
	Count      *int64 `json:"count,omitempty"`
	Name       string `json:"name,omitempty"`
	Templated  bool   `json:"templated,omitempty"`
}

type wpLinks map[string][]wpLink

var wpCuries = []wpLink{{Name: "wp", Href: "https://api.w.org/{rel}", Templated: true}}

func (a *API) wpBase() string { return a.cfg.SiteURL + "/wp-json/wp/v2" }

func (a *API) wpSelf(path string) []wpLink {
	return []wpLink{{Href: a.wpBase() + path}}
}

// wpDates is a time as WordPress gives it: in the site's zone and in UTC,
// both without an offset.
func (a *API) wpDates(t time.Time) (local, gmt string) {
	return t.In(a.cfg.Location).Format(wpDateLayout), t.UTC().Format(wpDateLayout)
}

// wpInvalid is WordPress's 400 for bad parameters.
func wpInvalid(w http.ResponseWriter, param, msg string) {
	wpError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): "+param, map[string]any{
		"params":  map[string]string{param: msg},
		"details": map[string]any{param: map[string]any{"code": "rest_invalid_type", "message": msg, "data": nil}},
	})
}

// wpPaging reads page and per_page as WordPress does, default 10.
func wpPaging(w http.ResponseWriter, r *http.Request) (page, per int, ok bool) {
	q := r.URL.Query()
	page, per = 1, 10
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			wpInvalid(w, "page", "page must be greater than or equal to 1")
			return 0, 0, false
		}
		page = n
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPerPage {
			msg := fmt.Sprintf("per_page must be between 1 (inclusive) and %d (inclusive)", MaxPerPage)
			wpError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): per_page", map[string]any{
				"params":  map[string]string{"per_page": msg},
				"details": map[string]any{"per_page": map[string]any{"code": "rest_out_of_bounds", "message": msg, "data": nil}},
			})
			return 0, 0, false
		}
		per = n
	}
	if page > 1_000_000/per {
		wpInvalid(w, "page", "page is too large")
		return 0, 0, false
	}
	return page, per, true
}

// wpIDList reads a comma-separated (or repeated, or name[]) list of ids.
func wpIDList(w http.ResponseWriter, r *http.Request, name string) ([]int64, bool) {
	var out []int64
	for _, v := range append(r.URL.Query()[name], r.URL.Query()[name+"[]"]...) {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id < 0 {
				wpInvalid(w, name, fmt.Sprintf("%s[%d] is not of type integer.", name, len(out)))
				return nil, false
			}
			out = append(out, id)
		}
	}
	return out, true
}

// wpStrings reads a comma-separated list of strings.
func wpStrings(r *http.Request, name string) []string {
	var out []string
	for _, v := range append(r.URL.Query()[name], r.URL.Query()[name+"[]"]...) {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// wpOrder reads orderby (one of allowed, def when absent) and order.
func wpOrder(w http.ResponseWriter, r *http.Request, allowed []string, def string, defAsc bool) (by string, asc bool, ok bool) {
	q := r.URL.Query()
	by, asc = def, defAsc
	if s := q.Get("orderby"); s != "" {
		found := false
		for _, x := range allowed {
			found = found || x == s
		}
		if !found {
			wpInvalid(w, "orderby", "orderby is not one of "+strings.Join(allowed, ", ")+".")
			return "", false, false
		}
		by = s
	}
	switch q.Get("order") {
	case "":
	case "asc":
		asc = true
	case "desc":
		asc = false
	default:
		wpInvalid(w, "order", "order is not one of asc, desc.")
		return "", false, false
	}
	return by, asc, true
}

// wpTime reads after and before: ISO 8601 with or without an offset (in
// the site's zone without one), as WordPress accepts.
func (a *API) wpTime(s string) (time.Time, error) {
	for _, l := range []string{time.RFC3339, "2006-01-02T15:04:05Z07:00"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, l := range []string{wpDateLayout, "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(l, s, a.cfg.Location); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("api: time %q", s)
}

// wpTotals sets X-WP-Total, X-WP-TotalPages and the Link header WordPress
// sends with every collection.
func wpTotals(w http.ResponseWriter, r *http.Request, base string, total, page, per int) {
	pages := totalPages(total, per)
	h := w.Header()
	h.Set("X-WP-Total", strconv.Itoa(total))
	h.Set("X-WP-TotalPages", strconv.Itoa(pages))
	link := func(p int, rel string) string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(p))
		return "<" + base + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	var links []string
	if page > 1 && page <= pages+1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < pages {
		links = append(links, link(page+1, "next"))
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
}

// wpEmbed says which embeddable links _embed asks for: all of them for a
// bare _embed, or those it names.
func wpEmbed(r *http.Request) func(rel string) bool {
	q := r.URL.Query()
	if !q.Has("_embed") {
		return nil
	}
	names := wpStrings(r, "_embed")
	if len(names) == 0 || (len(names) == 1 && (names[0] == "1" || names[0] == "true")) {
		return func(string) bool { return true }
	}
	return func(rel string) bool {
		for _, n := range names {
			if n == rel {
				return true
			}
		}
		return false
	}
}

// onlyKeys keeps the members of an object that the embed context shows.
func onlyKeys(v any, keys ...string) map[string]any {
	m := toMap(v)
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		if x, ok := m[k]; ok {
			out[k] = x
		}
	}
	return out
}
