package articles_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

var start = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

// must is the shared fixtures' Must.
var must = fixtures.Must

// fixture is a store of one engine with one user per role, a section, a
// byline for the author, and the service over them. raw is a second
// connection to the same database, for breaking it on purpose.
type fixture struct {
	db      *store.DB
	raw     *sql.DB
	svc     *articles.Service
	clock   *fixtures.Clock
	users   map[auth.Role]auth.User
	section news.Section
	byline  news.Author
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { fn(t, newFixture(t, engine)) })
	}
}

func newFixture(t *testing.T, engine string) *fixture {
	t.Helper()
	ctx := context.Background()
	var db *store.DB
	var raw *sql.DB
	var err error
	if engine == "sqlite" {
		dir := t.TempDir()
		if db, err = store.Open(ctx, dir, ""); err == nil {
			raw, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "dastan.db")+"?_pragma=busy_timeout(10000)")
		}
	} else {
		url := storetest.NewPostgresDatabase(t)
		if db, err = store.Open(ctx, "", url); err == nil {
			raw, err = sql.Open("pgx", url)
		}
	}
	must(t, err)
	t.Cleanup(func() { raw.Close(); db.Close() })
	f := &fixture{db: db, raw: raw, clock: fixtures.NewClock(start), users: map[auth.Role]auth.User{}}
	f.svc = articles.New(articles.Options{Store: db, Now: f.clock.Now, ExcerptLength: 200})
	f.users = fixtures.Users(t, db, nil)
	f.section = news.Section{Name: "Economy"}
	must(t, db.SaveSection(ctx, &f.section))
	f.byline = news.Author{Name: "Aigerim Sadykova", UserID: f.users[auth.Author].ID}
	must(t, db.SaveAuthor(ctx, &f.byline))
	return f
}

// words sets an article's fields as an editor would.
func words(title string) func(a *news.Article) error {
	return func(a *news.Article) error {
		a.Title, a.BodySource, a.BodyFormat, a.Lang = title, "First line.\n\nSecond line.", news.FormatMarkdown, "en"
		return nil
	}
}

// create makes an article as owner and, when status asks, takes it there
// as an editor.
func (f *fixture) create(t *testing.T, owner auth.Role, status news.Status, title string) news.Article {
	t.Helper()
	ctx := context.Background()
	res, err := f.svc.Save(ctx, f.users[owner], articles.Save{Step: articles.Keep, Apply: words(title)})
	must(t, err)
	a := res.Article
	step := map[news.Status]articles.Step{auth.StatusPending: articles.Submit, news.StatusPublished: articles.Publish}[status]
	if status == news.StatusScheduled {
		res, err = f.svc.Save(ctx, f.users[auth.Editor], articles.Save{ID: a.ID, Version: a.Version, Step: articles.Publish, PublishAt: f.clock.Now().Add(24 * time.Hour)})
		must(t, err)
		a = res.Article
	} else if step != "" {
		res, err = f.svc.Save(ctx, f.users[auth.Editor], articles.Save{ID: a.ID, Version: a.Version, Step: step})
		must(t, err)
		a = res.Article
	}
	if a.Status != status {
		t.Fatalf("fixture article is %s, want %s", a.Status, status)
	}
	return a
}

// audit is the audit log's entries about articles, newest first.
func (f *fixture) audit(t *testing.T) []store.AuditEntry {
	t.Helper()
	all, err := f.db.AuditLog(context.Background(), 1000, 0)
	must(t, err)
	var out []store.AuditEntry
	for _, e := range all {
		if strings.HasPrefix(e.Subject, "article ") {
			out = append(out, e)
		}
	}
	return out
}

func (f *fixture) stored(t *testing.T, id int64) news.Article {
	t.Helper()
	a, err := f.db.ArticleByID(context.Background(), id)
	must(t, err)
	return a
}

