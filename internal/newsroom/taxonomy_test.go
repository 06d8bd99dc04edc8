package newsroom_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// The sections and tags screens pass what editors type to the rules and
// show a refusal on the page, with 422, keeping everything as it was.
func TestTaxonomyFormsShowRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ed := f.as(t, auth.Editor)
		for _, c := range []struct {
			path string
			form url.Values
			want string
		}{
			{"/newsroom/sections/", url.Values{"name": {"Sport\x00"}}, "control characters"},
			{"/newsroom/sections/", url.Values{"name": {"Economy"}}, "Another section already has the address /category/economy/."},
			{"/newsroom/sections/", url.Values{"name": {"Feed"}}, "choose another slug"},
			{"/newsroom/sections/", url.Values{"id": {strconv.FormatInt(f.section.ID, 10)}, "name": {"Economy"}, "parent": {strconv.FormatInt(f.section.ID, 10)}}, "inside itself"},
			{"/newsroom/tags/", url.Values{"op": {"rename"}, "id": {"9999"}, "name": {"Oil"}}, "That tag is not there any more."},
		} {
			code, body := ed.post(c.path, c.form)
			if code != http.StatusUnprocessableEntity || !strings.Contains(errorText(body), c.want) {
				t.Errorf("%s %v: %d %q, want 422 saying %q", c.path, c.form, code, errorText(body), c.want)
			}
		}
		secs, err := db.Sections(t.Context())
		must(t, err)
		if len(secs) != 1 || secs[0] != f.section {
			t.Errorf("refused saves changed the sections: %+v", secs)
		}
		a := f.article(t, f.users[auth.Editor], news.StatusPublished, "Tagged")
		a.Tags = []news.Tag{{Name: "Oil"}, {Name: "Gas"}}
		must(t, db.SaveArticle(t.Context(), &a, f.users[auth.Editor].ID, ""))
		oil, err := db.TagBySlug(t.Context(), "oil")
		must(t, err)
		code, body := ed.post("/newsroom/tags/", url.Values{"op": {"rename"}, "id": {strconv.FormatInt(oil.ID, 10)}, "name": {"Gas"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(errorText(body), "merge the two instead") {
			t.Errorf("renaming onto another tag: %d %q", code, errorText(body))
		}
		if code, _ := ed.post("/newsroom/tags/", url.Values{"op": {"rename"}, "id": {strconv.FormatInt(oil.ID, 10)}, "name": {"Crude oil"}}); code != http.StatusSeeOther {
			t.Errorf("renaming: %d", code)
		}
		if code, _ := f.as(t, auth.Author).post("/newsroom/tags/", url.Values{"op": {"rename"}, "id": {strconv.FormatInt(oil.ID, 10)}, "name": {"Mine"}}); code != http.StatusForbidden {
			t.Errorf("an author renaming: %d, want 403", code)
		}
		log, err := db.AuditLog(t.Context(), 10, 0)
		must(t, err)
		if len(log) == 0 || log[0].Action != "rename tag" || log[0].UserEmail != "editor@example.com" {
			t.Errorf("audit log: %+v", log)
		}
	})
}
