package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/store/storetest"
)

// Tags an article's write names are made under the tags' rules, the same
// as a rename in the newsroom: a bad one is refused naming the field, and
// no tag is made.
func TestArticleTagsFollowTheTagRules(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"), api.Limits{})
	for _, name := range []string{"Oil\x00", "Feed", strings.Repeat("x", 201)} {
		resp, b := f.call(t, "POST", "/api/v1/articles", f.tokens[auth.Editor], map[string]any{"title": "Tagged", "body": "x", "tags": []string{"Energy", name}})
		var p map[string]any
		json.Unmarshal(b, &p)
		if resp.StatusCode != http.StatusUnprocessableEntity || p["field"] != "tags" || !strings.HasPrefix(p["detail"].(string), "Tag ") {
			t.Errorf("tag %.20q: %d %s", name, resp.StatusCode, b)
		}
	}
	if _, err := f.db.TagBySlug(t.Context(), "energy"); err == nil {
		t.Error("a refused article made a tag")
	}
}