// TestOperationsByRole tries each operation as each role, on the role's
// own article and on the editor's, and checks the service's answer and
// that a refusal writes nothing.
func TestOperationsByRole(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		type allow map[auth.Role]bool
		all := allow{auth.Contributor: true, auth.Author: true, auth.Editor: true, auth.Admin: true}
		authorUp := allow{auth.Author: true, auth.Editor: true, auth.Admin: true}
		editorUp := allow{auth.Editor: true, auth.Admin: true}
		save := func(step articles.Step) func(u auth.User, a news.Article) error {
			return func(u auth.User, a news.Article) error {
				_, err := f.svc.Save(ctx, u, articles.Save{ID: a.ID, Version: a.Version, Step: step, Apply: words(a.Title + " (changed)")})
				return err
			}
		}
		trash := func(u auth.User, a news.Article) error { return f.svc.Trash(ctx, u, a.ID, a.Version, "") }
		revert := func(u auth.User, a news.Article) error {
			revs, err := f.db.Revisions(ctx, a.ID, 10)
			must(t, err)
			_, err = f.svc.RestoreRevision(ctx, u, a.ID, revs[len(revs)-1].ID, a.Version, "")
			return err
		}
		cases := []struct {
			name   string
			own    bool
			status news.Status
			do     func(u auth.User, a news.Article) error
			allow  allow
		}{
			{"save own draft", true, news.StatusDraft, save(articles.Keep), all},
			{"save other's draft", false, news.StatusDraft, save(articles.Keep), editorUp},
			{"submit own draft", true, news.StatusDraft, save(articles.Submit), all},
			{"publish own draft", true, news.StatusDraft, save(articles.Publish), authorUp},
			{"publish other's draft", false, news.StatusDraft, save(articles.Publish), editorUp},
			{"edit own live", true, news.StatusPublished, save(articles.Keep), authorUp},
			{"unpublish own", true, news.StatusPublished, save(articles.Unpublish), authorUp},
			{"back to draft own pending", true, auth.StatusPending, save(articles.Draft), all},
			{"unpublish other's", false, news.StatusScheduled, save(articles.Unpublish), editorUp},
			{"trash own draft", true, news.StatusDraft, trash, all},
			{"trash own live", true, news.StatusPublished, trash, authorUp},
			{"trash other's", false, news.StatusDraft, trash, editorUp},
			{"restore a revision of own draft", true, news.StatusDraft, revert, all},
			{"restore a revision of other's", false, news.StatusDraft, revert, editorUp},
		}
		for _, c := range cases {
			for _, r := range auth.Roles {
				owner := auth.Editor
				if c.own {
					owner = r
				}
				a := f.create(t, owner, c.status, c.name+" by "+string(r))
				err := c.do(f.users[r], a)
				if c.allow[r] != (err == nil) {
					t.Errorf("%s as %s: %v, want allowed=%v", c.name, r, err, c.allow[r])
				}
				if err == nil {
					continue
				}
				if !errors.Is(err, articles.ErrForbidden) {
					t.Errorf("%s as %s: %v, want ErrForbidden", c.name, r, err)
				}
				if got := f.stored(t, a.ID); got.Version != a.Version || got.Status != a.Status || got.Title != a.Title {
					t.Errorf("%s as %s: refused, yet the article changed", c.name, r)
				}
			}
		}
		// Creating and publishing at once needs the right to publish.
		for _, r := range auth.Roles {
			_, err := f.svc.Save(ctx, f.users[r], articles.Save{Step: articles.Publish, Apply: words("Straight out by " + string(r))})
			if want := authorUp[r]; want != (err == nil) {
				t.Errorf("create and publish as %s: %v, want allowed=%v", r, err, want)
			}
		}
		// Someone who may not view an article learns nothing of it.
		a := f.create(t, auth.Editor, news.StatusDraft, "Embargoed")
		_, _, err := f.svc.Get(ctx, f.users[auth.Contributor], a.ID)
		var refused *articles.ForbiddenError
		if !errors.As(err, &refused) || !refused.Hidden {
			t.Errorf("contributor opening the editor's draft: %v, want a hidden refusal", err)
		}
		if _, _, err := f.svc.Get(ctx, f.users[auth.Editor], 999999); !errors.Is(err, articles.ErrNotFound) {
			t.Errorf("missing article: %v", err)
		}
	})
}

