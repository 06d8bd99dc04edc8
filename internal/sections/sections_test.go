package sections_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/sections"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/users"
)

var testNow = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

func user(r auth.Role) auth.User { return auth.User{ID: int64(len(r)), Role: r} }

var editorUp = map[auth.Role]bool{auth.Editor: true, auth.Admin: true}

func newService(db *store.DB) *sections.Service {
	return sections.New(sections.Options{Store: db, Now: func() time.Time { return testNow }})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func same(a, b []news.Section) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func audit(t *testing.T, db *store.DB) []store.AuditEntry {
	t.Helper()
	log, err := db.AuditLog(context.Background(), 100, 0)
	must(t, err)
	return log
}

// Adding, renaming and moving, as every role: editors and admins may;
// the others are refused and nothing changes, not even the audit log.
func TestSaveByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		root := users.System
		top, err := svc.Save(ctx, root, sections.Input{Name: "News"})
		must(t, err)
		other, err := svc.Save(ctx, root, sections.Input{Name: "Opinion"})
		must(t, err)
		for _, r := range auth.Roles {
			u := user(r)
			ops := map[string]sections.Input{
				"add":    {Name: "Economy " + string(r)},
				"rename": {ID: top.ID, Name: "News " + string(r), Slug: "news-" + string(r)},
				"move":   {ID: other.ID, ParentID: top.ID, Name: "Opinion", Slug: "opinion-" + string(r)},
			}
			for op, in := range ops {
				before, err := db.Sections(ctx)
				must(t, err)
				entries := len(audit(t, db))
				got, err := svc.Save(ctx, u, in)
				if editorUp[r] {
					if err != nil {
						t.Errorf("%s as %s: %v", op, r, err)
					} else if got.ID == 0 || got.Name != in.Name {
						t.Errorf("%s as %s: saved %+v", op, r, got)
					}
					continue
				}
				if !errors.Is(err, auth.ErrForbidden) {
					t.Errorf("%s as %s: %v, want ErrForbidden", op, r, err)
				}
				after, err := db.Sections(ctx)
				must(t, err)
				if !same(before, after) || len(audit(t, db)) != entries {
					t.Errorf("%s as %s was refused, yet something changed", op, r)
				}
			}
		}
	})
}

// Bad input is refused with an error naming the field, and nothing is
// written.
func TestSaveRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		ed := user(auth.Editor)
		news_, err := svc.Save(ctx, ed, sections.Input{Name: "News"})
		must(t, err)
		kz, err := svc.Save(ctx, ed, sections.Input{Name: "Kazakhstan", ParentID: news_.ID})
		must(t, err)
		almaty, err := svc.Save(ctx, ed, sections.Input{Name: "Almaty", ParentID: kz.ID})
		must(t, err)
		economy, err := svc.Save(ctx, ed, sections.Input{Name: "Economy"})
		must(t, err)
		for _, c := range []struct {
			name  string
			in    sections.Input
			field string
		}{
			{"no name", sections.Input{Name: "  "}, "name"},
			{"NUL in the name", sections.Input{Name: "Eco\x00nomy"}, "name"},
			{"a line break in the name", sections.Input{Name: "Eco\nnomy"}, "name"},
			{"broken UTF-8", sections.Input{Name: "Eco\xffnomy"}, "name"},
			{"too long a name", sections.Input{Name: strings.Repeat("я", news.MaxNameRunes+1)}, "name"},
			{"a slug with nothing to spell", sections.Input{Name: "Sport", Slug: "???"}, "slug"},
			{"a reserved slug", sections.Input{Name: "Feed"}, "slug"},
			{"a reserved slug below", sections.Input{Name: "Pages", Slug: "page", ParentID: news_.ID}, "slug"},
			{"another section's address", sections.Input{Name: "Economy"}, "slug"},
			{"a child's address taken", sections.Input{Name: "Kazakhstan", ParentID: news_.ID}, "slug"},
			{"moved onto another's address", sections.Input{ID: economy.ID, Name: "Kazakhstan", ParentID: news_.ID}, "slug"},
			{"inside itself", sections.Input{ID: kz.ID, Name: "Kazakhstan", ParentID: kz.ID}, "parent"},
			{"inside its own child", sections.Input{ID: news_.ID, Name: "News", ParentID: almaty.ID}, "parent"},
			{"a parent that is not there", sections.Input{Name: "Sport", ParentID: 9999}, "parent"},
			{"a section that is not there", sections.Input{ID: 9999, Name: "Sport"}, "id"},
		} {
			before, err := db.Sections(ctx)
			must(t, err)
			_, err = svc.Save(ctx, ed, c.in)
			var fe *news.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || fe.Message == "" {
				t.Errorf("%s: %v, want an error naming %q", c.name, err, c.field)
				continue
			}
			after, err := db.Sections(ctx)
			must(t, err)
			if !same(before, after) {
				t.Errorf("%s: refused, yet the sections changed: %+v", c.name, after)
			}
		}
		if n := len(audit(t, db)); n != 4 {
			t.Errorf("%d audit entries, want 4 (the four sections added)", n)
		}
	})
}

