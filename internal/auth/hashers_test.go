package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// waitFor polls until cond holds: goroutines taking their place in line.
func waitFor(cond func() bool) {
	for !cond() {
		time.Sleep(time.Millisecond)
	}
}

// TestHashersBound: one hasher and lines of four; a fifth caller in a
// full line is refused at once with ErrBusy, and a freed hasher goes to
// one in line.
func TestHashersBound(t *testing.T) {
	h := newHashers(1)
	release, err := h.acquire(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			rel, err := h.acquire(context.Background(), false)
			if err == nil {
				rel()
			}
			got <- err
		}()
	}
	waitFor(func() bool { n, _ := h.waiting(); return n == 4 })
	if _, err := h.acquire(context.Background(), false); !errors.Is(err, ErrBusy) {
		t.Fatalf("a fifth in line: %v, want ErrBusy", err)
	}
	release()
	for i := 0; i < 4; i++ {
		if err := <-got; err != nil {
			t.Fatalf("one in line: %v", err)
		}
	}
	// A caller who has gone leaves the line, and the hasher is not lost.
	release, _ = h.acquire(context.Background(), false)
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error)
	go func() { _, err := h.acquire(ctx, false); gone <- err }()
	waitFor(func() bool { n, _ := h.waiting(); return n == 1 })
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled caller: %v", err)
	}
	release()
	if rel, err := h.acquire(context.Background(), false); err != nil {
		t.Fatalf("after a caller left the line: %v", err)
	} else {
		rel()
	}
}

// TestHashersKnownFirst: with the others' line full, a sign-in from a
// known address still gets a place, and the next free hasher.
func TestHashersKnownFirst(t *testing.T) {
	h := newHashers(1)
	release, _ := h.acquire(context.Background(), false)
	order := make(chan string, 5)
	for i := 0; i < 4; i++ {
		go func() {
			rel, err := h.acquire(context.Background(), false)
			if err == nil {
				order <- "other"
				rel()
			}
		}()
	}
	waitFor(func() bool { n, _ := h.waiting(); return n == 4 })
	go func() {
		rel, err := h.acquire(context.Background(), true)
		if err == nil {
			order <- "known"
			rel()
		}
	}()
	waitFor(func() bool { _, k := h.waiting(); return k == 1 })
	release()
	if first := <-order; first != "known" {
		t.Fatalf("the freed hasher went to %s, want the known address", first)
	}
}

func TestKnownAddresses(t *testing.T) {
	var k knownAddresses
	now := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	k.add("192.0.2.1", now)
	if !k.has("192.0.2.1", now.Add(knownFor)) || k.has("192.0.2.1", now.Add(knownFor+time.Second)) || k.has("192.0.2.2", now) {
		t.Fatal("known addresses: wrong membership")
	}
	for i := 0; i < maxKnown+10; i++ {
		k.add(time.Duration(i).String(), now)
	}
	if len(k.seen) > maxKnown {
		t.Fatalf("%d addresses kept, want at most %d", len(k.seen), maxKnown)
	}
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"fe80::1%eth0":         "fe80::/64",
		"not an address":       "not an address",
	} {
		if got := AddressKey(in); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", in, got, want)
		}
	}
}
