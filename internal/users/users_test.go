package users_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/users"
)

// The shared fixtures under the names these tests use.
var (
	cheap = fixtures.Cheap
	must  = fixtures.Must
)

type fixture struct {
	db    *store.DB
	auth  *auth.Service
	svc   *users.Service
	clock *fixtures.Clock
	admin auth.User
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	clk := fixtures.NewClock(time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC))
	a := auth.New(auth.Options{Store: db, Params: cheap, Now: clk.Now})
	f := &fixture{db: db, auth: a, svc: users.New(users.Options{Store: db, Auth: a, Now: clk.Now}), clock: clk}
	f.admin = f.add(t, "admin@example.com", auth.Admin)
	return f
}

const pw = fixtures.Password

func (f *fixture) add(t *testing.T, email string, role auth.Role) auth.User {
	t.Helper()
	u, _, err := f.svc.Add(context.Background(), users.System, users.NewUser{Email: email, Role: role, Password: pw})
	must(t, err)
	return u
}

// signIn returns the session cookie of a sign-in from ip.
func (f *fixture) signIn(t *testing.T, email, password, ip string) (*http.Cookie, error) {
	t.Helper()
	r := httptest.NewRequest("POST", "/newsroom/signin", nil)
	r.RemoteAddr = ip + ":1"
	w := httptest.NewRecorder()
	if _, err := f.auth.SignIn(context.Background(), w, r, email, password); err != nil {
		return nil, err
	}
	return w.Result().Cookies()[0], nil
}

// signedIn reports whether the cookie's session still works.
func (f *fixture) signedIn(c *http.Cookie) bool {
	r := httptest.NewRequest("GET", "/newsroom/", nil)
	r.AddCookie(c)
	_, ok := f.auth.UserOf(r)
	return ok
}

// audited returns the audit log's actions, newest first.
func (f *fixture) audited(t *testing.T) []string {
	t.Helper()
	log, err := f.db.AuditLog(context.Background(), 100, 0)
	must(t, err)
	var out []string
	for _, e := range log {
		out = append(out, e.Action+" "+e.Subject)
	}
	return out
}

func kind(err error) string {
	for _, k := range []error{users.ErrInvalid, users.ErrForbidden, users.ErrRefused, users.ErrNotFound} {
		if errors.Is(err, k) {
			return k.Error()
		}
	}
	if err == nil {
		return "nil"
	}
	return "other: " + err.Error()
}

func TestAdd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		editor := f.add(t, "Editor@Example.COM ", auth.Editor)
		if editor.Email != "editor@example.com" {
			t.Errorf("email kept as %q", editor.Email)
		}
		cases := []struct {
			in    users.NewUser
			field string
		}{
			{users.NewUser{Email: "nobody", Role: auth.Author}, "email"},
			{users.NewUser{Email: "a b@example.com", Role: auth.Author}, "email"},
			{users.NewUser{Email: "x@example.com", Role: "owner"}, "role"},
			{users.NewUser{Email: "x@example.com", Role: auth.Author, Name: strings.Repeat("n", 201)}, "name"},
			{users.NewUser{Email: "x@example.com", Role: auth.Author, Password: "short"}, "password"},
			{users.NewUser{Email: "editor@example.com", Role: auth.Author, Password: pw}, "email"}, // taken
		}
		for _, c := range cases {
			_, _, err := f.svc.Add(ctx, f.admin, c.in)
			var ue *users.Error
			if !errors.As(err, &ue) || ue.Kind != users.ErrInvalid || ue.Field != c.field || ue.Msg == "" {
				t.Errorf("Add(%+v) = %v, want an invalid %s", c.in, err, c.field)
			}
		}
		if _, _, err := f.svc.Add(ctx, editor, users.NewUser{Email: "x@example.com", Role: auth.Author}); !errors.Is(err, users.ErrForbidden) {
			t.Errorf("an editor added a user: %v", err)
		}
		u, generated, err := f.svc.Add(ctx, f.admin, users.NewUser{Email: "new@example.com", Name: " New ", Role: auth.Author})
		must(t, err)
		if len(generated) < 20 || u.Name != "New" {
			t.Fatalf("generated %q, name %q", generated, u.Name)
		}
		if _, err := f.signIn(t, "new@example.com", generated, "192.0.2.1"); err != nil {
			t.Fatalf("the generated password does not sign in: %v", err)
		}
		if got := f.audited(t); got[0] != "add-user new@example.com" {
			t.Errorf("audit log: %v", got)
		}
	})
}

func TestRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ed := f.add(t, "editor@example.com", auth.Editor)
		if err := f.svc.SetRole(ctx, ed, ed.ID, auth.Admin); !errors.Is(err, users.ErrForbidden) {
			t.Fatalf("an editor made themselves admin: %v", err)
		}
		if err := f.svc.SetRole(ctx, f.admin, ed.ID, "owner"); kind(err) != users.ErrInvalid.Error() {
			t.Fatalf("unknown role: %v", err)
		}
		if err := f.svc.SetRole(ctx, f.admin, f.admin.ID, auth.Editor); kind(err) != users.ErrRefused.Error() {
			t.Fatalf("an admin demoted themselves: %v", err)
		}
		if err := f.svc.SetRole(ctx, f.admin, 9999, auth.Editor); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown user: %v", err)
		}
		must(t, f.svc.SetRole(ctx, f.admin, ed.ID, auth.Admin))
		// The new admin may demote the first; the last enabled admin
		// stays one, and the refused change writes nothing.
		edAdmin := auth.User{ID: ed.ID, Email: ed.Email, Role: auth.Admin}
		must(t, f.svc.SetRole(ctx, edAdmin, f.admin.ID, auth.Editor))
		must(t, f.svc.Disable(ctx, edAdmin, f.admin.ID))
		n := len(f.audited(t))
		if err := f.svc.SetRole(ctx, users.System, ed.ID, auth.Author); kind(err) != users.ErrRefused.Error() || !strings.Contains(err.Error(), "admin") {
			t.Fatalf("the last admin demoted: %v", err)
		}
		if u, _ := db.UserByID(ctx, ed.ID); u.Role != "admin" || len(f.audited(t)) != n {
			t.Fatalf("a refused change left a trace: role %s, audit %v", u.Role, f.audited(t))
		}
		got := f.audited(t)
		for _, want := range []string{"change-role editor@example.com", "change-role admin@example.com", "disable-user admin@example.com"} {
			if !contains(got, want) {
				t.Errorf("audit log lacks %q: %v", want, got)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestDisable: disabling ends the user's sessions and API tokens in the
// same instant, and stops sign-in; enabling brings back sign-in only.
func TestDisable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ed := f.add(t, "editor@example.com", auth.Editor)
		c1, err := f.signIn(t, "editor@example.com", pw, "192.0.2.1")
		must(t, err)
		c2, err := f.signIn(t, "editor@example.com", pw, "192.0.2.2")
		must(t, err)
		plain, hash := auth.NewAPIToken()
		must(t, db.CreateAPIToken(ctx, &store.APIToken{UserID: ed.ID, Name: "app", Role: "editor", Hash: hash}))
		token, _, err := f.svc.IssueReset(ctx, f.admin, ed.ID)
		must(t, err)
		if err := f.svc.Disable(ctx, f.admin, f.admin.ID); kind(err) != users.ErrRefused.Error() {
			t.Fatalf("an admin disabled themselves: %v", err)
		}
		if err := f.svc.Disable(ctx, ed, f.admin.ID); !errors.Is(err, users.ErrForbidden) {
			t.Fatalf("an editor disabled an admin: %v", err)
		}
		must(t, f.svc.Disable(ctx, f.admin, ed.ID))
		for _, c := range []*http.Cookie{c1, c2} {
			if f.signedIn(c) {
				t.Fatal("a disabled user's session still works")
			}
		}
		hash2, _ := auth.HashAPIToken(plain)
		if _, _, err := db.APITokenUser(ctx, hash2); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a disabled user's API token still works: %v", err)
		}
		if _, err := f.signIn(t, "editor@example.com", pw, "192.0.2.1"); err != auth.ErrBadCredentials {
			t.Fatalf("a disabled user signed in: %v", err)
		}
		if _, err := f.svc.ResetFor(ctx, token); !errors.Is(err, users.ErrNotFound) {
			t.Fatalf("a disabled user's reset link works: %v", err)
		}
		if _, _, err := f.svc.IssueReset(ctx, f.admin, ed.ID); kind(err) != users.ErrRefused.Error() {
			t.Fatalf("a reset link made for a disabled user: %v", err)
		}
		must(t, f.svc.Enable(ctx, f.admin, ed.ID))
		if f.signedIn(c1) {
			t.Fatal("enabling brought an old session back")
		}
		if _, _, err := db.APITokenUser(ctx, hash2); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("enabling brought an API token back")
		}
		if _, err := f.signIn(t, "editor@example.com", pw, "192.0.2.1"); err != nil {
			t.Fatalf("an enabled user cannot sign in: %v", err)
		}
		got := f.audited(t)
		if got[0] != "enable-user editor@example.com" || got[1] != "disable-user editor@example.com" {
			t.Errorf("audit log: %v", got)
		}
	})
}