// Renaming a parent moves its children; every old address answers 301
// to the new one; the audit entry, dated by the service's clock, says
// who and what.
func TestMoveKeepsOldAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(db)
		ed := user(auth.Editor)
		nw, err := svc.Save(ctx, ed, sections.Input{Name: "News"})
		must(t, err)
		kz, err := svc.Save(ctx, ed, sections.Input{Name: "Kazakhstan", ParentID: nw.ID})
		must(t, err)
		world, err := svc.Save(ctx, ed, sections.Input{ID: nw.ID, Name: "World", Slug: ""})
		must(t, err)
		if world.Path != "world" {
			t.Fatalf("renamed path %q", world.Path)
		}
		// Kazakhstan goes to the top, then back below World.
		top, err := svc.Save(ctx, ed, sections.Input{ID: kz.ID, Name: "Kazakhstan"})
		must(t, err)
		if top.Path != "kazakhstan" {
			t.Fatalf("moved path %q", top.Path)
		}
		for from, to := range map[string]string{
			"/category/news/":             "/category/world/",
			"/category/news/kazakhstan/":  "/category/kazakhstan/",
			"/category/world/kazakhstan/": "/category/kazakhstan/",
		} {
			rd, err := db.RedirectFor(ctx, from)
			if err != nil || rd.To != to || rd.Status != 301 {
				t.Errorf("%s: %+v %v, want 301 to %s", from, rd, err, to)
			}
		}
		log := audit(t, db)
		last := log[0]
		if last.Action != "change section" || last.UserID != ed.ID || !last.CreatedAt.Equal(testNow) ||
			last.Subject != "/category/kazakhstan/" || !strings.Contains(last.Detail, "moved from /category/world/kazakhstan/") {
			t.Errorf("audit entry: %+v", last)
		}
	})
}

// The store checks the tree again inside its transaction: a move based
// on a tree someone has changed since it was read is refused, not
// written as a loop, and a path taken meanwhile is refused too.
func TestStoreRefusesWhatTheTreeNoLongerAllows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := news.Section{Name: "A"}
		must(t, db.SaveSection(ctx, &a))
		b := news.Section{Name: "B", ParentID: a.ID}
		must(t, db.SaveSection(ctx, &b))
		loop := a
		loop.ParentID = b.ID
		if err := db.SaveSection(ctx, &loop, store.AuditEntry{Action: "change section"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a loop: %v, want ErrConflict", err)
		}
		dup := news.Section{Name: "B again", Slug: "b", ParentID: a.ID}
		if err := db.SaveSection(ctx, &dup, store.AuditEntry{Action: "add section"}); !errors.Is(err, store.ErrExists) {
			t.Errorf("a taken path: %v, want ErrExists", err)
		}
		if log := audit(t, db); len(log) != 0 {
			t.Errorf("refused saves left audit entries: %+v", log)
		}
	})
}
