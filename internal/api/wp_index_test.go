package api_test

import (
	"slices"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/store/storetest"
)

// Clients that discover the API at /wp-json/ find the wp/v2 routes, and
// sites' plain-permalink form /?rest_route=… reaches the same answers.
func TestWordPressDiscoveryAndRestRoute(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"), api.Limits{})
	var index struct {
		Name           string
		URL            string
		Namespaces     []string
		Authentication map[string]struct {
			Endpoints struct{ Authorization string }
		}
		Routes map[string]struct {
			Namespace string
			Methods   []string
			Endpoints []struct {
				Methods []string
				Args    map[string]any
			}
		}
	}
	f.getJSON(t, "/wp-json/", "", 200, &index)
	if index.Name == "" || !slices.Contains(index.Namespaces, "wp/v2") {
		t.Fatalf("index: %+v", index)
	}
	if got := index.Authentication["application-passwords"].Endpoints.Authorization; !strings.HasSuffix(got, "/newsroom/application-passwords/") {
		t.Errorf("application passwords are authorized at %q", got)
	}
	for _, route := range []string{"/wp/v2/posts", `/wp/v2/posts/(?P<id>[\d]+)`, "/wp/v2/categories", "/wp/v2/tags", "/wp/v2/users", "/wp/v2/media"} {
		if r, ok := index.Routes[route]; !ok || r.Namespace != "wp/v2" || !slices.Contains(r.Methods, "GET") || len(r.Endpoints) == 0 {
			t.Errorf("route %s: %+v", route, r)
		}
	}
	// wpapi makes its filter methods (.categories(), .tags() …) from args.
	if args := index.Routes["/wp/v2/posts"].Endpoints[0].Args; args["categories"] == nil || args["tags"] == nil || args["author"] == nil {
		t.Errorf("posts' args: %v", args)
	}
	var ns struct{ Namespace string }
	f.getJSON(t, "/wp-json/wp/v2", "", 200, &ns)
	if ns.Namespace != "wp/v2" {
		t.Errorf("namespace index: %+v", ns)
	}

	var pretty, plain []struct{ ID int64 }
	f.getJSON(t, "/wp-json/wp/v2/posts?per_page=3", "", 200, &pretty)
	f.getJSON(t, "/?rest_route=/wp/v2/posts&per_page=3", "", 200, &plain)
	if len(pretty) != 3 || len(plain) != 3 || pretty[0].ID != plain[0].ID || pretty[2].ID != plain[2].ID {
		t.Fatalf("rest_route answers %v, /wp-json answers %v", plain, pretty)
	}
}
