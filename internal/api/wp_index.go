package api

import (
	"net/http"
	"strings"
)

// wpIndex answers /wp-json/ as WordPress does, so clients that discover
// the API there (apps, libraries that read "routes") find the read-only
// wp/v2 routes Dastan serves.
func (a *API) wpIndex(w http.ResponseWriter, r *http.Request) {
	_, offset := a.now().In(a.cfg.Location).Zone()
	writeJSON(w, http.StatusOK, map[string]any{
		"name":            a.cfg.SiteName,
		"description":     "",
		"url":             a.cfg.SiteURL,
		"home":            a.cfg.SiteURL,
		"gmt_offset":      offset / 3600,
		"timezone_string": a.cfg.TimeZone,
		"namespaces":      []string{"wp/v2"},
		"authentication":  map[string]any{},
		"routes":          a.wpRoutes(""),
	})
}

// wpNamespace answers /wp-json/wp/v2, WordPress's index of one namespace.
func (a *API) wpNamespace(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"namespace": "wp/v2", "routes": a.wpRoutes("/wp/v2")})
}

// wpRoutes lists the registered /wp-json routes under prefix, in
// WordPress's shape: "/wp/v2/posts/(?P<id>[\d]+)" with its methods.
func (a *API) wpRoutes(prefix string) map[string]any {
	routes := map[string]any{}
	for _, p := range a.patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok || !strings.HasPrefix(path, "/wp-json"+prefix+"/") {
			continue
		}
		route := strings.ReplaceAll(strings.TrimPrefix(path, "/wp-json"), "{id}", `(?P<id>[\d]+)`)
		entry := map[string]any{
			"namespace": "wp/v2",
			"methods":   []string{method},
			"endpoints": []map[string]any{{"methods": []string{method}, "args": map[string]any{}}},
		}
		if !strings.Contains(path, "{") { // WordPress links only the routes without parameters
			entry["_links"] = map[string]any{"self": []map[string]string{{"href": a.cfg.SiteURL + path}}}
		}
		routes[route] = entry
	}
	return routes
}
