package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// appPassword gives u a new application password and returns the
// Authorization header an app would send with it.
func appPassword(t *testing.T, db *store.DB, u auth.User, name string) (header string, id int64) {
	t.Helper()
	plain, hash, uuid := auth.NewAppPassword()
	p := store.AppPassword{UserID: u.ID, UUID: uuid, Name: name, Hash: hash}
	must(t, db.CreateAppPassword(context.Background(), &p))
	// Apps send it as WordPress shows it, in groups of four, or without spaces.
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(u.Email+":"+auth.ShowAppPassword(plain))), p.ID
}

type wpAnswer struct {
	ID          int64
	Status      string
	Code        string
	Slug        string
	ModifiedGMT string `json:"modified_gmt"`
	Categories  []int64
	Tags        []int64
	Title       struct{ Rendered string }
	Content     struct{ Rendered string }
	Data        map[string]any
}

func (f *fixture) wp(t *testing.T, method, path, authz string, body any, header ...string) (int, wpAnswer) {
	t.Helper()
	resp, b := f.call(t, method, path, "", body, append([]string{"Authorization", authz}, header...)...)
	var out wpAnswer
	if len(b) > 0 && b[0] == '{' {
		must(t, json.Unmarshal(b, &out))
	}
	return resp.StatusCode, out
}

