package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/ratelimit"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/users"
)

// The shared fixtures under the names these tests use.
var (
	cheap = fixtures.Cheap
	must  = fixtures.Must
)

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
		{auth.UploadMedia, nil, authorUp},
		{auth.ManageMedia, nil, editorUp},
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

// addUser adds a user through the users service, as the command line.
func addUser(t *testing.T, svc *auth.Service, db *store.DB, email string, role auth.Role, pw string) error {
	t.Helper()
	_, _, err := users.New(users.Options{Store: db, Auth: svc}).Add(context.Background(), users.System, users.NewUser{Email: email, Role: role, Password: pw})
	return err
}

func signIn(t *testing.T, svc *auth.Service, email, pw string, cookie *http.Cookie) (*http.Cookie, error) {
	t.Helper()
	return signInFrom(t, svc, "192.0.2.7", email, pw, cookie)
}

func signInFrom(t *testing.T, svc *auth.Service, ip, email, pw string, cookie *http.Cookie) (*http.Cookie, error) {
	t.Helper()
	r := httptest.NewRequest("POST", "/newsroom/signin", nil)
	r.RemoteAddr = ip + ":4000"
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
	t.Error("no session cookie set")
	return nil, errors.New("no cookie")
}

func userOf(svc *auth.Service, c *http.Cookie) (auth.User, bool) {
	r := httptest.NewRequest("GET", "/newsroom/", nil)
	r.AddCookie(c)
	return svc.UserOf(r)
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := fixtures.NewClock(time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC))
		svc := auth.New(auth.Options{Store: db, SiteURL: "http://localhost:8080", Params: cheap, Now: clk.Now})
		if err := addUser(t, svc, db, "Editor@Example.com", auth.Editor, "a long password"); err != nil {
			t.Fatal(err)
		}
		if err := addUser(t, svc, db, "editor@example.com", auth.Editor, "a long password"); err == nil {
			t.Fatal("a second user with the same email was added")
		}
		c1, err := signIn(t, svc, "editor@example.com", "a long password", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !c1.HttpOnly || c1.SameSite != http.SameSiteLaxMode || c1.Path != "/newsroom/" || c1.Secure || c1.MaxAge != int(auth.DefaultSessionLifetime/time.Second) {
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
		// https sites get Secure cookies.
		sec := auth.New(auth.Options{Store: db, SiteURL: "https://timesca.example", Params: cheap, Now: clk.Now})
		c5, _ := signIn(t, sec, "editor@example.com", "a long password", nil)
		if !c5.Secure {
			t.Fatal("cookie on an https site is not Secure")
		}
	})
}

// TestSessionLifetimes: a session ends after its idle time unused, and
// at its lifetime however busy; use moves the idle end on, with at most
// one write a minute.
func TestSessionLifetimes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
		clk := fixtures.NewClock(start)
		svc := auth.New(auth.Options{Store: db, Params: cheap, Now: clk.Now, SessionLifetime: 24 * time.Hour, SessionIdle: 2 * time.Hour})
		must(t, addUser(t, svc, db, "a@example.com", auth.Author, "the right password"))
		c, err := signIn(t, svc, "a@example.com", "the right password", nil)
		must(t, err)
		if c.MaxAge != 24*60*60 {
			t.Errorf("cookie Max-Age %d, want the lifetime", c.MaxAge)
		}
		sum := sha256.Sum256([]byte(c.Value))
		hash := hex.EncodeToString(sum[:])
		idleEnd := func() time.Time {
			_, s, err := db.SessionUser(ctx, hash, clk.Now())
			must(t, err)
			return s.IdleExpiresAt
		}
		clk.Add(30 * time.Second)
		if _, ok := userOf(svc, c); !ok {
			t.Fatal("a fresh session refused")
		}
		if got := idleEnd(); !got.Equal(start.Add(2 * time.Hour)) {
			t.Fatalf("a request within the minute wrote the session: idle end %s", got)
		}
		clk.Add(90 * time.Second)
		userOf(svc, c)
		if got, want := idleEnd(), clk.Now().Add(2*time.Hour); !got.Equal(want) {
			t.Fatalf("use after two minutes: idle end %s, want %s", got, want)
		}
		// Used every 110 minutes, it outlives its idle time…
		for i := 0; i < 6; i++ {
			clk.Add(110 * time.Minute)
			if _, ok := userOf(svc, c); !ok {
				t.Fatalf("a session in use ended after %s", clk.Now().Sub(start))
			}
		}
		// …but not its lifetime, whatever the use.
		for clk.Now().Before(start.Add(24 * time.Hour)) {
			clk.Add(30 * time.Minute)
			userOf(svc, c)
		}
		if _, ok := userOf(svc, c); ok {
			t.Fatal("a session outlived its lifetime")
		}
		// Unused for longer than the idle time, a session ends.
		c2, err := signIn(t, svc, "a@example.com", "the right password", nil)
		must(t, err)
		clk.Add(2*time.Hour + time.Second)
		if _, ok := userOf(svc, c2); ok {
			t.Fatal("an idle session still works")
		}
		// Tidying deletes both from the store.
		must(t, svc.Tidy(ctx))
		if _, _, err := db.SessionUser(ctx, hash, start); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an ended session is still stored: %v", err)
		}
	})
}

func TestThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clk := fixtures.NewClock(time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC))
		svc := auth.New(auth.Options{Store: db, Params: cheap, Now: clk.Now})
		must(t, addUser(t, svc, db, "a@example.com", auth.Author, "the right password"))
		for i := 0; i < 5; i++ {
			if _, err := signIn(t, svc, "a@example.com", "wrong", nil); err != auth.ErrBadCredentials {
				t.Fatalf("try %d: %v", i, err)
			}
		}
		// Locked now, even with the right password; a second instance
		// over the same store sees the same lock.
		other := auth.New(auth.Options{Store: db, Params: cheap, Now: clk.Now})
		_, err := signIn(t, other, "a@example.com", "the right password", nil)
		var ref *auth.RefusedError
		if !errors.Is(err, auth.ErrThrottled) || !errors.As(err, &ref) || ref.RetryAfter != 2*time.Second {
			t.Fatalf("after 5 failures: %v, want throttled for 2s", err)
		}
		clk.Add(3 * time.Second)
		if _, err := signIn(t, svc, "a@example.com", "wrong", nil); err != auth.ErrBadCredentials {
			t.Fatalf("after the wait: %v", err)
		}
		clk.Add(3 * time.Second) // backoff doubled to 4s
		if _, err := signIn(t, svc, "a@example.com", "the right password", nil); !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("backoff did not grow: %v", err)
		}
		clk.Add(2 * time.Second)
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
		// Another address has its own count: a guesser cannot lock the
		// account's owner out.
		for i := 0; i < 6; i++ {
			signInFrom(t, svc, "198.51.100.1", "a@example.com", "wrong", nil)
		}
		if _, err := signIn(t, svc, "a@example.com", "the right password", nil); err != nil {
			t.Fatalf("a guesser elsewhere locked the owner out: %v", err)
		}
	})
}