// TestCreateIsOneTransaction: the owner and the audit entry are there
// the moment a create returns, and when the audit entry cannot be
// written, neither is the article, its revision or its owner.
func TestCreateIsOneTransaction(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		au := f.users[auth.Author]
		res, err := f.svc.Save(ctx, au, articles.Save{Step: articles.Publish, Apply: words("Budget passes")})
		must(t, err)
		a := res.Article
		if owner, err := f.db.ArticleOwner(ctx, a.ID); err != nil || owner != au.ID {
			t.Fatalf("owner right after create: %d %v, want %d", owner, err, au.ID)
		}
		log := f.audit(t)
		if len(log) != 1 || log[0].Action != "publish" || log[0].UserID != au.ID || log[0].Subject != "article "+itoa(a.ID) || !log[0].CreatedAt.Equal(start) {
			t.Fatalf("audit right after create: %+v", log)
		}
		if len(a.Authors) != 1 || a.Authors[0].ID != f.byline.ID {
			t.Errorf("a new article carries its writer's byline: %+v", a.Authors)
		}

		// Without the audit table, the create fails whole.
		before, err := f.db.CountArticles(ctx)
		must(t, err)
		_, err = f.raw.Exec(`ALTER TABLE audit_log RENAME TO audit_log_away`)
		must(t, err)
		_, err = f.svc.Save(ctx, au, articles.Save{Step: articles.Publish, Apply: words("Never half written")})
		_, rerr := f.raw.Exec(`ALTER TABLE audit_log_away RENAME TO audit_log`)
		must(t, rerr)
		if err == nil {
			t.Fatal("create succeeded without an audit table")
		}
		if after, err := f.db.CountArticles(ctx); err != nil || after != before {
			t.Fatalf("articles after the failed create: %d, before %d (%v)", after, before, err)
		}
		var revs, owned int
		must(t, f.raw.QueryRow(`SELECT COUNT(*) FROM revisions WHERE title = 'Never half written'`).Scan(&revs))
		must(t, f.raw.QueryRow(`SELECT COUNT(*) FROM articles WHERE created_by = `+itoa(au.ID)).Scan(&owned))
		if revs != 0 || owned != 1 {
			t.Fatalf("the failed create left %d revisions and %d owned articles", revs, owned)
		}

		// The same holds for a publish of an existing article and a trash.
		d := f.create(t, auth.Author, news.StatusDraft, "Draft to publish")
		_, err = f.raw.Exec(`ALTER TABLE audit_log RENAME TO audit_log_away`)
		must(t, err)
		_, perr := f.svc.Save(ctx, au, articles.Save{ID: d.ID, Version: d.Version, Step: articles.Publish})
		terr := f.svc.Trash(ctx, au, d.ID, d.Version, "")
		_, rerr = f.raw.Exec(`ALTER TABLE audit_log_away RENAME TO audit_log`)
		must(t, rerr)
		if perr == nil || terr == nil {
			t.Fatalf("publish %v, trash %v without an audit table", perr, terr)
		}
		if got := f.stored(t, d.ID); got.Status != news.StatusDraft || got.Version != d.Version {
			t.Fatalf("after the failed publish and trash: %s v%d", got.Status, got.Version)
		}
	})
}

// TestConflicts: two saves based on the same version; the second is
// refused with the stored version and writes nothing. Trash and revision
// restores check the version too.
func TestConflicts(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		a := f.create(t, auth.Editor, news.StatusDraft, "Wheat quota")
		ed, ad := f.users[auth.Editor], f.users[auth.Admin]
		_, err := f.svc.Save(ctx, ed, articles.Save{ID: a.ID, Version: a.Version, Step: articles.Keep, Apply: words("The editor's title")})
		must(t, err)
		res, err := f.svc.Save(ctx, ad, articles.Save{ID: a.ID, Version: a.Version, Step: articles.Keep, Apply: words("The admin's title")})
		var conflict *articles.ConflictError
		if !errors.As(err, &conflict) || !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second save on version %d: %v, want a conflict", a.Version, err)
		}
		if conflict.Current.Title != "The editor's title" || conflict.Current.Version != a.Version+1 || conflict.Yours != a.Version {
			t.Errorf("conflict: current %q v%d, yours v%d", conflict.Current.Title, conflict.Current.Version, conflict.Yours)
		}
		if res.Article.Title != "The admin's title" {
			t.Errorf("the refused save does not hand back what was sent: %q", res.Article.Title)
		}
		if got := f.stored(t, a.ID); got.Title != "The editor's title" {
			t.Fatalf("the second save overwrote the first: %q", got.Title)
		}
		if err := f.svc.Trash(ctx, ed, a.ID, a.Version, ""); !errors.As(err, &conflict) {
			t.Errorf("trash on a stale version: %v", err)
		}
		revs, err := f.db.Revisions(ctx, a.ID, 10)
		must(t, err)
		if _, err := f.svc.RestoreRevision(ctx, ed, a.ID, revs[1].ID, a.Version, ""); !errors.As(err, &conflict) {
			t.Errorf("revision restore on a stale version: %v", err)
		}
		if got := f.stored(t, a.ID); got.Version != a.Version+1 || got.Status != news.StatusDraft {
			t.Fatalf("refused changes changed the article: v%d %s", got.Version, got.Status)
		}
	})
}

