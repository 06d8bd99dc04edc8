package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func TestEditConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.article(t, f.users[auth.Editor], news.StatusDraft, "Wheat export quota")
		ed, ad := f.as(t, auth.Editor), f.as(t, auth.Admin)
		first, second := a, a // both opened version 1
		first.BodySource = "The editor's words."
		second.BodySource = "The admin's words."
		if code, _ := ed.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(first, "save")); code != http.StatusSeeOther {
			t.Fatalf("first save: %d", code)
		}
		code, page := ad.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(second, "save"))
		if code != http.StatusConflict {
			t.Fatalf("second save on the old version: %d, want 409", code)
		}
		for _, want := range []string{"Your version", "The current version", "The editor&#39;s words.", "The admin&#39;s words.", "editor@example.com", "<del>The editor&#39;s words.</del>", "<ins>The admin&#39;s words.</ins>"} {
			if !strings.Contains(page, want) {
				t.Errorf("conflict page lacks %q", want)
			}
		}
		got, _ := db.ArticleByID(context.Background(), a.ID)
		if got.BodySource != "The editor's words." {
			t.Fatalf("the second save overwrote the first: %q", got.BodySource)
		}
		// Autosave gets the conflict as JSON, and writes nothing.
		code, body := ad.postWith(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(second, "save"), http.Header{"X-Autosave": {"1"}})
		if code != http.StatusConflict || !strings.Contains(body, "Someone else") {
			t.Fatalf("autosave conflict: %d %s", code, body)
		}
		// The conflict page's form saves the admin's version on purpose.
		m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		if m == nil || m[1] != fmt.Sprint(got.Version) {
			t.Fatalf("conflict form carries version %v, want %d", m, got.Version)
		}
		second.Version = got.Version
		if code, _ := ad.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(second, "save")); code != http.StatusSeeOther {
			t.Fatalf("deliberate overwrite: %d", code)
		}
		got, _ = db.ArticleByID(context.Background(), a.ID)
		if got.BodySource != "The admin's words." {
			t.Fatalf("after the deliberate save: %q", got.BodySource)
		}
		// Deleting from a stale page is refused too.
		if code, _ := ed.post(fmt.Sprintf("/newsroom/articles/%d/trash", a.ID), map[string][]string{"version": {"1"}}); code != http.StatusConflict {
			t.Fatalf("trash on a stale version: %d, want 409", code)
		}
	})
}

func TestRevisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		a := f.article(t, f.users[auth.Author], news.StatusDraft, "Budget")
		au := f.as(t, auth.Author)
		for i, body := range []string{"One.\nTwo.", "One.\nTwo and a half.", "One.\nTwo and a half.\nThree."} {
			a.BodySource = body
			code, _ := au.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(a, "save"))
			if code != http.StatusSeeOther {
				t.Fatalf("save %d: %d", i, code)
			}
			a.Version++
		}
		revs, err := db.Revisions(ctx, a.ID, 100)
		must(t, err)
		if len(revs) != 4 || revs[0].Version != 4 || revs[0].UserEmail != "author@example.com" {
			t.Fatalf("revisions: %d, newest %+v", len(revs), revs[0])
		}
		code, page := au.get(fmt.Sprintf("/newsroom/articles/%d/revisions/", a.ID))
		if code != 200 || strings.Count(page, "author@example.com") < 3 || !strings.Contains(page, "Version 4") {
			t.Fatalf("revision list: %d", code)
		}
		// Version 2 against the current text: one line changed, one added.
		v2 := revs[2]
		_, page = au.get(fmt.Sprintf("/newsroom/articles/%d/revisions/%d", a.ID, v2.ID))
		for _, want := range []string{"<del>Two.</del>", "<ins>Two and a half.</ins>", "<ins>Three.</ins>"} {
			if !strings.Contains(page, want) {
				t.Errorf("revision diff lacks %q", want)
			}
		}
		if code, _ = au.post(fmt.Sprintf("/newsroom/articles/%d/revisions/%d", a.ID, v2.ID), map[string][]string{"version": {fmt.Sprint(a.Version)}}); code != http.StatusSeeOther {
			t.Fatalf("restore: %d", code)
		}
		got, _ := db.ArticleByID(ctx, a.ID)
		if got.BodySource != "One.\nTwo." || got.Version != 5 {
			t.Fatalf("after restore: %q v%d", got.BodySource, got.Version)
		}
		// Another author may not read or restore it.
		other := f.article(t, f.users[auth.Editor], news.StatusDraft, "Not yours")
		orevs, _ := db.Revisions(ctx, other.ID, 1)
		if code, _ := au.get(fmt.Sprintf("/newsroom/articles/%d/revisions/%d", other.ID, orevs[0].ID)); code != http.StatusForbidden {
			t.Errorf("author reading another's revision: %d", code)
		}
		// A revision of another article is not found through this one.
		if code, _ := au.get(fmt.Sprintf("/newsroom/articles/%d/revisions/%d", a.ID, orevs[0].ID)); code != http.StatusNotFound {
			t.Errorf("revision of another article: %d", code)
		}
	})
}

