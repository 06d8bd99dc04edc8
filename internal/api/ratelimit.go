package api

import (
	"time"

	"dastan/internal/ratelimit"
)

// Budget is a token bucket: Burst requests at once, refilled at Rate
// requests a second.
type Budget = ratelimit.Budget

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

// allow spends one request of key's budget, a token's or an address's;
// when there is none left it says how long until there is.
func (a *API) allow(key string, token bool) (bool, time.Duration) {
	if token {
		return a.limiter.Allow(key, a.limits.Token)
	}
	return a.limiter.Allow(key, a.limits.Anonymous)
}