// TestChangePassword: the current password is required and counted like
// a sign-in; the change ends the user's other sessions but not this one.
func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		au := f.add(t, "author@example.com", auth.Author)
		here, err := f.signIn(t, "author@example.com", pw, "192.0.2.1")
		must(t, err)
		elsewhere, err := f.signIn(t, "author@example.com", pw, "192.0.2.2")
		must(t, err)
		keep := sessionHash(here)
		const next = "a brand new password"
		var ue *users.Error
		if err := f.svc.ChangePassword(ctx, au, "not it", next, "192.0.2.1", keep); !errors.As(err, &ue) || ue.Field != "current" {
			t.Fatalf("a wrong current password: %v", err)
		}
		if err := f.svc.ChangePassword(ctx, au, pw, "short", "192.0.2.1", keep); !errors.As(err, &ue) || ue.Field != "password" {
			t.Fatalf("a short new password: %v", err)
		}
		must(t, f.svc.ChangePassword(ctx, au, pw, next, "192.0.2.1", keep))
		if !f.signedIn(here) || f.signedIn(elsewhere) {
			t.Fatalf("after the change: this session %v (want kept), the other %v (want ended)", f.signedIn(here), f.signedIn(elsewhere))
		}
		if _, err := f.signIn(t, "author@example.com", pw, "192.0.2.3"); err != auth.ErrBadCredentials {
			t.Fatalf("the old password: %v", err)
		}
		if _, err := f.signIn(t, "author@example.com", next, "192.0.2.3"); err != nil {
			t.Fatalf("the new password: %v", err)
		}
		// Guessing the current password from a stolen session is
		// throttled as sign-in is.
		for i := 0; i < 5; i++ {
			f.svc.ChangePassword(ctx, au, "guess", "whatever it is now", "192.0.2.9", keep)
		}
		if err := f.svc.ChangePassword(ctx, au, next, "whatever it is now", "192.0.2.9", keep); !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("the sixth guess of the current password: %v, want throttled", err)
		}
		if got := f.audited(t); got[0] != "change-password author@example.com" {
			t.Errorf("audit log: %v", got)
		}
	})
}

func sessionHash(c *http.Cookie) string {
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(c)
	return auth.SessionHash(r)
}

