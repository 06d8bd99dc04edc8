package newsroom_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestEditLock: the second person to open an article is told who is
// editing it and since when, and may take over; the first person's
// heartbeat then says so; a lock whose heartbeat stopped lapses.
func TestEditLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.article(t, f.users[auth.Author], news.StatusDraft, "Cotton harvest")
		au, ed, co := f.as(t, auth.Author), f.as(t, auth.Editor), f.as(t, auth.Contributor)
		edit := links.NewsroomArticle(a.ID)

		if code, page := au.get(edit); code != http.StatusOK || !strings.Contains(page, `data-heartbeat="`+links.NewsroomHeartbeat(a.ID)+`"`) {
			t.Fatalf("the author's editor: %d, no heartbeat in the page", code)
		}
		f.clock.Add(time.Minute)
		code, page := ed.get(edit)
		for _, want := range []string{"Someone else is editing this article", "author@example.com", "since 26 Mar 2026", `action="` + links.NewsroomLock(a.ID) + `"`, "Take over"} {
			if !strings.Contains(page, want) {
				t.Errorf("locked page (%d) lacks %q", code, want)
			}
		}
		if strings.Contains(page, `id="editor"`) {
			t.Error("the locked page shows the editor")
		}
		// The author's heartbeat keeps the lock; the editor still sees it.
		if code, body := au.post(links.NewsroomHeartbeat(a.ID), nil); code != http.StatusOK || !strings.Contains(body, `"held":true`) {
			t.Fatalf("heartbeat: %d %s", code, body)
		}
		// A contributor may not even open it (not theirs): no lock to take.
		if code, _ := co.post(links.NewsroomLock(a.ID), nil); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("contributor took over: %d", code)
		}
		// The editor takes over; the author's next heartbeat learns who.
		if code, _ := ed.post(links.NewsroomLock(a.ID), nil); code != http.StatusSeeOther {
			t.Fatalf("take over: %d", code)
		}
		if code, page := ed.get(edit); code != http.StatusOK || !strings.Contains(page, `id="editor"`) {
			t.Fatalf("editor after take-over: %d", code)
		}
		code, body := au.post(links.NewsroomHeartbeat(a.ID), nil)
		if code != http.StatusConflict || !strings.Contains(body, "editor@example.com") || !strings.Contains(body, "took over") {
			t.Fatalf("author's heartbeat after take-over: %d %s", code, body)
		}
		log, err := db.AuditLog(context.Background(), 10, 0)
		must(t, err)
		if len(log) == 0 || log[0].Action != "lock.take-over" || !strings.Contains(log[0].Detail, "author@example.com") {
			t.Errorf("no audit entry for the take-over: %+v", log)
		}
		// The author cannot take it back by opening the page; a save from
		// their old page is still refused by the version check, not the lock.
		if _, page := au.get(edit); !strings.Contains(page, "editor@example.com") || strings.Contains(page, `id="editor"`) {
			t.Fatal("the author opened the editor over the editor's live lock")
		}
		// The editor's browser goes away: after two minutes without a
		// heartbeat the author gets the article back.
		f.clock.Add(2*time.Minute + time.Second)
		if _, page := au.get(edit); !strings.Contains(page, `id="editor"`) {
			t.Fatal("a stale lock still kept the author out")
		}
		// Leaving releases it at once.
		if code, _ := au.post(links.NewsroomRelease(a.ID), nil); code != http.StatusNoContent {
			t.Fatalf("release: %d", code)
		}
		if _, page := ed.get(edit); !strings.Contains(page, `id="editor"`) {
			t.Fatal("a released lock still kept the editor out")
		}
	})
}