// TestParallelGuessing is the attack of guessing many passwords at once:
// 100 attempts, 16 at a time, over two instances on one store. The count
// is taken before each password is checked, so no more than five are
// checked, and the right password, tried 60th, does not sign in.
func TestParallelGuessing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clk := fixtures.NewClock(time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC))
		// A hash that takes a moment, as a real one does, and no limits
		// from the address budget or the hashers: only the count decides.
		slow := auth.Params{Memory: 4096, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}
		opts := auth.Options{Store: db, Params: slow, Now: clk.Now, Hashers: 16, AddressBudget: ratelimit.Budget{Rate: 1000, Burst: 1000}}
		a, b := auth.New(opts), auth.New(opts)
		must(t, addUser(t, a, db, "victim@example.com", auth.Editor, "the right password"))
		before := a.Stats().Hashes + b.Stats().Hashes // adding the user hashed once
		var wg sync.WaitGroup
		slots := make(chan struct{}, 16)
		errs := make([]error, 100)
		for i := range errs {
			wg.Add(1)
			slots <- struct{}{}
			go func() {
				defer func() { <-slots; wg.Done() }()
				svc, pw := a, "guess"
				if i%2 == 1 {
					svc = b
				}
				if i == 59 {
					pw = "the right password"
				}
				r := httptest.NewRequest("POST", "/newsroom/signin", nil)
				r.RemoteAddr = "203.0.113.9:4000"
				_, errs[i] = svc.SignIn(context.Background(), httptest.NewRecorder(), r, "victim@example.com", pw)
			}()
		}
		wg.Wait()
		if n := a.Stats().Hashes + b.Stats().Hashes - before; n != 5 {
			t.Errorf("%d passwords checked, want 5", n)
		}
		if !errors.Is(errs[59], auth.ErrThrottled) {
			t.Errorf("the right password, 60th: %v, want throttled", errs[59])
		}
		bad, throttled := 0, 0
		for _, err := range errs {
			switch {
			case errors.Is(err, auth.ErrBadCredentials):
				bad++
			case errors.Is(err, auth.ErrThrottled):
				throttled++
			default:
				t.Errorf("an attempt answered %v", err)
			}
		}
		if bad != 5 || throttled != 95 {
			t.Errorf("%d wrong, %d throttled; want 5 and 95", bad, throttled)
		}
	})
}

// TestAddressFlood is the flood of sign-ins with made-up emails from one
// address: each would cost a 64 MiB hash, and a new email starts a new
// count. The address's budget refuses them before any hash, with a time
// to come back, and a success gives its attempt back.
func TestAddressFlood(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	clk := fixtures.NewClock(time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC))
	svc := auth.New(auth.Options{Store: db, Params: cheap, Now: clk.Now, AddressBudget: ratelimit.Budget{Rate: 0.5, Burst: 10}})
	must(t, addUser(t, svc, db, "a@example.com", auth.Author, "the right password"))
	if _, err := signIn(t, svc, "a@example.com", "the right password", nil); err != nil {
		t.Fatal(err)
	}
	before := svc.Stats().Hashes
	for i := 0; i < 100; i++ {
		_, err := signIn(t, svc, strings.Repeat("x", i+1)+"@example.com", "guess", nil)
		var ref *auth.RefusedError
		switch {
		case i < 10 && err != auth.ErrBadCredentials:
			t.Fatalf("attempt %d within the budget: %v", i, err)
		case i >= 10 && (!errors.As(err, &ref) || !errors.Is(err, auth.ErrThrottled) || ref.RetryAfter < time.Second):
			t.Fatalf("attempt %d past the budget: %v, want throttled with a time to come back", i, err)
		}
	}
	if n := svc.Stats().Hashes - before; n != 10 {
		t.Errorf("%d hashes for 100 attempts, want 10", n)
	}
	// Another address is not held up.
	if _, err := signInFrom(t, svc, "198.51.100.1", "a@example.com", "the right password", nil); err != nil {
		t.Fatalf("another address: %v", err)
	}
	clk.Add(2 * time.Second)
	if _, err := signIn(t, svc, "a@example.com", "the right password", nil); err != nil {
		t.Fatalf("after the refill: %v", err)
	}
	// The success gave its attempt back: one more try now.
	if _, err := signIn(t, svc, "b@example.com", "guess", nil); err != auth.ErrBadCredentials {
		t.Fatalf("the attempt a success gave back: %v", err)
	}
	// IPv6 addresses count by their /64: a new address from the same
	// network does not start afresh.
	for i := 0; i < 11; i++ {
		_, err := signInFrom(t, svc, fmt.Sprintf("[2001:db8:7:7::%x]", i+1), fmt.Sprintf("v6-%d@example.com", i), "guess", nil)
		if i < 10 && err != auth.ErrBadCredentials || i == 10 && !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("IPv6 attempt %d: %v", i, err)
		}
	}
}
