package server

import (
	"context"
	"time"
)

// publishScheduled wakes when the next scheduled article is due (or each
// minute, to notice new schedules) and marks due articles published, which
// empties the page caches. Readers' queries already show due articles by
// their time, so a late wake-up never hides one from a fresh page.
func (s *Server) publishScheduled(ctx context.Context) {
	for {
		now := s.now()
		if n, err := s.db.PublishDue(ctx, now); err != nil {
			s.log.Error("publishing scheduled articles", "err", err)
		} else if n > 0 {
			s.log.Info("published scheduled articles", "count", n)
		}
		wait := time.Minute
		if next, ok, err := s.db.NextScheduled(ctx, now); err == nil && ok && next.Sub(now) < wait {
			wait = next.Sub(now) + 50*time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
