package server

import (
	"context"
	"sync"
	"time"
)

// leaderJobs are the background jobs one instance runs for the whole
// cluster: they write to the shared store or ask outside services, and
// run once however many instances there are (the banks see one client).
func (s *Server) leaderJobs() map[string]func(context.Context) {
	jobs := map[string]func(context.Context){
		"scheduled publishing": s.publishScheduled,
		"trash purge":          func(ctx context.Context) { s.news.PurgeTrash(ctx, time.Hour) },
		"listing counts":       s.compactListingCounts,
	}
	if !s.cfg.RatesOffline {
		jobs["rates fetch"] = func(ctx context.Context) { s.fetcher.Run(ctx, s.cfg.RatesEvery) }
	}
	return jobs
}

// lead runs the leader's jobs until ctx ends, which is when this
// instance stops leading, and returns once they all have.
func (s *Server) lead(ctx context.Context) {
	s.leading.Store(true)
	defer s.leading.Store(false)
	s.log.Info("this instance runs the background jobs")
	var wg sync.WaitGroup
	for _, job := range s.leaderJobs() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job(ctx)
		}()
	}
	wg.Wait()
	if context.Cause(ctx) != nil {
		s.log.Info("this instance no longer runs the background jobs")
	}
}

// Leading reports whether this instance runs the background jobs now.
func (s *Server) Leading() bool { return s.leading.Load() }
