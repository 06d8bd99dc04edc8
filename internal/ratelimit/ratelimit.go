// Package ratelimit keeps request budgets per client in memory: a token
// bucket per key (an address, an API token), bounded in number. The API
// and sign-in use it to answer floods with 429 before doing any work.
package ratelimit

import (
	"sync"
	"time"
)

// Budget is a token bucket: Burst requests at once, refilled at Rate
// requests a second.
type Budget struct {
	Rate  float64
	Burst int
}

type bucket struct {
	tokens float64
	last   time.Time
	b      Budget
}

// Limiter keeps one bucket per key. Each process counts for itself:
// behind a load balancer a client's budget is per instance.
type Limiter struct {
	mu         sync.Mutex
	maxClients int
	now        func() time.Time
	buckets    map[string]*bucket
}

// New returns a Limiter that keeps at most maxClients buckets (10,000
// when zero), dropping idle ones first; now nil means time.Now.
func New(maxClients int, now func() time.Time) *Limiter {
	if maxClients <= 0 {
		maxClients = 10000
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{maxClients: maxClients, now: now, buckets: map[string]*bucket{}}
}

func (b *bucket) refill(now time.Time) {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(float64(b.b.Burst), b.tokens+el*b.b.Rate)
	}
	b.last = now
}

// Allow spends one request of key's budget; when there is none left it
// says how long until there is. A zero budget allows everything.
func (l *Limiter) Allow(key string, bud Budget) (bool, time.Duration) {
	if bud.Burst <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxClients {
			l.evict(now)
		}
		b = &bucket{tokens: float64(bud.Burst), last: now, b: bud}
		l.buckets[key] = b
	}
	b.refill(now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if bud.Rate <= 0 {
		return false, time.Hour
	}
	return false, time.Duration((1 - b.tokens) / bud.Rate * float64(time.Second))
}

// Refund gives key back one request it spent, for requests that turned
// out to be welcome (a sign-in that succeeded).
func (l *Limiter) Refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = min(float64(b.b.Burst), b.tokens+1)
	}
}

// evict drops the buckets that have refilled (forgetting them changes
// nothing), or else one arbitrary bucket, so the map stays bounded.
func (l *Limiter) evict(now time.Time) {
	var any string
	for k, b := range l.buckets {
		any = k
		b.refill(now)
		if b.tokens >= float64(b.b.Burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxClients {
		delete(l.buckets, any)
	}
}
