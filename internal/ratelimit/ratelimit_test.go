package ratelimit

import (
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
