package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func mediaItem(sha, filename, caption string) *store.Media {
	return &store.Media{SHA256: sha, Filename: filename, ContentType: "image/jpeg", Width: 1000, Height: 750,
		Bytes: 12345, Alt: "alt of " + filename, Caption: caption, Credit: "Photo: Reuters",
		Renditions: map[int]string{320: "ab/cd/" + sha + "-320.jpg", 640: "ab/cd/" + sha + "-640.jpg", 1000: "ab/cd/" + sha + "-1000.jpg"},
		UserID:     7}
}

func TestMediaSaveFindDedupe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := mediaItem("aaaa", "bishkek.jpg", "Ala-Too Square, Bishkek")
		created, err := db.SaveMedia(ctx, m)
		must(t, err)
		if !created || m.ID == 0 || m.CreatedAt.IsZero() {
			t.Fatalf("first save: created=%v id=%d at=%v", created, m.ID, m.CreatedAt)
		}
		got, err := db.MediaByID(ctx, m.ID)
		must(t, err)
		if !reflect.DeepEqual(got, *m) {
			t.Fatalf("MediaByID:\n got %+v\nwant %+v", got, *m)
		}
		if got.Widths()[0] != 320 || got.Widths()[2] != 1000 {
			t.Fatalf("widths = %v", got.Widths())
		}
		bySHA, err := db.MediaBySHA(ctx, "aaaa")
		must(t, err)
		if bySHA.ID != m.ID {
			t.Fatalf("MediaBySHA id = %d, want %d", bySHA.ID, m.ID)
		}

		again := mediaItem("aaaa", "copy.jpg", "another caption")
		created, err = db.SaveMedia(ctx, again)
		must(t, err)
		if created || again.ID != m.ID || again.Filename != "bishkek.jpg" {
			t.Fatalf("second save of the same file: created=%v id=%d filename=%q", created, again.ID, again.Filename)
		}

		for _, err := range []error{
			func() error { _, err := db.MediaByID(ctx, 999); return err }(),
			func() error { _, err := db.MediaBySHA(ctx, "nope"); return err }(),
			func() error { _, err := db.MediaBySHA(ctx, "bad\x00key"); return err }(),
			db.UpdateMediaText(ctx, 999, "", "", ""),
			db.DeleteMedia(ctx, 999),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		}
	})
}

func TestMediaListSearchUpdateDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		base := time.Date(2025, 3, 26, 9, 0, 0, 0, time.UTC)
		items := []*store.Media{
			mediaItem("s1", "almaty-snow.jpg", "Snow in Almaty"),
			mediaItem("s2", "dushanbe.png", "Площадь в Душанбе"),
			mediaItem("s3", "rates_100%.png", "Tenge at 100% of forecast"),
			mediaItem("s4", "tashkent.jpg", "Tashkent metro"),
		}
		for i, m := range items {
			m.CreatedAt = base.Add(time.Duration(i) * time.Hour)
			_, err := db.SaveMedia(ctx, m)
			must(t, err)
		}
		ids := func(list []store.Media) string {
			s := ""
			for _, m := range list {
				s += m.SHA256 + " "
			}
			return s
		}
		cases := []struct {
			q     string
			want  string
			total int
		}{
			{"", "s4 s3 s2 s1 ", 4},
			{"ALMATY", "s1 ", 1},
			{"душанбе", "s2 ", 1},          // Cyrillic, folded on both engines
			{"ПЛОЩАДЬ", "s2 ", 1},          // and upper case
			{"100%", "s3 ", 1},             // % is a plain character
			{"_", "s3 ", 1},                // so is _
			{"reuters", "s4 s3 s2 s1 ", 4}, // credit is searched
			{"alt of tashkent", "s4 ", 1},
			{"nothing like it", "", 0},
			{"bad\x00", "", 0},
		}
		for _, c := range cases {
			list, total, err := db.ListMedia(ctx, c.q, 10, 0)
			must(t, err)
			if ids(list) != c.want || total != c.total {
				t.Errorf("ListMedia(%q) = %q total %d, want %q total %d", c.q, ids(list), total, c.want, c.total)
			}
		}
		page, total, err := db.ListMedia(ctx, "", 2, 2)
		must(t, err)
		if ids(page) != "s2 s1 " || total != 4 {
			t.Fatalf("second page = %q total %d", ids(page), total)
		}

		must(t, db.UpdateMediaText(ctx, items[0].ID, "Skiers above Almaty", "Shymbulak in March", "Photo: TCA"))
		got, err := db.MediaByID(ctx, items[0].ID)
		must(t, err)
		if got.Alt != "Skiers above Almaty" || got.Caption != "Shymbulak in March" || got.Credit != "Photo: TCA" {
			t.Fatalf("after update: %+v", got)
		}
		if list, _, _ := db.ListMedia(ctx, "shymbulak", 10, 0); ids(list) != "s1 " {
			t.Fatalf("search after update = %q", ids(list))
		}
		if list, _, _ := db.ListMedia(ctx, "snow in", 10, 0); len(list) != 0 {
			t.Fatalf("old caption still found: %q", ids(list))
		}

		must(t, db.DeleteMedia(ctx, items[0].ID))
		if _, err := db.MediaByID(ctx, items[0].ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if _, total, _ := db.ListMedia(ctx, "", 10, 0); total != 3 {
			t.Fatalf("total after delete = %d", total)
		}
		// The same file can be uploaded again once deleted.
		again := mediaItem("s1", "almaty-snow.jpg", "back")
		created, err := db.SaveMedia(ctx, again)
		must(t, err)
		if !created {
			t.Fatal(fmt.Sprint("re-upload after delete not created: ", again.ID))
		}
	})
}
