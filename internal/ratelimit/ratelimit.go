// Package ratelimit keeps request budgets per client in memory: a token
// bucket per key (an address, an API token), bounded in number. The API,
// sign-in, the public search pages and post passwords use it to answer
// floods with 429 before doing any work.
package ratelimit

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// Budget is a token bucket: Burst requests at once, refilled at Rate
// requests a second.
type Budget struct {
	Rate  float64
	Burst int
}

// PerMinute is a budget of n requests at once and n a minute after;
// zero or less is the zero budget, which allows everything.
func PerMinute(n int) Budget {
	if n <= 0 {
		return Budget{}
	}
	return Budget{Rate: float64(n) / 60, Burst: n}
}

type bucket struct {
	tokens float64
	last   time.Time
	b      Budget
}

// Limiter keeps one bucket per key. Each process counts for itself,
// unless it Shares a Tally with the other instances.
type Limiter struct {
	mu         sync.Mutex
	maxClients int
	now        func() time.Time
	buckets    map[string]*bucket
	tally      Tally // nil: this instance's buckets alone
}

// Tally is token buckets every instance shares: Take takes a token from
// key's bucket of budget bud at now if it has one, and says what is left;
// Give gives one back. The store implements it on PostgreSQL.
type Tally interface {
	Take(ctx context.Context, key string, bud Budget, now time.Time) (ok bool, left float64, err error)
	Give(ctx context.Context, key string) error
}

// Share makes l's budgets hold across instances: a request this
// instance's bucket allows must also get a token from t's bucket for the
// key, which every instance draws on. The bucket here stays the fast path
// (a client over its budget here is refused without asking t), and when
// t fails its answer stands. A nil t shares nothing. It returns l.
func (l *Limiter) Share(t Tally) *Limiter {
	l.tally = t
	return l
}

// shared asks the shared bucket for key's request.
func (l *Limiter) shared(key string, bud Budget, now time.Time) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ok, left, err := l.tally.Take(ctx, key, bud, now)
	if err != nil || ok {
		return true, 0
	}
	if bud.Rate <= 0 {
		return false, time.Hour
	}
	return false, time.Duration((1 - left) / bud.Rate * float64(time.Second))
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
	ok, wait := l.allowHere(key, bud, now)
	if ok && l.tally != nil {
		return l.shared(key, bud, now)
	}
	return ok, wait
}

// allowHere is Allow on this instance's bucket alone.
func (l *Limiter) allowHere(key string, bud Budget, now time.Time) (bool, time.Duration) {
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
	b.b = bud
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
	b, ok := l.buckets[key]
	if ok {
		b.tokens = min(float64(b.b.Burst), b.tokens+1)
	}
	l.mu.Unlock()
	if ok && l.tally != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		l.tally.Give(ctx, key)
	}
}

// evict drops the buckets that have refilled (forgetting them changes
// nothing) and, if that frees too little, arbitrary ones (map order is
// random) until an eighth of the room is free: a flood of new keys then
// pays for one scan per maxClients/8 of them, not one per key.
func (l *Limiter) evict(now time.Time) {
	for k, b := range l.buckets {
		b.refill(now)
		if b.tokens >= float64(b.b.Burst) {
			delete(l.buckets, k)
		}
	}
	keep := l.maxClients - max(l.maxClients/8, 1)
	for k := range l.buckets {
		if len(l.buckets) <= keep {
			break
		}
		delete(l.buckets, k)
	}
}

// Address is the key for a client at ip: the address itself, or for IPv6
// its /64, which one subscriber usually holds whole — a client that could
// pick any of 2^64 addresses would otherwise have as many budgets.
func Address(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Unmap().Is6() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// SetRetryAfter sets Retry-After to wait in whole seconds, at least one.
func SetRetryAfter(h http.Header, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	h.Set("Retry-After", strconv.Itoa(max(secs, 1)))
}

// TooMany answers 429 with Retry-After and msg as a small plain page,
// which no cache keeps.
func TooMany(w http.ResponseWriter, wait time.Duration, msg string) {
	h := w.Header()
	SetRetryAfter(h, wait)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusTooManyRequests)
	w.Write([]byte(msg + "\n"))
}
