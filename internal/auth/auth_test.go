package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestCan(t *testing.T) {
	const me, other = 1, 2
	draft := func(owner int64) *auth.ArticleRef { return &auth.ArticleRef{Owner: owner, Status: news.StatusDraft} }
	live := func(owner int64) *auth.ArticleRef {
		return &auth.ArticleRef{Owner: owner, Status: news.StatusPublished}
	}
	type tc struct {
		act  auth.Action
		a    *auth.ArticleRef
		want map[auth.Role]bool // roles not named are refused
	}
	all := map[auth.Role]bool{auth.Contributor: true, auth.Author: true, auth.Editor: true, auth.Admin: true}
	authorUp := map[auth.Role]bool{auth.Author: true, auth.Editor: true, auth.Admin: true}
	editorUp := map[auth.Role]bool{auth.Editor: true, auth.Admin: true}
	adminOnly := map[auth.Role]bool{auth.Admin: true}
	cases := []tc{
		{auth.Create, nil, all},
		{auth.View, draft(me), all},
		{auth.View, draft(other), editorUp},
		{auth.Edit, draft(me), all},
		{auth.Edit, live(me), authorUp},
		{auth.Edit, draft(other), editorUp},
		{auth.Submit, draft(me), all},
		{auth.Publish, draft(me), authorUp},
		{auth.Publish, draft(other), editorUp},
		{auth.Publish, live(me), authorUp},
		{auth.Delete, draft(me), all},
		{auth.Delete, live(me), authorUp},
		{auth.Delete, live(other), editorUp},
		{auth.Edit, &auth.ArticleRef{Owner: 0, Status: news.StatusDraft}, editorUp}, // imported, nobody's own
		{auth.ManageTaxonomy, nil, editorUp},
		{auth.ViewAudit, nil, editorUp},
		{auth.ManageUsers, nil, adminOnly},
		{"unknown", nil, nil},
	}
	for _, c := range cases {
		for _, r := range auth.Roles {
			got := auth.Can(auth.User{ID: me, Role: r}, c.act, c.a)
			if got != c.want[r] {
				t.Errorf("Can(%s, %s, %+v) = %v, want %v", r, c.act, c.a, got, c.want[r])
			}
		}
		if auth.Can(auth.User{ID: me, Role: "intruder"}, c.act, c.a) {
			t.Errorf("an unknown role may %s", c.act)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q does not carry its parameters", h)
	}
	h2, _ := auth.HashPassword("correct horse battery", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if ok, err := auth.CheckPassword("correct horse battery", h); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := auth.CheckPassword("correct horse batterY", h); ok {
		t.Fatal("wrong password accepted")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA", "plain"} {
		if ok, err := auth.CheckPassword("x", bad); ok || err == nil {
			t.Errorf("CheckPassword accepted malformed hash %q", bad)
		}
	}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func signIn(t *testing.T, svc *auth.Service, email, pw string, cookie *http.Cookie) (*http.Cookie, error) {
	t.Helper()
	r := httptest.NewRequest("POST", "/newsroom/signin", nil)
	r.RemoteAddr = "192.0.2.7:4000"
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	_, err := svc.SignIn(context.Background(), w, r, email, pw)
	if err != nil {
		return nil, err
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == auth.CookieName {
			return c, nil
		}
	}
	t.Fatal("no session cookie set")
	return nil, nil
}

func userOf(svc *auth.Service, c *http.Cookie) (auth.User, bool) {
	r := httptest.NewRequest("GET", "/newsroom/", nil)
	r.AddCookie(c)
	return svc.UserOf(r)
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &clock{time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)}
		svc := auth.New(auth.Options{Store: db, SiteURL: "http://localhost:8080", Params: cheap, Now: clk.now})
		if _, err := svc.AddUser(ctx, "Editor@Example.com", "Ed", auth.Editor, "a long password"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddUser(ctx, "editor@example.com", "Ed", auth.Editor, "a long password"); err == nil {
			t.Fatal("a second user with the same email was added")
		}
		c1, err := signIn(t, svc, "editor@example.com", "a long password", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !c1.HttpOnly || c1.SameSite != http.SameSiteLaxMode || c1.Path != "/newsroom/" || c1.Secure {
			t.Errorf("cookie flags: %+v", c1)
		}
		if u, ok := userOf(svc, c1); !ok || u.Email != "editor@example.com" || u.Role != auth.Editor {
			t.Fatalf("session user = %+v, %v", u, ok)
		}
		// Rotation: signing in again with the old cookie ends the old session.
		c2, err := signIn(t, svc, "editor@example.com", "a long password", c1)
		if err != nil {
			t.Fatal(err)
		}
		if c2.Value == c1.Value {
			t.Fatal("session token not rotated at sign-in")
		}
		if _, ok := userOf(svc, c1); ok {
			t.Fatal("the session from before sign-in still works")
		}
		c3, _ := signIn(t, svc, "editor@example.com", "a long password", nil)
		// Sign out everywhere ends every session of the user.
		r := httptest.NewRequest("POST", "/newsroom/signout", nil)
		r.AddCookie(c2)
		if err := svc.SignOut(ctx, httptest.NewRecorder(), r, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*http.Cookie{c2, c3} {
			if _, ok := userOf(svc, c); ok {
				t.Fatal("a session survived signing out everywhere")
			}
		}
		// Sessions expire.
		c4, _ := signIn(t, svc, "editor@example.com", "a long password", nil)
		clk.t = clk.t.Add(auth.SessionLife + time.Minute)
		if _, ok := userOf(svc, c4); ok {
			t.Fatal("an expired session works")
		}
		// https sites get Secure cookies.
		sec := auth.New(auth.Options{Store: db, SiteURL: "https://timesca.example", Params: cheap, Now: clk.now})
		c5, _ := signIn(t, sec, "editor@example.com", "a long password", nil)
		if !c5.Secure {
			t.Fatal("cookie on an https site is not Secure")
		}
	})
}

func TestThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &clock{time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)}
		svc := auth.New(auth.Options{Store: db, Params: cheap, Now: clk.now})
		svc.AddUser(ctx, "a@example.com", "", auth.Author, "the right password")
		for i := 0; i < 5; i++ {
			if _, err := signIn(t, svc, "a@example.com", "wrong", nil); err != auth.ErrBadCredentials {
				t.Fatalf("try %d: %v", i, err)
			}
		}
		// Locked now, even with the right password; a second instance
		// over the same store sees the same lock.
		other := auth.New(auth.Options{Store: db, Params: cheap, Now: clk.now})
		if _, err := signIn(t, other, "a@example.com", "the right password", nil); err != auth.ErrThrottled {
			t.Fatalf("after 5 failures: %v, want throttled", err)
		}
		clk.t = clk.t.Add(3 * time.Second)
		if _, err := signIn(t, svc, "a@example.com", "wrong", nil); err != auth.ErrBadCredentials {
			t.Fatalf("after the wait: %v", err)
		}
		clk.t = clk.t.Add(3 * time.Second) // backoff doubled to 4s
		if _, err := signIn(t, svc, "a@example.com", "the right password", nil); err != auth.ErrThrottled {
			t.Fatalf("backoff did not grow: %v", err)
		}
		clk.t = clk.t.Add(2 * time.Second)
		if _, err := signIn(t, svc, "a@example.com", "the right password", nil); err != nil {
			t.Fatalf("right password after the backoff: %v", err)
		}
		// Success clears the count.
		if _, err := signIn(t, svc, "a@example.com", "wrong", nil); err != auth.ErrBadCredentials {
			t.Fatal(err)
		}
		if _, err := signIn(t, svc, "a@example.com", "the right password", nil); err != nil {
			t.Fatalf("one failure after success throttled: %v", err)
		}
	})
}
