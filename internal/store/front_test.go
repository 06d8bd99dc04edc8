package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func TestFrontSlots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		first, second := article("First", kz.ID, now.Add(-time.Hour), []news.Author{a1}), article("Second", kz.ID, now, []news.Author{a1})
		must(t, db.SaveArticle(ctx, first, 0, ""))
		must(t, db.SaveArticle(ctx, second, 0, ""))
		must(t, db.PinFront(ctx, 1, first.ID, 7, now, store.AuditEntry{UserID: 7, Action: "pin to front page", Subject: "slot 1"}))
		must(t, db.PinFront(ctx, 2, second.ID, 7, now))
		must(t, db.PinFront(ctx, 3, first.ID, 7, now)) // moves from slot 1
		slots, err := db.FrontSlots(ctx)
		must(t, err)
		if len(slots) != 2 || slots[0].Slot != 2 || slots[0].Article.Title != "Second" || slots[1].Slot != 3 || slots[1].Article.Title != "First" {
			t.Fatalf("slots = %+v", slots)
		}
		if err := db.PinFront(ctx, 1, 999999, 7, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("pinning a missing article: %v, want ErrNotFound", err)
		}
		must(t, db.UnpinFront(ctx, 2))
		slots, err = db.FrontSlots(ctx)
		must(t, err)
		if len(slots) != 1 || slots[0].Slot != 3 {
			t.Fatalf("after unpin, slots = %+v", slots)
		}
		entries, err := db.AuditLog(ctx, 10, 0)
		must(t, err)
		if len(entries) == 0 || entries[0].Action != "pin to front page" {
			t.Errorf("audit = %+v, want the pin", entries)
		}
	})
}

func TestMostRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
		old, fresh, draft := article("Old", kz.ID, now.Add(-72*time.Hour), []news.Author{a1}), article("Fresh", kz.ID, now.Add(-time.Hour), []news.Author{a1}),
			article("Draft", kz.ID, now.Add(-time.Hour), []news.Author{a1})
		draft.Status = news.StatusDraft
		for _, a := range []*news.Article{old, fresh, draft} {
			must(t, db.SaveArticle(ctx, a, 0, ""))
		}
		// Old was read a lot three days ago, Fresh a little today; the
		// draft's reads (a preview's) never show.
		must(t, db.AddReads(ctx, map[int64]int{old.ID: 50}, now.Add(-70*time.Hour)))
		must(t, db.AddReads(ctx, map[int64]int{fresh.ID: 3, draft.ID: 100, 999999: 4}, now.Add(-2*time.Hour)))
		must(t, db.AddReads(ctx, map[int64]int{fresh.ID: 2}, now))
		must(t, db.AddReads(ctx, map[int64]int{fresh.ID: 1}, now)) // the same hour adds up
		day, err := db.MostRead(ctx, now.Add(-24*time.Hour), now, 5)
		must(t, err)
		if len(day) != 1 || day[0].Article.Title != "Fresh" || day[0].Reads != 6 {
			t.Fatalf("most read today = %+v", day)
		}
		week, err := db.MostRead(ctx, now.Add(-7*24*time.Hour), now, 5)
		must(t, err)
		if len(week) != 2 || week[0].Article.Title != "Old" || week[0].Reads != 50 || week[1].Article.Title != "Fresh" {
			t.Fatalf("most read this week = %+v", week)
		}
		// Counts older than a week and a day go as new reads come.
		must(t, db.AddReads(ctx, map[int64]int{fresh.ID: 1}, now.Add(store.ReadsKept+71*time.Hour)))
		all, err := db.MostRead(ctx, now.Add(-30*24*time.Hour), now.Add(30*24*time.Hour), 5)
		must(t, err)
		if len(all) != 1 || all[0].Article.Title != "Fresh" || all[0].Reads != 1 {
			t.Fatalf("after pruning = %+v", all)
		}
	})
}
