package api

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

// Limits are the API's request budgets per client: an address for
// anonymous callers, a token for staff.
type Limits struct {
	Anonymous  Budget
	Token      Budget
	MaxClients int // buckets kept in memory; idle ones are dropped first
}

// DefaultLimits allow a reader's app a page of requests at once and two a
// second after, and a newsroom's integration ten times that.
var DefaultLimits = Limits{
	Anonymous:  Budget{Rate: 2, Burst: 120},
	Token:      Budget{Rate: 20, Burst: 600},
	MaxClients: 10000,
}

type bucket struct {
	tokens float64
	last   time.Time
	b      Budget
}

// limiter keeps one bucket per client in memory. Each instance counts for
// itself: behind a load balancer a client's budget is per instance.
type limiter struct {
	mu      sync.Mutex
	limits  Limits
	now     func() time.Time
	buckets map[string]*bucket
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	if l.MaxClients <= 0 {
		l.MaxClients = DefaultLimits.MaxClients
	}
	return &limiter{limits: l, now: now, buckets: map[string]*bucket{}}
}

func (b *bucket) refill(now time.Time) {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(float64(b.b.Burst), b.tokens+el*b.b.Rate)
	}
	b.last = now
}

// allow spends one request of key's budget; when there is none left it
// says how long until there is.
func (l *limiter) allow(key string, token bool) (bool, time.Duration) {
	bud := l.limits.Anonymous
	if token {
		bud = l.limits.Token
	}
	if bud.Burst <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.limits.MaxClients {
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

// evict drops the buckets that have refilled (forgetting them changes
// nothing), or else one arbitrary bucket, so the map stays bounded.
func (l *limiter) evict(now time.Time) {
	var any string
	for k, b := range l.buckets {
		any = k
		b.refill(now)
		if b.tokens >= float64(b.b.Burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.limits.MaxClients {
		delete(l.buckets, any)
	}
}
