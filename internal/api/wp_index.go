package api

import (
	"net/http"
	"slices"
	"strings"

	"dastan/internal/links"
)

// wpIndex answers /wp-json/ as WordPress does, so clients that discover
// the API there (WPAPI.discover, apps, libraries that read "routes") find
// the routes Dastan serves and how to authenticate: Application
// Passwords, whose authorization screen is the newsroom's account page.
func (a *API) wpIndex(w http.ResponseWriter, r *http.Request) {
	_, offset := a.now().In(a.cfg.Location).Zone()
	a.reply(w, r, http.StatusOK, map[string]any{
		"name":            a.cfg.SiteName,
		"description":     "",
		"url":             a.cfg.SiteURL,
		"home":            a.cfg.SiteURL,
		"gmt_offset":      float64(offset) / 3600,
		"timezone_string": a.cfg.TimeZone,
		"namespaces":      a.wpNamespaces(),
		"authentication": map[string]any{
			"application-passwords": map[string]any{
				"endpoints": map[string]string{"authorization": links.Abs(a.cfg.SiteURL, links.NewsroomAppPasswords)},
			},
		},
		"routes":    a.wpRoutes(""),
		"site_logo": 0,
		"site_icon": 0,
		"_links":    map[string]any{"help": []map[string]string{{"href": "https://developer.wordpress.org/rest-api/"}}},
	})
}

// wpNamespace answers /wp-json/wp/v2 (and /wp-json/oembed/1.0), WordPress's
// index of one namespace.
func (a *API) wpNamespace(ns string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.reply(w, r, http.StatusOK, map[string]any{
			"namespace": ns, "routes": a.wpRoutes("/" + ns),
			"_links": map[string]any{"up": []map[string]string{{"href": links.Abs(a.cfg.SiteURL, links.WPJSON)}}},
		})
	}
}

// wpNamespaces are the namespaces of the registered routes, in order.
func (a *API) wpNamespaces() []string {
	var out []string
	for _, p := range a.patterns {
		_, path, _ := strings.Cut(p, " ")
		if ns := wpRouteNamespace(path); ns != "" && !slices.Contains(out, ns) {
			out = append(out, ns)
		}
	}
	slices.Sort(out)
	return out
}

// wpRouteNamespace is "wp/v2" for /wp-json/wp/v2/posts, "" outside /wp-json.
func wpRouteNamespace(path string) string {
	rest, ok := strings.CutPrefix(path, "/wp-json/")
	if !ok {
		return ""
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// wpRoutes lists the registered /wp-json routes under prefix, in
// WordPress's shape: "/wp/v2/posts/(?P<id>[\d]+)" with its methods, one
// endpoint per method and the parameters each takes (clients such as
// wpapi make their filter methods from these).
func (a *API) wpRoutes(prefix string) map[string]any {
	type route struct {
		ns, path  string
		methods   []string
		endpoints []map[string]any
	}
	var order []string
	byRoute := map[string]*route{}
	for _, p := range a.patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok || !strings.HasPrefix(path, "/wp-json"+prefix+"/") {
			continue
		}
		if (method == http.MethodPost || method == http.MethodPatch) && strings.Contains(path, "{") {
			continue // the PUT endpoint lists them: WordPress's EDITABLE
		}
		key := strings.TrimPrefix(path, "/wp-json")
		key = strings.ReplaceAll(key, "{id}", `(?P<id>[\d]+)`)
		key = strings.ReplaceAll(key, "{type}", `(?P<type>[\w-]+)`)
		key = strings.ReplaceAll(key, "{taxonomy}", `(?P<taxonomy>[\w-]+)`)
		key = strings.ReplaceAll(key, "{status}", `(?P<status>[\w-]+)`)
		rt := byRoute[key]
		if rt == nil {
			rt = &route{ns: wpRouteNamespace(path), path: path}
			byRoute[key] = rt
			order = append(order, key)
		}
		methods := []string{method}
		if method == http.MethodPut { // WordPress's EDITABLE is POST, PUT and PATCH
			methods = []string{http.MethodPost, http.MethodPut, http.MethodPatch}
		}
		for _, m := range methods {
			if !slices.Contains(rt.methods, m) {
				rt.methods = append(rt.methods, m)
			}
		}
		args := map[string]any{}
		for _, name := range wpRouteArgs(method, key) {
			args[name] = map[string]any{"required": false}
		}
		rt.endpoints = append(rt.endpoints, map[string]any{"methods": methods, "args": args})
	}
	routes := make(map[string]any, len(order))
	for _, key := range order {
		rt := byRoute[key]
		entry := map[string]any{"namespace": rt.ns, "methods": rt.methods, "endpoints": rt.endpoints}
		if !strings.Contains(rt.path, "{") { // WordPress links only the routes without parameters
			entry["_links"] = map[string]any{"self": []map[string]string{{"href": a.cfg.SiteURL + rt.path}}}
		}
		routes[key] = entry
	}
	return routes
}

// wpRouteArgs names the parameters a route's method reads, as WordPress
// lists them under "args".
func wpRouteArgs(method, route string) []string {
	if method != http.MethodGet {
		switch {
		case method == http.MethodDelete:
			return []string{"id", "force"}
		case strings.HasSuffix(route, "/posts") || strings.HasSuffix(route, "/pages") || strings.Contains(route, "/posts/") || strings.Contains(route, "/pages/"):
			return []string{"date", "date_gmt", "slug", "status", "password", "title", "content", "excerpt", "author", "featured_media", "categories", "tags", "parent", "sticky", "meta"}
		case strings.Contains(route, "/media"):
			return []string{"title", "caption", "alt_text", "description", "post"}
		default:
			return []string{"name", "slug", "description", "parent"}
		}
	}
	common := []string{"context", "page", "per_page", "search", "include", "exclude", "offset", "order", "orderby", "slug"}
	switch {
	case strings.Contains(route, "(?P<"):
		return []string{"context", "id", "password"}
	case strings.HasSuffix(route, "/posts"):
		return append(common, "after", "before", "modified_after", "modified_before", "author", "author_exclude", "status", "categories", "categories_exclude", "tags", "tags_exclude", "sticky", "lang")
	case strings.HasSuffix(route, "/pages"):
		return append(common, "after", "before", "author", "author_exclude", "status", "parent", "parent_exclude", "menu_order")
	case strings.HasSuffix(route, "/categories"):
		return append(common, "hide_empty", "parent", "post")
	case strings.HasSuffix(route, "/tags"):
		return append(common, "hide_empty", "post")
	case strings.HasSuffix(route, "/users"):
		return append(common, "roles", "who")
	case strings.HasSuffix(route, "/media"):
		return append(common, "after", "before", "author", "parent", "media_type", "mime_type")
	case strings.HasSuffix(route, "/types"), strings.HasSuffix(route, "/statuses"):
		return []string{"context"}
	case strings.HasSuffix(route, "/taxonomies"):
		return []string{"context", "type"}
	case strings.HasSuffix(route, "/embed"):
		return []string{"url", "format", "maxwidth"}
	}
	return []string{"context"}
}
