package media_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/media"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

var testNow = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

func roleUser(r auth.Role) auth.User { return auth.User{ID: int64(10 + len(r)), Role: r} }

// The attack of issue #11: a contributor adds files to the shared, public
// library. Only authors and above upload; a refused upload leaves no row
// and no file. Changing an image's words and deleting it are for editors
// and admins.
func TestLibraryByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, dir := newService(t, db)
		svc.Now = func() time.Time { return testNow }
		uploads := map[auth.Role]bool{auth.Author: true, auth.Editor: true, auth.Admin: true}
		manages := map[auth.Role]bool{auth.Editor: true, auth.Admin: true}
		for i, r := range auth.Roles {
			u := roleUser(r)
			files := len(stored(t, dir))
			m, err := svc.Upload(ctx, u, "steppe.jpg", bytes.NewReader(withSegment(photo(t, 400, 300), 0xFE, fmt.Appendf(nil, "%d", i))), media.Text{Alt: "Steppe"})
			if !uploads[r] {
				if !errors.Is(err, auth.ErrForbidden) {
					t.Errorf("upload as %s: %v, want ErrForbidden", r, err)
				}
				if _, total, _ := db.ListMedia(ctx, "", 10, 0); total != 0 || len(stored(t, dir)) != files {
					t.Errorf("upload as %s was refused, yet %d items and %d files are there", r, total, len(stored(t, dir)))
				}
				continue
			}
			if err != nil || m.UserID != u.ID || !m.CreatedAt.Equal(testNow) {
				t.Fatalf("upload as %s: %v %+v", r, err, m)
			}
		}
		items, _, err := db.ListMedia(ctx, "", 10, 0)
		must(t, err)
		for _, r := range auth.Roles {
			u := roleUser(r)
			target := items[0]
			eerr := svc.Edit(ctx, u, target.ID, media.Text{Alt: "Grass by " + string(r)})
			derr := svc.Delete(ctx, u, target.ID)
			if !manages[r] {
				if !errors.Is(eerr, auth.ErrForbidden) || !errors.Is(derr, auth.ErrForbidden) {
					t.Errorf("as %s: edit %v, delete %v, want ErrForbidden", r, eerr, derr)
				}
				if got, err := db.MediaByID(ctx, target.ID); err != nil || got.Alt != target.Alt {
					t.Errorf("as %s: refused, yet the item is %+v (%v)", r, got, err)
				}
				continue
			}
			if eerr != nil || derr != nil {
				t.Errorf("as %s: edit %v, delete %v", r, eerr, derr)
			}
			items = items[1:]
		}
		log, err := db.AuditLog(ctx, 10, 0)
		must(t, err)
		var got []string
		for _, e := range log {
			if !e.CreatedAt.Equal(testNow) {
				t.Errorf("audit entry %+v: not dated by the service's clock", e)
			}
			got = append(got, fmt.Sprintf("%s by %d", e.Action, e.UserID))
		}
		want := fmt.Sprintf("delete media by %[1]d | edit media by %[1]d | delete media by %[2]d | edit media by %[2]d", roleUser(auth.Admin).ID, roleUser(auth.Editor).ID)
		if strings.Join(got, " | ") != want {
			t.Errorf("audit log: %s, want %s", strings.Join(got, " | "), want)
		}
	})
}

// An image's words are refused, naming the field, when they are too long
// or hold control characters; nothing is uploaded or changed then. An
// image an article shows is not deleted.
func TestLibraryRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, dir := newService(t, db)
		for _, c := range []struct {
			text  media.Text
			field string
		}{
			{media.Text{Caption: "Ala-Too\x00 Square"}, "caption"},
			{media.Text{Alt: "A square\x1b[31m"}, "alt"},
			{media.Text{Credit: "TCA\xff"}, "credit"},
			{media.Text{Alt: strings.Repeat("я", 1001)}, "alt"},
			{media.Text{Caption: strings.Repeat("a", 4001)}, "caption"},
			{media.Text{Credit: strings.Repeat("a", 501)}, "credit"},
		} {
			_, err := svc.Upload(ctx, author, "a.jpg", bytes.NewReader(photo(t, 400, 300)), c.text)
			var fe *news.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Errorf("upload with %+v: %v, want an error naming %q", c.text, err, c.field)
			}
		}
		if n := len(stored(t, dir)); n != 0 {
			t.Fatalf("refused uploads left %d files", n)
		}
		m, err := svc.Upload(ctx, author, "a.jpg", bytes.NewReader(photo(t, 400, 300)), media.Text{Caption: "Line one\r\nline two\t(2025)"})
		must(t, err)
		if m.Caption != "Line one\nline two\t(2025)" {
			t.Errorf("caption %q", m.Caption)
		}
		var fe *news.FieldError
		if err := svc.Edit(ctx, editor, m.ID, media.Text{Alt: "x\x00"}); !errors.As(err, &fe) || fe.Field != "alt" {
			t.Errorf("edit with NUL: %v", err)
		}
		if err := svc.Edit(ctx, editor, 9999, media.Text{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("editing what is not there: %v", err)
		}

		a := news.Article{Title: "Steppe", BodySource: "x", BodyFormat: news.FormatMarkdown, Lang: "en", Status: news.StatusDraft}
		fig := svc.Figure(m)
		a.Image = &fig
		must(t, news.Prepare(&a, 100, nil))
		must(t, db.SaveArticle(ctx, &a, 0, ""))
		var inUse *media.InUseError
		if err := svc.Delete(ctx, editor, m.ID); !errors.As(err, &inUse) || inUse.Articles != 1 {
			t.Fatalf("deleting an image in use: %v", err)
		}
		if _, err := db.MediaByID(ctx, m.ID); err != nil || len(stored(t, dir)) == 0 {
			t.Fatalf("an image in use was deleted: %v", err)
		}
		if log, _ := db.AuditLog(ctx, 10, 0); len(log) != 0 {
			t.Errorf("refused changes left audit entries: %+v", log)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
