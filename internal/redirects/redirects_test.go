package redirects_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/redirects"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

var testNow = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

func user(r auth.Role) auth.User {
	return auth.User{ID: int64(len(r)), Email: string(r) + "@example.com", Role: r}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newService(db *store.DB) *redirects.Service {
	return redirects.New(redirects.Options{Store: db, Now: func() time.Time { return testNow }})
}

// Adding and deleting, as every role: editors and admins may; the others
// are refused and nothing changes.
func TestAddAndDeleteByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		kept, err := svc.Add(ctx, user(auth.Admin), "/kept/", "/elsewhere/", 301)
		must(t, err)
		for _, r := range auth.Roles {
			u := user(r)
			from := "/old-" + string(r) + "/"
			_, aerr := svc.Add(ctx, u, from, "/new/", 302)
			derr := svc.Delete(ctx, u, kept.ID)
			if r == auth.Editor || r == auth.Admin {
				if aerr != nil {
					t.Errorf("add as %s: %v", r, aerr)
				}
				if rd, err := db.RedirectFor(ctx, from); err != nil || rd.To != "/new/" || rd.Status != 302 || rd.CreatedBy != u.Email {
					t.Errorf("as %s: %+v %v", r, rd, err)
				}
				if derr != nil {
					t.Errorf("delete as %s: %v", r, derr)
				}
				kept, err = svc.Add(ctx, user(auth.Admin), "/kept/", "/elsewhere/", 301)
				must(t, err)
				continue
			}
			if !errors.Is(aerr, auth.ErrForbidden) || !errors.Is(derr, auth.ErrForbidden) {
				t.Errorf("as %s: add %v, delete %v, want ErrForbidden", r, aerr, derr)
			}
			if _, err := db.RedirectFor(ctx, from); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("as %s: refused, yet the redirect was saved", r)
			}
			if _, err := db.RedirectFor(ctx, "/kept/"); err != nil {
				t.Errorf("as %s: refused, yet the redirect was deleted: %v", r, err)
			}
		}
		log, err := db.AuditLog(ctx, 100, 0)
		must(t, err)
		// One add and one delete by each of editor and admin, and the
		// admin's three adds of /kept/.
		if len(log) != 7 {
			t.Errorf("%d audit entries, want 7", len(log))
		}
		for _, e := range log {
			if !e.CreatedAt.Equal(testNow) {
				t.Errorf("audit entry dated %v, want the service's clock", e.CreatedAt)
			}
		}
	})
}

// A redirect starts from an address here and leads somewhere else: a
// path here or an http(s) address. Anything else names its field.
func TestAddRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		ed := user(auth.Editor)
		for _, c := range []struct{ from, to, field string }{
			{"", "/x/", "from"},
			{"/a b/", "/x/", "from"},
			{"/a\x00/", "/x/", "from"},
			{"/a\xff/", "/x/", "from"},
			{"/" + strings.Repeat("a", 1000), "/x/", "from"},
			{"/a/", "javascript:alert(1)", "to"},
			{"/a/", "//evil.example/", "to"},
			{"/a/", "", "to"},
			{"/a/", "https://example.org/a b", "to"},
			{"/a/", "https://example.org/\xff", "to"},
			{"/a/", "/a/", "to"},
			{"https://old.example.org/a/", "/a/", "to"},
		} {
			_, err := svc.Add(ctx, ed, c.from, c.to, 301)
			var fe *news.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Errorf("%q → %q: %v, want an error naming %q", c.from, c.to, err, c.field)
			}
		}
		if _, total, _ := db.ListRedirects(ctx, "", 10, 0); total != 0 {
			t.Errorf("refused redirects were saved: %d", total)
		}
		rd, err := svc.Add(ctx, ed, "https://old.example.org/2019/05/story/?p=1", "https://example.org/new/", 0)
		must(t, err)
		if rd.From != "/2019/05/story/?p=1" || rd.Status != 301 {
			t.Errorf("pasted address: %+v", rd)
		}
		var fe *news.FieldError
		if err := svc.Delete(ctx, ed, 9999); !errors.As(err, &fe) || fe.Field != "id" {
			t.Errorf("deleting what is not there: %v", err)
		}
	})
}
