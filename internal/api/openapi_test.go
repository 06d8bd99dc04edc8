package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/store/storetest"
)

// TestOpenAPICoversEveryRoute parses the served document and checks that
// every endpoint registered under /api/v1 is described, with its method.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	f := newFixture(t, db, api.Limits{})
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title string `json:"title"`
		} `json:"info"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	resp := f.getJSON(t, "/api/v1/openapi.json", "", 200, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	// The embedded file's placeholders give way to this site's name and address.
	if doc.Info.Title != "The Times of Central Asia API" || len(doc.Servers) != 1 || doc.Servers[0].URL != "https://timesca.example" {
		t.Errorf("info %+v, servers %+v", doc.Info, doc.Servers)
	}
	norm := regexp.MustCompile(`\{[^}]*\}`)
	described := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			described[strings.ToUpper(m)+" "+norm.ReplaceAllString(p, "{}")] = true
		}
	}
	a := api.New(api.Options{Store: db, Rates: api.NewRates(nil, nil, nil, nil, nil, nil)})
	a.Routes(http.NewServeMux())
	n := 0
	for _, p := range a.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		n++
		if !described[method+" "+norm.ReplaceAllString(path, "{}")] {
			t.Errorf("%s is not in the OpenAPI document", p)
		}
	}
	if n < 12 {
		t.Errorf("only %d routes under /api/v1", n)
	}
	// Paged endpoints promise the limit the handlers enforce.
	perPage := regexp.MustCompile(`"name":"per_page","schema":\{[^}]*"maximum":(\d+)`)
	raw, _ := json.Marshal(a.OpenAPI())
	limits := perPage.FindAllStringSubmatch(string(raw), -1)
	if len(limits) < 3 {
		t.Errorf("%d per_page parameters described", len(limits))
	}
	for _, m := range limits {
		if m[1] != strconv.Itoa(api.MaxPerPage) {
			t.Errorf("per_page maximum %s in the document, %d in the handlers", m[1], api.MaxPerPage)
		}
	}
	// Every $ref names a schema or response that exists.
	for _, m := range regexp.MustCompile(`"#/components/(schemas|responses)/([A-Za-z]+)"`).FindAllStringSubmatch(string(raw), -1) {
		if m[1] == "schemas" && doc.Components.Schemas[m[2]] == nil {
			t.Errorf("dangling $ref %s", m[0])
		}
	}
}
