package newsroom_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

var leadLink = regexp.MustCompile(`<article class="lead"[^>]*>[\s\S]*?<h2><a href="([^"]+)"`)

// TestPinFrontSlots checks that editors pin stories to the front page
// from the newsroom, by address, slug or number; that the pin leads the
// front page and is in the audit log; that only live stories may be
// pinned; and that authors may not pin.
func TestPinFrontSlots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		older := f.article(t, f.users[auth.Editor], news.StatusPublished, "Older story")
		newer := f.article(t, f.users[auth.Editor], news.StatusPublished, "Newer story")
		draft := f.article(t, f.users[auth.Editor], news.StatusDraft, "Draft story")
		editor, author := f.as(t, auth.Editor), f.as(t, auth.Author)
		if code, _ := editor.post("/newsroom/front/", url.Values{"slot": {"1"}, "article": {f.srv.URL + "/" + older.Slug + "/"}}); code != http.StatusSeeOther {
			t.Fatalf("pin: %d", code)
		}
		_, home := f.anon(t).get("/")
		if m := leadLink.FindStringSubmatch(home); m == nil || m[1] != "/"+older.Slug+"/" {
			t.Fatalf("lead = %v, want the pinned story", m)
		}
		code, page := editor.post("/newsroom/front/", url.Values{"slot": {"2"}, "article": {draft.Slug}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Only a published or scheduled article") {
			t.Errorf("pinning a draft: %d", code)
		}
		if code, _ := editor.post("/newsroom/front/", url.Values{"slot": {"2"}, "article": {"no-such-story"}}); code != http.StatusUnprocessableEntity {
			t.Errorf("pinning a missing story: %d, want 422", code)
		}
		if code, _ := editor.post("/newsroom/front/", url.Values{"slot": {"9"}, "article": {older.Slug}}); code != http.StatusUnprocessableEntity {
			t.Errorf("pinning to slot 9: %d, want 422", code)
		}
		if code, _ := author.post("/newsroom/front/", url.Values{"slot": {"1"}, "article": {older.Slug}}); code != http.StatusForbidden {
			t.Errorf("an author pinning: %d, want 403", code)
		}
		if code, _ := author.get("/newsroom/front/"); code != http.StatusForbidden {
			t.Errorf("an author opening the front page screen: %d, want 403", code)
		}
		_, screen := editor.get("/newsroom/front/")
		if !strings.Contains(screen, "Older story") || !strings.Contains(screen, `name="unpin"`) {
			t.Error("the front page screen does not show the pinned story")
		}
		log, err := db.AuditLog(context.Background(), 5, 0)
		must(t, err)
		if len(log) == 0 || log[0].Action != "pin to front page" || log[0].Subject != "/"+older.Slug+"/" {
			t.Errorf("audit = %+v", log)
		}
		editor.post("/newsroom/front/", url.Values{"slot": {"1"}, "unpin": {"1"}})
		_, home = f.anon(t).get("/")
		if m := leadLink.FindStringSubmatch(home); m == nil || m[1] != "/"+newer.Slug+"/" {
			t.Errorf("after unpinning, lead = %v, want the newest", m)
		}
	})
}
