package ratelimit

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)
	l := New(2, func() time.Time { return now })
	b := Budget{Rate: 0.5, Burst: 2}
	for i := 0; i < 2; i++ {
		if ok, _ := l.Allow("a", b); !ok {
			t.Fatalf("request %d refused within the burst", i)
		}
	}
	ok, retry := l.Allow("a", b)
	if ok || retry != 2*time.Second {
		t.Fatalf("past the burst: %v, retry %s; want refused, retry 2s", ok, retry)
	}
	if ok, _ := l.Allow("b", b); !ok {
		t.Fatal("another key shares a's budget")
	}
	l.Refund("a")
	if ok, _ := l.Allow("a", b); !ok {
		t.Fatal("a refunded request cannot be spent")
	}
	now = now.Add(2 * time.Second)
	if ok, _ := l.Allow("a", b); !ok {
		t.Fatal("the budget did not refill")
	}
	if ok, _ := l.Allow("z", Budget{}); !ok {
		t.Fatal("a zero budget refused a request")
	}
	// A third key evicts one bucket: the map stays at two.
	l.Allow("c", b)
	if len(l.buckets) > 2 {
		t.Fatalf("%d buckets kept, want at most 2", len(l.buckets))
	}
}

// A flood of new keys keeps the map bounded, refilled buckets go first,
// and a refund never lifts a bucket past its burst.
func TestEvictionAndRefundBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := New(100, func() time.Time { return now })
	bud := Budget{Rate: 1, Burst: 2}
	for i := 0; i < 1000; i++ {
		l.Allow(fmt.Sprint("k", i), bud)
		if len(l.buckets) > 100 {
			t.Fatalf("%d buckets kept, more than 100", len(l.buckets))
		}
	}
	now = now.Add(time.Second)
	for i := 0; len(l.buckets) < 100; i++ {
		l.Allow(fmt.Sprint("m", i), bud)
	}
	now = now.Add(2 * time.Second) // every bucket is full again
	l.Allow("new", bud)
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets left after evicting refilled ones; want 1", len(l.buckets))
	}
	for i := 0; i < 10; i++ {
		l.Refund("new")
	}
	n := 0
	for ok, _ := l.Allow("new", bud); ok; ok, _ = l.Allow("new", bud) {
		n++
	}
	if n != 2 {
		t.Fatalf("after ten refunds %d requests pass; want the burst, 2", n)
	}
}

func TestAddress(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":                   "203.0.113.7",
		"2001:db8:1:2:3:4:5:6":          "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:ffff:1": "2001:db8:1:2::/64",
		"not an address":                "not an address",
	} {
		if got := Address(in); got != want {
			t.Errorf("Address(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTooMany(t *testing.T) {
	w := httptest.NewRecorder()
	TooMany(w, 1500*time.Millisecond, "Too many searches.")
	if w.Code != 429 || w.Header().Get("Retry-After") != "2" || w.Header().Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") || w.Body.String() != "Too many searches.\n" {
		t.Fatalf("%d %v %q", w.Code, w.Header(), w.Body.String())
	}
}
