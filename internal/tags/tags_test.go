package tags_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/tags"
)

var testNow = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

func user(r auth.Role) auth.User { return auth.User{ID: int64(len(r)), Role: r} }

var editorUp = map[auth.Role]bool{auth.Editor: true, auth.Admin: true}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type fixture struct {
	db  *store.DB
	svc *tags.Service
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	return &fixture{db: db, svc: tags.New(tags.Options{Store: db, Now: func() time.Time { return testNow }})}
}

// tagged saves a published article carrying the named tags, and returns
// the tags as saved.
func (f *fixture) tagged(t *testing.T, title string, names ...string) []news.Tag {
	t.Helper()
	a := news.Article{Title: title, BodySource: "x", BodyFormat: news.FormatMarkdown, Lang: "en", Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour)}
	for _, n := range names {
		a.Tags = append(a.Tags, news.Tag{Name: n})
	}
	must(t, news.Prepare(&a, 100, nil))
	must(t, f.db.SaveArticle(context.Background(), &a, 0, ""))
	return a.Tags
}

func (f *fixture) auditCount(t *testing.T) int {
	t.Helper()
	log, err := f.db.AuditLog(context.Background(), 1000, 0)
	must(t, err)
	return len(log)
}

// Renaming and merging, as every role: editors and admins may; the others
// are refused and nothing changes.
func TestRenameAndMergeByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for _, r := range auth.Roles {
			tg := f.tagged(t, "Story for "+string(r), "Energy "+string(r), "Power "+string(r))
			entries := f.auditCount(t)
			_, rerr := f.svc.Rename(ctx, user(r), tg[0].ID, "Oil "+string(r), "")
			merr := f.svc.Merge(ctx, user(r), tg[1].ID, tg[0].ID)
			if editorUp[r] {
				if rerr != nil || merr != nil {
					t.Errorf("as %s: rename %v, merge %v", r, rerr, merr)
				}
				if got, err := db.TagByID(ctx, tg[0].ID); err != nil || got.Name != "Oil "+string(r) {
					t.Errorf("as %s: renamed tag %+v %v", r, got, err)
				}
				if _, err := db.TagByID(ctx, tg[1].ID); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("as %s: the merged tag is still there: %v", r, err)
				}
				continue
			}
			if !errors.Is(rerr, auth.ErrForbidden) || !errors.Is(merr, auth.ErrForbidden) {
				t.Errorf("as %s: rename %v, merge %v, want ErrForbidden", r, rerr, merr)
			}
			for _, want := range tg {
				if got, err := db.TagByID(ctx, want.ID); err != nil || got != want {
					t.Errorf("as %s: refused, yet %+v is now %+v (%v)", r, want, got, err)
				}
			}
			if f.auditCount(t) != entries {
				t.Errorf("as %s: refused, yet the audit log grew", r)
			}
		}
	})
}

// A rename or merge leaves the old address answering 301 and an audit
// entry dated by the service's clock; bad input names its field and
// changes nothing.
func TestRenameAndMergeRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ed := user(auth.Editor)
		tg := f.tagged(t, "Pipelines", "Energy", "Grid")
		energy, grid := tg[0], tg[1]
		for _, c := range []struct {
			name  string
			do    func() error
			field string
		}{
			{"no name", func() error { _, err := f.svc.Rename(ctx, ed, energy.ID, " ", ""); return err }, "name"},
			{"NUL in the name", func() error { _, err := f.svc.Rename(ctx, ed, energy.ID, "Ene\x00rgy", ""); return err }, "name"},
			{"too long", func() error {
				_, err := f.svc.Rename(ctx, ed, energy.ID, strings.Repeat("x", news.MaxNameRunes+1), "")
				return err
			}, "name"},
			{"a reserved slug", func() error { _, err := f.svc.Rename(ctx, ed, energy.ID, "Feed", ""); return err }, "slug"},
			{"a slug with nothing to spell", func() error { _, err := f.svc.Rename(ctx, ed, energy.ID, "Energy", "!!!"); return err }, "slug"},
			{"another tag's address", func() error { _, err := f.svc.Rename(ctx, ed, energy.ID, "Grid", ""); return err }, "slug"},
			{"a tag that is not there", func() error { _, err := f.svc.Rename(ctx, ed, 9999, "Oil", ""); return err }, "id"},
			{"merge into itself", func() error { return f.svc.Merge(ctx, ed, energy.ID, energy.ID) }, "into"},
			{"merge into nothing", func() error { return f.svc.Merge(ctx, ed, energy.ID, 9999) }, "into"},
			{"merge nothing", func() error { return f.svc.Merge(ctx, ed, 9999, energy.ID) }, "id"},
		} {
			err := c.do()
			var fe *news.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Errorf("%s: %v, want an error naming %q", c.name, err, c.field)
			}
		}
		for _, want := range tg {
			if got, err := db.TagByID(ctx, want.ID); err != nil || got != want {
				t.Errorf("refused changes changed %+v into %+v (%v)", want, got, err)
			}
		}
		if n := f.auditCount(t); n != 0 {
			t.Errorf("refused changes left %d audit entries", n)
		}

		power, err := f.svc.Rename(ctx, ed, energy.ID, "  Power ", "")
		must(t, err)
		if power.Name != "Power" || power.Slug != "power" {
			t.Errorf("renamed: %+v", power)
		}
		must(t, f.svc.Merge(ctx, ed, grid.ID, energy.ID))
		for from, to := range map[string]string{"/tag/energy/": "/tag/power/", "/tag/grid/": "/tag/power/"} {
			if rd, err := db.RedirectFor(ctx, from); err != nil || rd.To != to || rd.Status != 301 {
				t.Errorf("%s: %+v %v", from, rd, err)
			}
		}
		log, err := db.AuditLog(ctx, 10, 0)
		must(t, err)
		var got []string
		for _, e := range log {
			if !e.CreatedAt.Equal(testNow) || e.UserID != ed.ID {
				t.Errorf("audit entry %+v: wrong time or user", e)
			}
			got = append(got, e.Action+": "+e.Detail)
		}
		want := "merge tag: Grid (/tag/grid/) into Power (/tag/power/) | rename tag: Energy (/tag/energy/) → Power (/tag/power/)"
		if strings.Join(got, " | ") != want {
			t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(got, " | "), want)
		}
	})
}

// A tag an article's save or an import creates by name follows the same
// rules as a rename; a refusal names the caller's field and quotes the
// name.
func TestCheck(t *testing.T) {
	for _, c := range []struct{ name, slug, want string }{
		{" Energy ", "", "{0 energy Energy}"},
		{"Нефть", "", "{0 neft Нефть}"},
		{"Oil & Gas", "", "{0 oil-gas Oil & Gas}"},
		{"Oil", "crude", "{0 crude Oil}"},
	} {
		got, err := tags.Check("tags", c.name, c.slug)
		if err != nil || fmt.Sprint(got) != c.want {
			t.Errorf("%q, %q: %v %v, want %s", c.name, c.slug, got, err, c.want)
		}
	}
	for _, bad := range []string{"Oil\x00", "Oil\nGas", "Feed", "", strings.Repeat("x", news.MaxNameRunes+1)} {
		_, err := tags.Check("tags", bad, "")
		var fe *news.FieldError
		if !errors.As(err, &fe) || fe.Field != "tags" || !strings.HasPrefix(fe.Message, "Tag ") {
			t.Errorf("%q: %v, want an error naming tags", bad, err)
		}
	}
}
