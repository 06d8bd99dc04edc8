package store

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
)

// On SQLite a search's work is this process's CPU: a few milliseconds a
// search, against a tenth of one for an article. When more searches come
// at once than the cores can run, each one that starts slows all the
// others, and database/sql hands a freed reader to a waiter picked at
// random, so a search could wait behind many that came after it: at 32
// searches at once on 2 cores, p99 was twice the mean wait. So searches
// enter the store a few at a time (two a core), in the order they came:
// a goroutine blocked sending on a full channel is woken first in,
// first out. Each then runs at nearly the speed of a search alone, the
// wait is the queue ahead of it, and other pages' reads never find all
// eight readers taken by searches. PostgreSQL runs searches on the
// database's own cores, which this instance cannot count, so it is not
// gated.

// searchGate lets searches into a SQLite store a few at a time, first
// come, first served.
type searchGate struct {
	slots chan struct{} // nil: no gate (PostgreSQL)
	in    atomic.Int64  // searches inside now
	most  atomic.Int64  // the most inside at once, for tests
}

// open makes the gate two searches a core wide.
func (g *searchGate) open() { g.slots = make(chan struct{}, 2*runtime.GOMAXPROCS(0)) }

// enter waits for a slot, in arrival order, or until ctx ends; leave
// gives the slot back.
func (g *searchGate) enter(ctx context.Context) (leave func(), err error) {
	if g.slots == nil {
		return func() {}, nil
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("store: search: waiting for its turn: %w", ctx.Err())
	}
	n := g.in.Add(1)
	for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
	}
	return func() {
		g.in.Add(-1)
		<-g.slots
	}, nil
}
