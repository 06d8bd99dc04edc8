package api

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

// openAPIDoc describes every /api/v1 endpoint in OpenAPI 3.1. Its title
// and server are placeholders: OpenAPI puts in the site's own.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI is GET /api/v1/openapi.json: the API described in OpenAPI 3.1.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	a.reply(w, r, http.StatusOK, a.OpenAPI())
}

// OpenAPI returns the document describing every /api/v1 endpoint, named
// after this site and pointing at its address.
func (a *API) OpenAPI() map[string]any {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		panic("api: openapi.json is not JSON: " + err.Error()) // its test keeps it valid
	}
	doc["info"].(map[string]any)["title"] = a.cfg.SiteName + " API"
	doc["servers"] = []any{map[string]any{"url": a.cfg.SiteURL}}
	return doc
}