// TestConcurrentSaves: many saves on one version at once; exactly one
// wins, every other is told of the conflict, and the stored words are
// the winner's.
func TestConcurrentSaves(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		a := f.create(t, auth.Editor, news.StatusDraft, "Contested")
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Save(ctx, f.users[auth.Editor], articles.Save{ID: a.ID, Version: a.Version, Step: articles.Keep, Apply: words("Version by writer " + itoa(int64(i)))})
			}()
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("writers %d and %d both saved version %d", winner, i, a.Version)
			case err == nil:
				winner = i
			case !errors.Is(err, store.ErrConflict):
				t.Fatalf("writer %d: %v, want a conflict", i, err)
			}
		}
		if winner < 0 {
			t.Fatal("nobody saved")
		}
		if got := f.stored(t, a.ID); got.Title != "Version by writer "+itoa(int64(winner)) || got.Version != a.Version+1 {
			t.Fatalf("stored %q v%d, want writer %d's at v%d", got.Title, got.Version, winner, a.Version+1)
		}
	})
}

// TestSchedulingByTheClock: the injected clock decides between publishing
// and scheduling, and is the time of what was published now.
func TestSchedulingByTheClock(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		ed := f.users[auth.Editor]
		a := f.create(t, auth.Author, news.StatusDraft, "Tomorrow")
		later := start.Add(2 * time.Hour)
		res, err := f.svc.Save(ctx, ed, articles.Save{ID: a.ID, Version: a.Version, Step: articles.Publish, PublishAt: later})
		must(t, err)
		if res.Article.Status != news.StatusScheduled || !f.stored(t, a.ID).PublishedAt.Equal(later) {
			t.Fatalf("future time: %s at %v", res.Article.Status, res.Article.PublishedAt)
		}
		if ok, err := f.db.ArticleVisible(ctx, a.ID, f.clock.Now()); err != nil || ok {
			t.Fatalf("scheduled article visible before its time: %v %v", ok, err)
		}
		f.clock.Add(3 * time.Hour)
		// The same time, now past, publishes at that time.
		cur := f.stored(t, a.ID)
		res, err = f.svc.Save(ctx, ed, articles.Save{ID: a.ID, Version: cur.Version, Step: articles.Publish, PublishAt: later})
		must(t, err)
		if got := f.stored(t, a.ID); got.Status != news.StatusPublished || !got.PublishedAt.Equal(later) {
			t.Fatalf("past time: %s at %v", got.Status, got.PublishedAt)
		}
		// No time publishes at the clock's now.
		b := f.create(t, auth.Author, news.StatusDraft, "Now")
		_, err = f.svc.Save(ctx, ed, articles.Save{ID: b.ID, Version: b.Version, Step: articles.Publish})
		must(t, err)
		if got := f.stored(t, b.ID); got.Status != news.StatusPublished || !got.PublishedAt.Equal(f.clock.Now()) || !got.UpdatedAt.Equal(f.clock.Now()) {
			t.Fatalf("now: %s at %v, updated %v, want %v", got.Status, got.PublishedAt, got.UpdatedAt, f.clock.Now())
		}
		var acts []string
		for _, e := range f.audit(t) {
			acts = append(acts, e.Action)
		}
		if len(acts) < 3 || acts[0] != "publish" || acts[1] != "publish" || acts[2] != "schedule" {
			t.Errorf("audit: %v", acts)
		}
		// The trash is purged by the same clock.
		must(t, f.svc.Trash(ctx, ed, b.ID, 0, ""))
		f.clock.Add(articles.TrashLife - time.Hour)
		if n, err := f.svc.PurgeTrash(ctx); err != nil || n != 0 {
			t.Fatalf("purged %d before its time (%v)", n, err)
		}
		f.clock.Add(2 * time.Hour)
		if n, err := f.svc.PurgeTrash(ctx); err != nil || n != 1 {
			t.Fatalf("purged %d, want 1 (%v)", n, err)
		}
	})
}

// TestAutosave: drafts and pending articles autosave; live ones do not.
func TestAutosave(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		ed := f.users[auth.Editor]
		d := f.create(t, auth.Editor, news.StatusDraft, "Draft")
		res, err := f.svc.Save(ctx, ed, articles.Save{ID: d.ID, Version: d.Version, Step: articles.Keep, Autosave: true, Apply: words("Draft, typed on")})
		must(t, err)
		revs, err := f.db.Revisions(ctx, d.ID, 1)
		must(t, err)
		if res.Article.Version != d.Version+1 || revs[0].Note != "autosave" {
			t.Errorf("autosave: v%d, note %q", res.Article.Version, revs[0].Note)
		}
		p := f.create(t, auth.Editor, news.StatusPublished, "Live")
		if _, err := f.svc.Save(ctx, ed, articles.Save{ID: p.ID, Version: p.Version, Step: articles.Keep, Autosave: true, Apply: words("Live, typed on")}); !errors.Is(err, articles.ErrNotAutosaved) {
			t.Errorf("autosave of a live article: %v", err)
		}
		if got := f.stored(t, p.ID); got.Version != p.Version {
			t.Error("the refused autosave was written")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
