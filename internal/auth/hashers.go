package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// hashers bounds the argon2id hashes running at once: each takes 64 MiB
// for its duration, and thirty-two sign-ins at once took a server from
// 34 MB to 4 GB. A few callers may wait for a turn; past them, or after
// hashWait, a caller is refused at once and told to come back, so a
// flood is answered quickly instead of piling up.
//
// Callers wait in two lines: sign-ins from addresses that signed in
// lately go first, so that a flood from addresses never seen before
// (a botnet) does not lock the newsroom out.
type hashers struct {
	mu    sync.Mutex
	free  int
	lines [2][]chan struct{} // waiting callers: [0] others, [1] known addresses, served first
	queue int                // the longest each line may grow
}

// hashWait is the longest a caller waits for a hasher.
const hashWait = 2 * time.Second

func newHashers(n int) *hashers {
	return &hashers{free: n, queue: 4 * n}
}

// acquire waits for a free hasher, in the first line when first is set,
// and returns its release; it fails with ErrBusy when the line is full or
// the wait too long, and with ctx's error when the caller has gone.
func (h *hashers) acquire(ctx context.Context, first bool) (release func(), err error) {
	h.mu.Lock()
	if h.free > 0 {
		h.free--
		h.mu.Unlock()
		return h.release, nil
	}
	line := 0
	if first {
		line = 1
	}
	if len(h.lines[line]) >= h.queue {
		h.mu.Unlock()
		return nil, ErrBusy
	}
	turn := make(chan struct{}, 1) // release hands the hasher over by sending
	h.lines[line] = append(h.lines[line], turn)
	h.mu.Unlock()
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case <-turn:
		return h.release, nil
	case <-t.C:
		err = ErrBusy
	case <-ctx.Done():
		err = ctx.Err()
	}
	h.mu.Lock()
	left := h.leave(line, turn)
	h.mu.Unlock()
	if !left { // the hasher was handed over as the wait ended: pass it on
		<-turn
		h.release()
	}
	return nil, err
}

// leave takes turn out of its line; false when it was no longer there.
func (h *hashers) leave(line int, turn chan struct{}) bool {
	for i, c := range h.lines[line] {
		if c == turn {
			h.lines[line] = append(h.lines[line][:i], h.lines[line][i+1:]...)
			return true
		}
	}
	return false
}

// release hands the hasher to the first caller waiting, known addresses'
// line first, or frees it.
func (h *hashers) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for line := 1; line >= 0; line-- {
		if q := h.lines[line]; len(q) > 0 {
			h.lines[line] = q[1:]
			q[0] <- struct{}{}
			return
		}
	}
	h.free++
}

// waiting is how many callers wait in each line.
func (h *hashers) waiting() (others, known int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.lines[0]), len(h.lines[1])
}

// knownAddresses remembers, in memory, the client addresses a sign-in
// succeeded from in the last knownFor, at most maxKnown of them.
type knownAddresses struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

const (
	knownFor = 30 * 24 * time.Hour
	maxKnown = 10000
)

func (k *knownAddresses) add(ip string, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.seen == nil {
		k.seen = map[string]time.Time{}
	}
	if _, ok := k.seen[ip]; !ok && len(k.seen) >= maxKnown {
		for a, t := range k.seen { // forget the stale, or else any one
			if now.Sub(t) > knownFor || len(k.seen) >= maxKnown {
				delete(k.seen, a)
			}
		}
	}
	k.seen[ip] = now
}

func (k *knownAddresses) has(ip string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	t, ok := k.seen[ip]
	return ok && now.Sub(t) <= knownFor
}

// stats count what sign-in has done since start.
type stats struct {
	hashes, throttled, busy atomic.Int64
}

// Stats are counts of what sign-in has done since the service started.
type Stats struct {
	Hashes    int64 // passwords hashed or checked
	Throttled int64 // attempts refused for an address's or account's count
	Busy      int64 // attempts refused because every hasher was taken
}

// Stats returns what sign-in has done so far.
func (s *Service) Stats() Stats {
	return Stats{Hashes: s.stats.hashes.Load(), Throttled: s.stats.throttled.Load(), Busy: s.stats.busy.Load()}
}

// HashPassword hashes a new password with the service's parameters,
// taking a turn among the hashers (the first line: the caller is signed
// in, or holds a reset link).
func (s *Service) HashPassword(ctx context.Context, password string) (string, error) {
	release, err := s.hashers.acquire(ctx, true)
	if err != nil {
		return "", err
	}
	defer release()
	s.stats.hashes.Add(1)
	return HashPassword(password, s.params)
}