func TestScheduling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.article(t, f.users[auth.Author], news.StatusDraft, "Tomorrow's story")
		au := f.as(t, auth.Author)
		v := form(a, "publish")
		v.Set("publish_at", testNow.Add(2*time.Hour).In(time.FixedZone("", 5*3600)).Format("2006-01-02T15:04")) // Asia/Almaty is UTC+5
		if code, page := au.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), v); code != http.StatusSeeOther {
			t.Fatalf("schedule: %d %s", code, errorText(page))
		}
		got, _ := db.ArticleByID(context.Background(), a.ID)
		if got.Status != news.StatusScheduled || !got.PublishedAt.Equal(testNow.Add(2*time.Hour)) {
			t.Fatalf("scheduled as %s at %v", got.Status, got.PublishedAt)
		}
		reader := f.anon(t)
		if code, _ := reader.get("/" + got.Slug + "/"); code != http.StatusNotFound {
			t.Fatalf("scheduled article visible early: %d", code)
		}
		if code, page := au.get(fmt.Sprintf("/newsroom/articles/%d/preview", a.ID)); code != 200 || !strings.Contains(page, "Tomorrow&#39;s story") {
			t.Fatalf("preview of the scheduled article: %d", code)
		}
		f.clock.Add(3 * time.Hour)
		if code, _ := reader.get("/" + got.Slug + "/"); code != http.StatusOK {
			t.Fatalf("scheduled article not visible when due: %d", code)
		}
		// Unpublish takes it off the site.
		if code, _ := au.post(fmt.Sprintf("/newsroom/articles/%d/", a.ID), form(got, "unpublish")); code != http.StatusSeeOther {
			t.Fatal("unpublish refused")
		}
		if code, _ := reader.get("/" + got.Slug + "/"); code != http.StatusNotFound {
			t.Fatalf("unpublished article visible: %d", code)
		}
	})
}

func TestTrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		a := f.article(t, f.users[auth.Editor], news.StatusPublished, "Going away")
		b := f.article(t, f.users[auth.Editor], news.StatusPublished, "Going for good")
		ed, reader := f.as(t, auth.Editor), f.anon(t)
		if code, _ := reader.get("/" + a.Slug + "/"); code != 200 {
			t.Fatalf("published article: %d", code)
		}
		for _, x := range []news.Article{a, b} {
			if code, _ := ed.post(fmt.Sprintf("/newsroom/articles/%d/trash", x.ID), map[string][]string{"version": {fmt.Sprint(x.Version)}}); code != http.StatusSeeOther {
				t.Fatalf("trash: %d", code)
			}
		}
		if code, _ := reader.get("/" + a.Slug + "/"); code != http.StatusNotFound {
			t.Fatalf("trashed article visible: %d", code)
		}
		if _, page := reader.get("/"); strings.Contains(page, "Going away") {
			t.Fatal("trashed article on the front page")
		}
		_, page := ed.get("/newsroom/trash/")
		if !strings.Contains(page, "Going away") {
			t.Fatal("trash does not list the article")
		}
		if _, page := ed.get("/newsroom/articles/"); strings.Contains(page, "Going away") {
			t.Fatal("article list shows a trashed article")
		}
		// Restore a after 29 days; purge b after 31.
		f.clock.Add(29 * 24 * time.Hour)
		ed = f.as(t, auth.Editor) // the old session has expired
		if code, _ := ed.post(fmt.Sprintf("/newsroom/articles/%d/restore", a.ID), nil); code != http.StatusSeeOther {
			t.Fatalf("restore: %d", code)
		}
		if got, _ := db.ArticleByID(ctx, a.ID); got.Status != news.StatusPublished {
			t.Fatalf("restored as %s, want published", got.Status)
		}
		if code, _ := reader.get("/" + a.Slug + "/"); code != 200 {
			t.Fatalf("restored article: %d", code)
		}
		f.clock.Add(2 * 24 * time.Hour)
		n, err := db.PurgeTrash(ctx, f.clock.Now().Add(-30*24*time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("purged %d, want 1", n)
		}
		if _, err := db.ArticleByID(ctx, b.ID); err == nil {
			t.Fatal("purged article still there")
		}
		log, _ := db.AuditLog(ctx, 10, 0)
		if len(log) < 3 || log[0].Action != "restore" {
			t.Fatalf("audit: %+v", log)
		}
	})
}
