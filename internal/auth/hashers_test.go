package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHashersBound: one hasher and a queue of four; a fifth caller in
// line is refused at once with ErrBusy, and a freed hasher goes to one
// in line.
func TestHashersBound(t *testing.T) {
	h := newHashers(1)
	release, err := h.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			rel, err := h.acquire(context.Background())
			if err == nil {
				rel()
			}
			got <- err
		}()
	}
	for h.waiting.Load() < 4 {
		time.Sleep(time.Millisecond) // until all four are in line
	}
	if _, err := h.acquire(context.Background()); !errors.Is(err, ErrBusy) {
		t.Fatalf("a fifth in line: %v, want ErrBusy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	release()
	for i := 0; i < 4; i++ {
		if err := <-got; err != nil {
			t.Fatalf("one in line: %v", err)
		}
	}
	// A caller who has gone is not kept waiting.
	release, _ = h.acquire(context.Background())
	defer release()
	if _, err := h.acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled caller: %v", err)
	}
}
