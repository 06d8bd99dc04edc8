package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestEditLocks: the first to open holds the lock; the second is told
// who and since when; a stale heartbeat or a forced take-over moves it;
// only the holder releases it.
func TestEditLocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sec := newsSection("News", 0)
		must(t, db.SaveSection(ctx, &sec))
		a := article("Locked", sec.ID, time.Now().Add(-time.Hour), nil)
		must(t, db.SaveArticle(ctx, a, 0, ""))
		anna := store.User{Email: "anna@example.com", Name: "Anna", Role: "editor", PasswordHash: "x"}
		must(t, db.CreateUser(ctx, &anna, nil))
		bek := store.User{Email: "bek@example.com", Name: "Bek", Role: "editor", PasswordHash: "x"}
		must(t, db.CreateUser(ctx, &bek, nil))
		t0 := time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)
		stale := func(now time.Time) time.Time { return now.Add(-2 * time.Minute) }

		l, err := db.TakeEditLock(ctx, a.ID, anna.ID, t0, stale(t0), false)
		must(t, err)
		if l.UserID != anna.ID || l.UserName != "Anna" || !l.Since.Equal(t0) {
			t.Fatalf("first lock = %+v", l)
		}
		t1 := t0.Add(30 * time.Second)
		l, err = db.TakeEditLock(ctx, a.ID, bek.ID, t1, stale(t1), false)
		if !errors.Is(err, store.ErrLocked) || l.UserID != anna.ID || l.UserEmail != "anna@example.com" || !l.Since.Equal(t0) {
			t.Fatalf("second opener got %+v, %v; want Anna's lock since %v and ErrLocked", l, err, t0)
		}
		// Anna's heartbeat keeps it, with its first time.
		l, err = db.TakeEditLock(ctx, a.ID, anna.ID, t1, stale(t1), false)
		must(t, err)
		if !l.Since.Equal(t0) || !l.Heartbeat.Equal(t1) {
			t.Fatalf("heartbeat lock = %+v", l)
		}
		live, err := db.EditLocks(ctx, []int64{a.ID, a.ID + 100}, stale(t1))
		must(t, err)
		if len(live) != 1 || live[a.ID].UserID != anna.ID {
			t.Fatalf("live locks = %+v", live)
		}
		// Bek takes over.
		t2 := t1.Add(10 * time.Second)
		l, err = db.TakeEditLock(ctx, a.ID, bek.ID, t2, stale(t2), true)
		must(t, err)
		if l.UserID != bek.ID || !l.Since.Equal(t2) {
			t.Fatalf("taken over lock = %+v", l)
		}
		// Anna's next heartbeat finds Bek.
		if l, err = db.TakeEditLock(ctx, a.ID, anna.ID, t2, stale(t2), false); !errors.Is(err, store.ErrLocked) || l.UserID != bek.ID {
			t.Fatalf("Anna's heartbeat after take-over: %+v, %v", l, err)
		}
		// Anna's release does not free Bek's lock.
		must(t, db.ReleaseEditLock(ctx, a.ID, anna.ID))
		if live, _ := db.EditLocks(ctx, []int64{a.ID}, stale(t2)); live[a.ID].UserID != bek.ID {
			t.Fatalf("Anna released Bek's lock: %+v", live)
		}
		// Bek's browser goes away: two minutes later Anna gets it.
		t3 := t2.Add(2*time.Minute + time.Second)
		if live, _ := db.EditLocks(ctx, []int64{a.ID}, stale(t3)); len(live) != 0 {
			t.Fatalf("stale lock still listed: %+v", live)
		}
		l, err = db.TakeEditLock(ctx, a.ID, anna.ID, t3, stale(t3), false)
		must(t, err)
		if l.UserID != anna.ID || !l.Since.Equal(t3) {
			t.Fatalf("lock after stale = %+v", l)
		}
		must(t, db.ReleaseEditLock(ctx, a.ID, anna.ID))
		if l, err = db.TakeEditLock(ctx, a.ID, bek.ID, t3, stale(t3), false); err != nil || l.UserID != bek.ID {
			t.Fatalf("lock after release = %+v, %v", l, err)
		}
		if _, err := db.TakeEditLock(ctx, a.ID+100, bek.ID, t3, stale(t3), false); err == nil {
			t.Fatal("locked an article that does not exist")
		}
	})
}
