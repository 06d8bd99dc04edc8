package newsroom_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Editors add and remove their own redirects; readers are sent on at
// once; authors and contributors may not touch them.
func TestEditorsRedirects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, r := range []auth.Role{auth.Contributor, auth.Author} {
			if code, _ := f.as(t, r).post("/newsroom/redirects/", url.Values{"op": {"add"}, "from": {"/x/"}, "to": {"/y/"}}); code != http.StatusForbidden {
				t.Errorf("%s adding a redirect: %d", r, code)
			}
		}
		ed := f.as(t, auth.Editor)
		if code, _ := ed.post("/newsroom/redirects/", url.Values{"op": {"add"}, "from": {"https://old.example.org/2019/05/old-story/"}, "to": {"/new-story/"}}); code != http.StatusSeeOther {
			t.Fatalf("adding: %d", code)
		}
		if _, body := ed.get("/newsroom/redirects/?done=added"); !strings.Contains(body, "Redirect saved.") || !strings.Contains(body, "/2019/05/old-story/") {
			t.Fatal("the list does not show the new redirect")
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(f.srv.URL + "/2019/05/old-story/")
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/new-story/" {
			t.Fatalf("reader: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if code, body := ed.post("/newsroom/redirects/", url.Values{"op": {"add"}, "from": {"/a/"}, "to": {"javascript:alert(1)"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Give an address") {
			t.Errorf("a hostile target: %d", code)
		}
		list, total, err := db.ListRedirects(t.Context(), "old-story", 10, 0)
		must(t, err)
		if total != 1 {
			t.Fatalf("%d redirects match", total)
		}
		if code, _ := ed.post("/newsroom/redirects/", url.Values{"op": {"delete"}, "id": {strconv.FormatInt(list[0].ID, 10)}}); code != http.StatusSeeOther {
			t.Fatalf("deleting: %d", code)
		}
		resp, err = c.Get(f.srv.URL + "/2019/05/old-story/")
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Fatalf("after removal: %d", resp.StatusCode)
		}
	})
}
