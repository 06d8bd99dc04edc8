// Package jobs owns Dastan's background work. Every goroutine that
// outlives the call that started it (the rates fetcher, scheduled
// publishing, the trash purge, the speller, cache watchers) is started by
// a Runner, with a context the Runner cancels on Stop; Wait then waits for
// all of them, so the program closes its store only once no job can use it.
//
// Goroutines that live and die within one call (the importer's workers,
// a fetch of every bank at once) are not jobs: that call waits for them.
package jobs

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
)

// Runner starts background jobs and stops them together.
type Runner struct {
	ctx    context.Context
	cancel context.CancelFunc
	log    *slog.Logger
	wg     sync.WaitGroup

	mu      sync.Mutex
	stopped bool
	running map[string]int // job name -> how many are running, for the log
}

// New makes a Runner; its jobs run until Stop. A nil log means slog.Default.
func New(log *slog.Logger) *Runner {
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{ctx: ctx, cancel: cancel, log: log, running: map[string]int{}}
}

// Start runs fn in its own goroutine with a context that ends on Stop.
// fn must return soon after its context ends. After Stop, Start runs
// nothing: a job asked for during shutdown would outlive the store.
func (r *Runner) Start(name string, fn func(ctx context.Context)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		r.log.Debug("job not started: shutting down", "job", name)
		return
	}
	r.running[name]++
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer r.done(name)
		fn(r.ctx)
	}()
}

func (r *Runner) done(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[name]--; r.running[name] == 0 {
		delete(r.running, name)
	}
}

// Stop cancels every job's context; Start runs nothing after it. It may
// be called more than once.
func (r *Runner) Stop() {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
	r.cancel()
}

// Wait returns once every job started has returned; after Stop, that is
// soon. A job that keeps it waiting past patience is named in the log, so
// a stuck shutdown says what it waits on.
func (r *Runner) Wait() {
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(patience):
	}
	r.mu.Lock()
	names := slices.Sorted(maps.Keys(r.running))
	r.mu.Unlock()
	r.log.Warn("still waiting for background jobs to end", "jobs", names)
	<-done
}

// patience is how long Wait waits quietly.
const patience = 10 * time.Second
