package auth

import (
	"context"
	"sync/atomic"
	"time"
)

// hashers bounds the argon2id hashes running at once: each takes 64 MiB
// for its duration, and thirty-two sign-ins at once took a server from
// 34 MB to 4 GB. A few callers may wait for a turn; past them, or after
// hashWait, a caller is refused at once and told to come back, so a
// flood is answered quickly instead of piling up.
type hashers struct {
	slots   chan struct{}
	waiting atomic.Int32
	queue   int32
}

// hashWait is the longest a caller waits for a hasher.
const hashWait = 2 * time.Second

func newHashers(n int) *hashers {
	return &hashers{slots: make(chan struct{}, n), queue: int32(4 * n)}
}

// acquire waits for a free hasher and returns its release; it fails with
// ErrBusy when too many already wait, or the wait is too long, and with
// ctx's error when the caller has gone.
func (h *hashers) acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-h.slots }
	select {
	case h.slots <- struct{}{}:
		return release, nil
	default:
	}
	if h.waiting.Add(1) > h.queue {
		h.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer h.waiting.Add(-1)
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
// taking a turn among the hashers.
func (s *Service) HashPassword(ctx context.Context, password string) (string, error) {
	release, err := s.hashers.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	s.stats.hashes.Add(1)
	return HashPassword(password, s.params)
}