// TestResetLink: a link works once, for a day, for the newest one only;
// using it sets the password and ends every session of the user.
func TestResetLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ed := f.add(t, "editor@example.com", auth.Editor)
		old, err := f.signIn(t, "editor@example.com", pw, "192.0.2.1")
		must(t, err)
		if _, _, err := f.svc.IssueReset(ctx, ed, ed.ID); !errors.Is(err, users.ErrForbidden) {
			t.Fatalf("an editor made a reset link: %v", err)
		}
		first, _, err := f.svc.IssueReset(ctx, f.admin, ed.ID)
		must(t, err)
		token, expires, err := f.svc.IssueReset(ctx, f.admin, ed.ID)
		must(t, err)
		if !expires.Equal(f.clock.Now().Add(24 * time.Hour)) {
			t.Errorf("the link expires %s", expires)
		}
		if _, err := f.svc.ResetFor(ctx, first); !errors.Is(err, users.ErrNotFound) {
			t.Fatalf("an older link still works: %v", err)
		}
		if u, err := f.svc.ResetFor(ctx, token); err != nil || u.ID != ed.ID {
			t.Fatalf("the link is for %+v, %v", u, err)
		}
		if _, err := f.svc.UseReset(ctx, token, "short"); kind(err) != users.ErrInvalid.Error() {
			t.Fatalf("a short password through a link: %v", err)
		}
		// Two uses at once: one sets the password, the other finds the
		// link spent.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, p := range []string{"the first new password", "the second new password"} {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[i] = f.svc.UseReset(ctx, token, p) }()
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			if err == nil {
				won = i
			} else if !errors.Is(err, users.ErrNotFound) {
				t.Fatalf("use %d: %v", i, err)
			}
		}
		if won < 0 || errs[0] == nil && errs[1] == nil {
			t.Fatalf("uses of one link: %v", errs)
		}
		if f.signedIn(old) {
			t.Fatal("a session from before the reset still works")
		}
		newPW := []string{"the first new password", "the second new password"}[won]
		if _, err := f.signIn(t, "editor@example.com", newPW, "192.0.2.1"); err != nil {
			t.Fatalf("the password set through the link: %v", err)
		}
		if _, err := f.svc.UseReset(ctx, token, "a third new password"); !errors.Is(err, users.ErrNotFound) {
			t.Fatalf("a spent link used again: %v", err)
		}
		// Links expire after a day; made-up ones never work.
		late, _, err := f.svc.IssueReset(ctx, f.admin, ed.ID)
		must(t, err)
		f.clock.Add(24*time.Hour + time.Second)
		if _, err := f.svc.UseReset(ctx, late, "a fourth new password"); !errors.Is(err, users.ErrNotFound) {
			t.Fatalf("an expired link: %v", err)
		}
		for _, bad := range []string{"", "x", strings.Repeat("A", 43), "../../etc/passwd"} {
			if _, err := f.svc.ResetFor(ctx, bad); !errors.Is(err, users.ErrNotFound) {
				t.Errorf("made-up link %q: %v", bad, err)
			}
		}
		got := f.audited(t)
		if !contains(got, "reset-link editor@example.com") || !contains(got, "use-reset-link editor@example.com") {
			t.Errorf("audit log: %v", got)
		}
	})
}

// TestResetPassword is the command line's reset: a new password, every
// session ended.
func TestResetPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.add(t, "author@example.com", auth.Author)
		c, err := f.signIn(t, "author@example.com", pw, "192.0.2.1")
		must(t, err)
		u, err := f.svc.ByEmail(ctx, users.System, "Author@example.com")
		must(t, err)
		got, err := f.svc.ResetPassword(ctx, users.System, u.ID)
		must(t, err)
		if f.signedIn(c) {
			t.Fatal("a session survived the reset")
		}
		if _, err := f.signIn(t, "author@example.com", got, "192.0.2.1"); err != nil {
			t.Fatalf("the new password: %v", err)
		}
		if _, err := f.svc.ByEmail(ctx, users.System, "ghost@example.com"); kind(err) != users.ErrInvalid.Error() {
			t.Fatalf("an unknown email: %v", err)
		}
		log, _ := db.AuditLog(ctx, 1, 0)
		if log[0].Action != "reset-password" || !strings.Contains(log[0].Detail, "command line") {
			t.Errorf("audit entry: %+v", log[0])
		}
	})
}
