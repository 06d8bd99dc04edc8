package newsroom_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A contributor restores their article after an editor published it and
// then put it in the trash: it comes back as a draft, never live. An
// editor's restore brings it back as it was.
func TestRestoreNeverPublishesForAContributor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		co, ed, reader := f.as(t, auth.Contributor), f.as(t, auth.Editor), f.anon(t)
		for _, who := range []auth.Role{auth.Contributor, auth.Editor} {
			a := f.article(t, f.users[auth.Contributor], news.StatusDraft, "Contributed by hand to "+string(who))
			if code, page := ed.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(a, "publish")); code != http.StatusSeeOther {
				t.Fatalf("editor publishes: %d %s", code, errorText(page))
			}
			a, _ = db.ArticleByID(ctx, a.ID)
			if code, _ := ed.post(fmt.Sprintf("/newsroom/articles/%d/trash", a.ID), url.Values{"version": {fmt.Sprint(a.Version)}}); code != http.StatusSeeOther {
				t.Fatalf("editor trashes: %d", code)
			}
			c := map[auth.Role]*client{auth.Contributor: co, auth.Editor: ed}[who]
			resp, err := c.c.PostForm(c.base+fmt.Sprintf("/newsroom/articles/%d/restore", a.ID), nil)
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s restores: %d", who, resp.StatusCode)
			}
			next := resp.Header.Get("Location")
			got, _ := db.ArticleByID(ctx, a.ID)
			rcode, _ := reader.get("/" + got.Slug + "/")
			switch who {
			case auth.Contributor:
				if got.Status != news.StatusDraft || rcode != http.StatusNotFound {
					t.Errorf("the contributor's restore made it %s; readers get %d", got.Status, rcode)
				}
				// The page they are sent to says what happened.
				if _, page := co.get(next); !strings.Contains(page, "Restored as a draft") {
					t.Errorf("%s does not say the article came back as a draft", next)
				}
			case auth.Editor:
				if got.Status != news.StatusPublished || rcode != http.StatusOK || !strings.HasSuffix(next, "?done=restored") {
					t.Errorf("the editor's restore made it %s; readers get %d; sent to %s", got.Status, rcode, next)
				}
			}
		}
		log, err := db.AuditLog(ctx, 100, 0)
		must(t, err)
		restores := 0
		for _, e := range log {
			if e.Action == "restore" {
				restores++
			}
		}
		if restores != 2 {
			t.Errorf("audit has %d restores, want 2", restores)
		}
	})
}

// The article list and the trash show contributors and authors their
// own articles only: a colleague's draft, pending or scheduled headline
// is an embargoed story. Editors see everything.
func TestListsShowOnlyWhatTheUserMayOpen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ed := f.users[auth.Editor]
		others := []news.Article{
			f.article(t, ed, news.StatusDraft, "Embargoed draft"),
			f.article(t, ed, auth.StatusPending, "Embargoed pending"),
			f.article(t, ed, news.StatusScheduled, "Embargoed scheduled"),
		}
		trashed := f.article(t, ed, news.StatusDraft, "Embargoed trashed")
		mine := map[auth.Role]news.Article{}
		for _, r := range []auth.Role{auth.Contributor, auth.Author} {
			mine[r] = f.article(t, f.users[r], news.StatusDraft, "Own work of the "+string(r))
		}
		edc := f.as(t, auth.Editor)
		if code, _ := edc.post(fmt.Sprintf("/newsroom/articles/%d/trash", trashed.ID), url.Values{"version": {fmt.Sprint(trashed.Version)}}); code != http.StatusSeeOther {
			t.Fatalf("trash: %d", code)
		}
		for _, r := range auth.Roles {
			c := f.as(t, r)
			_, list := c.get("/newsroom/articles/")
			_, trash := c.get("/newsroom/trash/")
			_, search := c.get("/newsroom/articles/?q=embargoed")
			seesOthers := r == auth.Editor || r == auth.Admin
			for _, a := range others {
				if strings.Contains(list, a.Title) != seesOthers || strings.Contains(search, a.Title) != seesOthers {
					t.Errorf("%s: list shows %q: %v, want %v", r, a.Title, strings.Contains(list, a.Title), seesOthers)
				}
			}
			if strings.Contains(trash, trashed.Title) != seesOthers {
				t.Errorf("%s: trash shows %q: %v, want %v", r, trashed.Title, !seesOthers, seesOthers)
			}
			if own, ok := mine[r]; ok && !strings.Contains(list, own.Title) {
				t.Errorf("%s: own draft missing from the list", r)
			}
		}
	})
}

// Limits hold in the form as in the API: an over-long title or tag, too
// many tags, or a NUL byte get the form back with a message naming the
// field, and nothing is saved.
func TestFormLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.article(t, f.users[auth.Editor], news.StatusDraft, "Limits")
		ed := f.as(t, auth.Editor)
		long := strings.Repeat("й", 301)
		var tags []string
		for i := range 101 {
			tags = append(tags, fmt.Sprintf("tag %d", i))
		}
		manyTags := strings.Join(tags, ", ")
		cases := []struct {
			field, value, want string
		}{
			{"title", long, "The title is longer than 300 characters."},
			{"title", "Nul\x00byte", "The title contains a control character (U+0000); remove it."},
			{"tags", "fine, " + strings.Repeat("x", 201), "The name is too long: at most 200 characters."},
			{"tags", manyTags, "An article may have at most 100 tags; this one has 101."},
			{"seo_description", "bell\x07", "The SEO description contains a control character (U+0007); remove it."},
			{"body", strings.Repeat("a", 2<<20+1), "The body is longer than 2097152 bytes."},
		}
		for _, c := range cases {
			v := form(a, "save")
			v.Set(c.field, c.value)
			code, page := ed.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v)
			if msg := html.UnescapeString(errorText(page)); code != http.StatusUnprocessableEntity || !strings.Contains(msg, c.want) {
				t.Errorf("%s: %d %q, want 422 %q", c.field, code, msg, c.want)
			}
			if got, _ := db.ArticleByID(context.Background(), a.ID); got.Version != a.Version {
				t.Fatalf("%s: a refused save was written", c.field)
			}
		}
		// Autosave gets the same answer as JSON, naming the field.
		v := form(a, "save")
		v.Set("title", long)
		code, body := ed.postWith(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v, http.Header{"X-Autosave": {"1"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"title"`) {
			t.Errorf("autosave of a long title: %d %s", code, body)
		}
	})
}
