package server

import (
	"context"
	"time"
)

// compactCountsEvery is how often the leader folds the listings' counts.
// PostgreSQL's writers add a row to a count for each statement that
// changes it (a save adds one to each of its listings), which a count
// would otherwise read on every listing page.
const compactCountsEvery = 10 * time.Minute

// compactListingCounts folds each listing's count into one row, now and
// then, until ctx ends (store.CompactListingCounts).
func (s *Server) compactListingCounts(ctx context.Context) {
	t := time.NewTicker(compactCountsEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.db.CompactListingCounts(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("compact listing counts", "err", err)
		}
	}
}
