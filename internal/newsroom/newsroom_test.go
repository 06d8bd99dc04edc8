package newsroom_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// The shared fixtures under the names these tests use.
var (
	cheap = fixtures.Cheap
	must  = fixtures.Must
)

const password = fixtures.Password

var testNow = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

type fixture struct {
	db      *store.DB
	srv     *httptest.Server
	clock   *fixtures.Clock
	users   map[auth.Role]auth.User
	section news.Section
	author  news.Author
}

// newFixture runs the whole router over a real store with one user per
// role and a section.
func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, clock: fixtures.NewClock(testNow)}
	f.users = fixtures.Users(t, db, f.clock.Now)
	f.section = news.Section{Name: "Economy"}
	must(t, db.SaveSection(ctx, &f.section))
	f.author = news.Author{Name: "Aigerim Sadykova"}
	must(t, db.SaveAuthor(ctx, &f.author))
	cfg := fixtures.Config(t)
	cfg.PageCache = false
	_, f.srv = fixtures.Serve(t, server.Options{Config: cfg, Store: db, Now: f.clock.Now, AuthParams: cheap})
	return f
}

// article saves an article started by owner.
func (f *fixture) article(t testing.TB, owner auth.User, status news.Status, title string) news.Article {
	t.Helper()
	a := news.Article{Title: title, BodySource: "First line.\n\nSecond line.", Status: status, SectionID: f.section.ID, Authors: []news.Author{f.author}}
	if status == news.StatusPublished {
		a.PublishedAt = testNow.Add(-time.Hour)
	}
	fixtures.Save(t, f.db, &a, owner.ID)
	return a
}

// client is a browser-like client: a cookie jar, no redirects followed.
type client struct {
	t    testing.TB
	base string
	c    *http.Client
}

func (f *fixture) anon(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: f.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (f *fixture) as(t testing.TB, r auth.Role) *client {
	t.Helper()
	c := f.anon(t)
	code, _ := c.post("/newsroom/signin", url.Values{"email": {string(r) + "@example.com"}, "password": {password}})
	if code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", r, code)
	}
	return c
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c *client) post(path string, v url.Values) (int, string) {
	c.t.Helper()
	return c.postWith(path, v, nil)
}

func (c *client) postWith(path string, v url.Values, h http.Header) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req, h)
}

