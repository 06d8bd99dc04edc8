package server

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"dastan/internal/config"
	"dastan/internal/store/storetest"
)

// A job still running when Run is told to stop is waited for: Run returns
// only after it has finished, so the store, which its caller closes next,
// closes after the job's last query.
func TestRunWaitsForJobsBeforeTheStoreCloses(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr, cfg.DataDir, cfg.RatesOffline = "127.0.0.1:0", t.TempDir(), true
	s, err := New(Options{Config: cfg, Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		events []string
	)
	record := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready, done := make(chan struct{}), make(chan error, 1)
	go func() { done <- s.Run(ctx, func(string) { close(ready) }) }()
	<-ready
	running := make(chan struct{})
	s.jobs.Start("slow reader", func(ctx context.Context) {
		close(running)
		<-ctx.Done()
		// Queries after the signal, as a job finishing its work makes.
		for range 50 {
			if _, err := db.CountArticles(context.Background()); err != nil {
				record("query failed: " + err.Error())
				return
			}
		}
		record("job ended")
	})
	<-running
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	db.Close()
	record("store closed")
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"job ended", "store closed"}; !slices.Equal(events, want) {
		t.Fatalf("events %q, want %q", events, want)
	}
}