// WordPress clients publish with Application Passwords: through the
// articles service with the user's role, conflict checks and the audit
// log, answered in WordPress's shapes and errors.
func TestWordPressWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		editor, _ := appPassword(t, db, f.users[auth.Editor], "Desk app")
		contributor, _ := appPassword(t, db, f.users[auth.Contributor], "Stringer app")
		author, revokeMe := appPassword(t, db, f.users[auth.Author], "Old phone")

		// No password, a wrong one: WordPress's 401s.
		if st, a := f.wp(t, "POST", "/wp-json/wp/v2/posts", "", map[string]any{"title": "x"}); st != 401 || a.Code != "rest_cannot_create" {
			t.Errorf("anonymous create: %d %+v", st, a)
		}
		wrong := "Basic " + base64.StdEncoding.EncodeToString([]byte("editor@example.com:abcd efgh ijkl mnop qrst uvwx"))
		if st, a := f.wp(t, "POST", "/wp-json/wp/v2/posts", wrong, map[string]any{"title": "x"}); st != 401 || a.Code != "incorrect_password" {
			t.Errorf("wrong password: %d %+v", st, a)
		}
		// The right password with another user's email is wrong too.
		swapped := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin@example.com:"+strings.SplitN(decodeBasic(editor), ":", 2)[1]))
		if st, _ := f.wp(t, "GET", "/wp-json/wp/v2/posts", swapped, nil); st != 401 {
			t.Errorf("another user's email: %d", st)
		}

		// A contributor drafts but may not publish.
		if st, a := f.wp(t, "POST", "/wp-json/wp/v2/posts", contributor, map[string]any{"title": "Stringer's story", "content": "<p>Text.</p>", "status": "publish"}); st != 403 || a.Code != "rest_cannot_publish" {
			t.Errorf("contributor publishing: %d %+v", st, a)
		}
		st, draft := f.wp(t, "POST", "/wp-json/wp/v2/posts", contributor, map[string]any{"title": "Stringer's story", "content": "<p>Text.</p>"})
		if st != 201 || draft.Status != "draft" {
			t.Fatalf("contributor draft: %d %+v", st, draft)
		}

		// An editor publishes with WordPress's category and tag ids.
		var cats []struct{ ID int64 }
		f.getJSON(t, "/wp-json/wp/v2/categories?slug=kazakhstan", "", 200, &cats)
		var tags []struct{ ID int64 }
		f.getJSON(t, "/wp-json/wp/v2/tags?slug=banking", "", 200, &tags)
		st, post := f.wp(t, "POST", "/wp-json/wp/v2/posts", editor, map[string]any{
			"title": map[string]string{"raw": "Tokayev signs the budget"}, "content": "<p>The president signed it.</p>",
			"status": "publish", "categories": []int64{cats[0].ID}, "tags": []int64{tags[0].ID}, "format": "standard"})
		if st != 201 || post.Status != "publish" || post.Title.Rendered != "Tokayev signs the budget" || post.Categories[0] != cats[0].ID || post.Tags[0] != tags[0].ID {
			t.Fatalf("editor publishing: %d %+v", st, post)
		}
		var seen []struct{ ID int64 }
		f.getJSON(t, "/wp-json/wp/v2/posts?slug="+post.Slug, "", 200, &seen)
		if len(seen) != 1 || seen[0].ID != post.ID {
			t.Errorf("the published post is not public: %+v", seen)
		}

		// Changes: from the version read; one based on an older read is refused.
		path := fmt.Sprintf("/wp-json/wp/v2/posts/%d", post.ID)
		if st, a := f.wp(t, "PATCH", path, editor, map[string]any{"title": "Tokayev signs the 2027 budget", "modified_gmt": post.ModifiedGMT, "status": "publish"}); st != 200 || a.Title.Rendered != "Tokayev signs the 2027 budget" || a.Status != "publish" {
			t.Errorf("update: %d %+v", st, a)
		}
		if st, a := f.wp(t, "POST", path, editor, map[string]any{"title": "Stale", "modified_gmt": "2020-01-01T00:00:00"}); st != 409 || a.Code != "rest_post_conflict" {
			t.Errorf("stale update: %d %+v", st, a)
		}
		if st, _ := f.wp(t, "PUT", path, editor, map[string]any{"title": "Stale too"}, "If-Unmodified-Since", "Wed, 01 Jan 2020 00:00:00 GMT"); st != 409 {
			t.Errorf("stale update by header: %d", st)
		}
		// The contributor may not touch the editor's post.
		if st, a := f.wp(t, "PATCH", path, contributor, map[string]any{"title": "Mine now"}); st != 403 && st != 404 {
			t.Errorf("contributor editing another's post: %d %+v", st, a)
		}

		// Terms: editors add them; authors may not.
		if st, a := f.wp(t, "POST", "/wp-json/wp/v2/tags", editor, map[string]any{"name": "Budget"}); st != 201 || a.Slug != "budget" {
			t.Errorf("new tag: %d %+v", st, a)
		}
		if st, a := f.wp(t, "POST", "/wp-json/wp/v2/tags", editor, map[string]any{"name": "Budget"}); st != 400 || a.Code != "term_exists" || a.Data["term_id"] == nil {
			t.Errorf("tag again: %d %+v", st, a)
		}
		if st, a := f.wp(t, "POST", "/wp-json/wp/v2/categories", editor, map[string]any{"name": "Tajikistan", "parent": cats[0].ID}); st != 201 || a.Slug != "tajikistan" {
			t.Errorf("new category: %d %+v", st, a)
		}
		if st, a := f.wp(t, "POST", "/wp-json/wp/v2/categories", author, map[string]any{"name": "Mine"}); st != 403 || a.Code != "rest_cannot_create" {
			t.Errorf("author adding a category: %d %+v", st, a)
		}

		// Media, as WordPress clients upload: the file as the body.
		req, _ := http.NewRequest("POST", f.srv.URL+"/wp-json/wp/v2/media?alt_text=A+budget", bytes.NewReader(smallPNG(t, 201)))
		req.Header.Set("Authorization", author)
		req.Header.Set("Content-Disposition", `attachment; filename="budget.png"`)
		req.Header.Set("Content-Type", "image/png")
		up, err := http.DefaultClient.Do(req)
		must(t, err)
		var m struct {
			ID      int64
			AltText string `json:"alt_text"`
			Source  string `json:"source_url"`
		}
		must(t, json.NewDecoder(up.Body).Decode(&m))
		up.Body.Close()
		if up.StatusCode != 201 || m.AltText != "A budget" || m.Source == "" {
			t.Errorf("upload: %d %+v", up.StatusCode, m)
		}
		// A gallery a client writes names the media's ids as the API gave them.
		st, gal := f.wp(t, "POST", "/wp-json/wp/v2/posts", author, map[string]any{"title": "Budget in pictures",
			"content": fmt.Sprintf(`<p>Pictures.</p>[gallery ids="%d"]`, m.ID)})
		if st != 201 || !strings.Contains(gal.Content.Rendered, `<figure class="gallery-item">`) || !strings.Contains(gal.Content.Rendered, `alt="A budget"`) {
			t.Errorf("a gallery of uploaded media: %d %s", st, gal.Content.Rendered)
		}
		req, _ = http.NewRequest("POST", f.srv.URL+"/wp-json/wp/v2/media", strings.NewReader("not an image"))
		req.Header.Set("Authorization", author)
		req.Header.Set("Content-Disposition", `attachment; filename="x.png"`)
		bad, err := http.DefaultClient.Do(req)
		must(t, err)
		bad.Body.Close()
		if bad.StatusCode != 400 {
			t.Errorf("a file that is not an image: %d", bad.StatusCode)
		}

		// Deleting moves to the trash; Dastan empties the trash itself.
		if st, a := f.wp(t, "DELETE", path+"?force=true", editor, nil); st != 501 || a.Code != "rest_trash_only" {
			t.Errorf("force delete: %d %+v", st, a)
		}
		if st, a := f.wp(t, "DELETE", path, editor, nil); st != 200 || a.Status != "trash" {
			t.Errorf("delete: %d %+v", st, a)
		}
		f.getJSON(t, path, "", 404, nil)

		// Everything is in the audit log, naming the app.
		log, err := db.AuditLog(context.Background(), 100, 0)
		must(t, err)
		var viaApp int
		for _, e := range log {
			if strings.Contains(e.Detail, `application password "Desk app"`) || strings.Contains(e.Detail, `application password "Old phone"`) {
				viaApp++
			}
		}
		if viaApp < 4 {
			t.Errorf("%d audit entries name the application password: %+v", viaApp, log)
		}

		// Revoked: refused from then on; its use was recorded with the address.
		list, err := db.AppPasswords(context.Background(), f.users[auth.Author].ID)
		must(t, err)
		if len(list) != 1 || list[0].LastUsedAt.IsZero() || list[0].LastIP == "" {
			t.Errorf("last use not recorded: %+v", list)
		}
		must(t, db.RevokeAppPassword(context.Background(), f.users[auth.Author].ID, revokeMe, testNow))
		if st, _ := f.wp(t, "GET", "/wp-json/wp/v2/posts", author, nil); st != 401 {
			t.Errorf("revoked password: %d", st)
		}
	})
}

// Failed Basic sign-ins are limited as newsroom sign-ins are: after a few
// wrong passwords for one email from one address, 429 with Retry-After,
// even for the right one.
func TestWordPressBasicAuthThrottled(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"), api.Limits{})
	right, _ := appPassword(t, f.db, f.users[auth.Editor], "Desk app")
	wrong := "Basic " + base64.StdEncoding.EncodeToString([]byte("editor@example.com:aaaabbbbccccddddeeeeffff"))
	refused := 0
	for range 8 {
		if st, _ := f.wp(t, "GET", "/wp-json/wp/v2/posts", wrong, nil); st == 429 {
			refused++
		}
	}
	resp, _ := f.call(t, "GET", "/wp-json/wp/v2/posts", "", nil, "Authorization", right)
	if refused == 0 || resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("%d of 8 wrong tries refused; then the right one: %d, Retry-After %q", refused, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func decodeBasic(h string) string {
	b, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
	return string(b)
}