// send makes req with the headers h too and returns the status and body.
func (c *client) send(req *http.Request, h http.Header) (int, string) {
	c.t.Helper()
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// form is the editor's form for a, as the browser would send it.
func form(a news.Article, action string) url.Values {
	v := url.Values{"version": {fmt.Sprint(a.Version)}, "title": {a.Title}, "standfirst": {a.Standfirst}, "body": {a.BodySource},
		"format": {string(a.BodyFormat)}, "lang": {a.Lang}, "section": {fmt.Sprint(a.SectionID)}, "action": {action}}
	for _, au := range a.Authors {
		v.Add("authors", fmt.Sprint(au.ID))
	}
	return v
}

// TestPermissions tries every action as every role, on the role's own
// article and on someone else's, and checks the server's answer.
func TestPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// The user that user management acts on.
		target := store.User{Email: "target@example.com", Role: string(auth.Author), PasswordHash: "unused"}
		must(t, db.CreateUser(context.Background(), &target, nil))
		ok := true
		type want map[auth.Role]bool
		editorUp := want{auth.Editor: ok, auth.Admin: ok}
		all := want{auth.Contributor: ok, auth.Author: ok, auth.Editor: ok, auth.Admin: ok}
		authorUp := want{auth.Author: ok, auth.Editor: ok, auth.Admin: ok}
		// own: the article belongs to the acting user; otherwise to the editor.
		cases := []struct {
			name   string
			own    bool
			status news.Status
			method string
			path   string // %d is the article id
			form   func(a news.Article) url.Values
			allow  want
		}{
			{"list", false, news.StatusDraft, "GET", "/newsroom/articles/", nil, all},
			{"new form", false, news.StatusDraft, "GET", "/newsroom/articles/new", nil, all},
			{"create", false, news.StatusDraft, "POST", "/newsroom/articles/new", func(a news.Article) url.Values { a.Title = "Fresh"; return form(a, "save") }, all},
			{"create and publish", false, news.StatusDraft, "POST", "/newsroom/articles/new", func(a news.Article) url.Values { a.Title = "Fresh"; return form(a, "publish") }, authorUp},
			{"open own draft", true, news.StatusDraft, "GET", "/newsroom/articles/%d/", nil, all},
			{"open other's draft", false, news.StatusDraft, "GET", "/newsroom/articles/%d/", nil, editorUp},
			{"save own draft", true, news.StatusDraft, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "save") }, all},
			{"save other's draft", false, news.StatusDraft, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "save") }, editorUp},
			{"submit own draft", true, news.StatusDraft, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "submit") }, all},
			{"publish own draft", true, news.StatusDraft, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "publish") }, authorUp},
			{"publish other's draft", false, news.StatusDraft, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "publish") }, editorUp},
			{"edit own live article", true, news.StatusPublished, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "save") }, authorUp},
			{"unpublish own", true, news.StatusPublished, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "unpublish") }, authorUp},
			{"unpublish other's", false, news.StatusPublished, "POST", "/newsroom/articles/%d/", func(a news.Article) url.Values { return form(a, "unpublish") }, editorUp},
			{"trash own draft", true, news.StatusDraft, "POST", "/newsroom/articles/%d/trash", func(a news.Article) url.Values { return url.Values{"version": {fmt.Sprint(a.Version)}} }, all},
			{"trash own live", true, news.StatusPublished, "POST", "/newsroom/articles/%d/trash", func(a news.Article) url.Values { return url.Values{"version": {fmt.Sprint(a.Version)}} }, authorUp},
			{"trash other's", false, news.StatusPublished, "POST", "/newsroom/articles/%d/trash", func(a news.Article) url.Values { return url.Values{"version": {fmt.Sprint(a.Version)}} }, editorUp},
			{"preview own", true, news.StatusDraft, "GET", "/newsroom/articles/%d/preview", nil, all},
			{"preview other's", false, news.StatusDraft, "GET", "/newsroom/articles/%d/preview", nil, editorUp},
			{"revisions of other's", false, news.StatusDraft, "GET", "/newsroom/articles/%d/revisions/", nil, editorUp},
			{"trash list", false, news.StatusDraft, "GET", "/newsroom/trash/", nil, all},
			{"sections", false, news.StatusDraft, "GET", "/newsroom/sections/", nil, editorUp},
			{"add section", false, news.StatusDraft, "POST", "/newsroom/sections/", func(news.Article) url.Values {
				return url.Values{"name": {fmt.Sprintf("Opinion %d", time.Now().UnixNano())}}
			}, editorUp},
			{"tags", false, news.StatusDraft, "GET", "/newsroom/tags/", nil, editorUp},
			{"users", false, news.StatusDraft, "GET", "/newsroom/users/", nil, want{auth.Admin: ok}},
			{"add user", false, news.StatusDraft, "POST", "/newsroom/users/", func(news.Article) url.Values {
				return url.Values{"op": {"add"}, "email": {fmt.Sprintf("new%d@example.com", time.Now().UnixNano())}, "role": {"admin"}}
			}, want{auth.Admin: ok}},
			{"change role", false, news.StatusDraft, "POST", "/newsroom/users/", func(news.Article) url.Values {
				return url.Values{"op": {"role"}, "id": {fmt.Sprint(f.users[auth.Contributor].ID)}, "role": {"contributor"}}
			}, want{auth.Admin: ok}},
			{"disable user", false, news.StatusDraft, "POST", "/newsroom/users/", func(news.Article) url.Values {
				return url.Values{"op": {"disable"}, "id": {fmt.Sprint(target.ID)}}
			}, want{auth.Admin: ok}},
			{"enable user", false, news.StatusDraft, "POST", "/newsroom/users/", func(news.Article) url.Values {
				return url.Values{"op": {"enable"}, "id": {fmt.Sprint(target.ID)}}
			}, want{auth.Admin: ok}},
			{"reset link", false, news.StatusDraft, "POST", "/newsroom/users/", func(news.Article) url.Values {
				return url.Values{"op": {"reset-link"}, "id": {fmt.Sprint(target.ID)}}
			}, want{auth.Admin: ok}},
			{"own account", false, news.StatusDraft, "GET", "/newsroom/account/", nil, all},
			{"audit log", false, news.StatusDraft, "GET", "/newsroom/audit/", nil, editorUp},
		}
		clients := map[auth.Role]*client{}
		for _, r := range auth.Roles {
			clients[r] = f.as(t, r)
		}
		for _, c := range cases {
			for _, r := range auth.Roles {
				owner := f.users[auth.Editor]
				if c.own {
					owner = f.users[r]
				}
				a := f.article(t, owner, c.status, fmt.Sprintf("%s by %s", c.name, r))
				path := c.path
				if strings.Contains(path, "%d") {
					path = fmt.Sprintf(path, a.ID)
				}
				var code int
				var body string
				if c.method == "GET" {
					code, body = clients[r].get(path)
				} else {
					code, body = clients[r].post(path, c.form(a))
				}
				allowed := code == http.StatusOK || code == http.StatusSeeOther
				if allowed != c.allow[r] || (!allowed && code != http.StatusForbidden) {
					t.Errorf("%s as %s: %d, want allowed=%v (403 when refused)\n%s", c.name, r, code, c.allow[r], errorText(body))
				}
				if !allowed {
					// A refused write leaves the article as it was.
					if got, err := db.ArticleByID(context.Background(), a.ID); err != nil || got.Version != a.Version || got.Status != a.Status {
						t.Errorf("%s as %s: refused, yet the article changed: %+v %v", c.name, r, got.Status, err)
					}
				}
			}
		}
		// Nobody signed in: pages send to sign-in, writes are refused.
		anon := f.anon(t)
		a := f.article(t, f.users[auth.Editor], news.StatusDraft, "Anonymous target")
		for _, p := range []string{"/newsroom/articles/", fmt.Sprintf("/newsroom/articles/%d/preview", a.ID), "/newsroom/users/"} {
			if code, _ := anon.get(p); code != http.StatusSeeOther {
				t.Errorf("GET %s signed out: %d, want 303 to sign-in", p, code)
			}
		}
		if code, _ := anon.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(a, "publish")); code != http.StatusUnauthorized {
			t.Errorf("publish signed out: %d, want 401", code)
		}
		// Cross-origin form posts are refused even with a valid session.
		ed := clients[auth.Editor]
		for _, h := range []http.Header{{"Origin": {"https://evil.example"}}, {"Sec-Fetch-Site": {"cross-site"}}} {
			if code, _ := ed.postWith(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(a, "publish"), h); code != http.StatusForbidden {
				t.Errorf("cross-origin post %v: %d, want 403", h, code)
			}
		}
		if got, _ := db.ArticleByID(context.Background(), a.ID); got.Status != news.StatusDraft {
			t.Error("a cross-origin post published the article")
		}
		// The audit log names who published, deleted and changed roles.
		log, err := db.AuditLog(context.Background(), 1000, 0)
		must(t, err)
		seen := map[string]bool{}
		for _, e := range log {
			seen[e.Action+" "+e.UserEmail] = true
		}
		for _, w := range []string{"publish author@example.com", "delete editor@example.com", "unpublish admin@example.com", "change-role admin@example.com",
			"disable-user admin@example.com", "enable-user admin@example.com", "reset-link admin@example.com"} {
			if !seen[w] {
				t.Errorf("audit log lacks %q", w)
			}
		}
	})
}

// errorText is the error message a page shows, for test failures.
func errorText(page string) string {
	i := strings.Index(page, `role="alert">`)
	if i < 0 {
		return ""
	}
	page = page[i+len(`role="alert">`):]
	if j := strings.Index(page, "<"); j >= 0 {
		page = page[:j]
	}
	return page
}
