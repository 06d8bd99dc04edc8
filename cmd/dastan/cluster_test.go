package main

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"dastan/internal/demo"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Three serve --demo started together on one empty PostgreSQL database:
// one fills it and makes the users, the others wait for it, find it
// filled and say how to get in, and all three serve. (Before, all but
// one failed on a duplicate section path.)
func TestServeDemoInstancesStartingTogether(t *testing.T) {
	dbURL := storetest.NewPostgresDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	const n = 3
	outs := make([]*syncBuffer, n)
	errs := make([]*syncBuffer, n)
	done := make([]chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		outs[i], errs[i], done[i] = &syncBuffer{}, &syncBuffer{}, make(chan error, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			done[i] <- run(ctx, []string{"serve", "--demo", "-addr", "127.0.0.1:0", "-rates-offline", "-log-level", "warn",
				"-database-url", dbURL, "-data-dir", t.TempDir()}, outs[i], errs[i])
		}()
	}
	defer func() { cancel(); wg.Wait() }()
	ready := regexp.MustCompile(`ready at (http://[^/\s]+)/`)
	passwords := 0
	for i := range n {
		base := ""
		for deadline := time.Now().Add(3 * time.Minute); base == ""; time.Sleep(50 * time.Millisecond) {
			if m := ready.FindStringSubmatch(outs[i].String()); m != nil {
				base = m[1]
			}
			select {
			case err := <-done[i]:
				t.Fatalf("instance %d stopped: %v\n%s", i, err, errs[i].String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %d not ready:\n%s", i, errs[i].String())
			}
		}
		if code, body := get(t, base+"/category/news/kazakhstan/"); code != 200 || !strings.Contains(body, "Viewing results 1 - 10 of") {
			t.Errorf("instance %d: section page %d", i, code)
		}
		if strings.Contains(outs[i].String(), "password:") {
			passwords++
		} else if !strings.Contains(outs[i].String(), "reset-password") {
			t.Errorf("instance %d says neither the passwords nor how to get in:\n%s", i, outs[i].String())
		}
	}
	if passwords != 1 {
		t.Errorf("%d instances made the demo users, want 1", passwords)
	}
	db, err := store.Open(context.Background(), "", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if articles, err := db.CountArticles(context.Background()); err != nil || articles != 1200+demo.WorkflowStories {
		t.Errorf("the store has %d articles (%v), want the demo's 1,200 and %d in the newsroom's hands once", articles, err, demo.WorkflowStories)
	}
}
