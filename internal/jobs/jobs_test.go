package jobs_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"dastan/internal/jobs"
)

// events is an ordered record, safe to append to from jobs.
type events struct {
	mu   sync.Mutex
	list []string
}

func (e *events) add(s string)  { e.mu.Lock(); e.list = append(e.list, s); e.mu.Unlock() }
func (e *events) get() []string { e.mu.Lock(); defer e.mu.Unlock(); return slices.Clone(e.list) }

// Stop ends every job's context, and Wait returns only after every job
// has finished what it does on the way out.
func TestStopCancelsAndWaitWaits(t *testing.T) {
	r := jobs.New(nil)
	var ev events
	started := make(chan struct{})
	for _, name := range []string{"a", "b", "c"} {
		r.Start(name, func(ctx context.Context) {
			started <- struct{}{}
			<-ctx.Done()
			// Work after cancellation, as a job finishing a write does.
			for range 1000 {
				select {
				case <-ctx.Done():
				default:
					t.Error("the context ended, then came back")
				}
			}
			ev.add(name + " ended")
		})
	}
	for range 3 {
		<-started // each is running, blocked on its context
	}
	r.Stop()
	r.Wait()
	ev.add("waited")
	got := ev.get()
	if len(got) != 4 || got[3] != "waited" {
		t.Fatalf("events %q: Wait returned before every job ended", got)
	}
}

// After Stop nothing starts: a job asked for during shutdown would
// outlive what it uses.
func TestNoStartAfterStop(t *testing.T) {
	r := jobs.New(nil)
	r.Stop()
	ran := make(chan struct{}, 1)
	r.Start("late", func(context.Context) { ran <- struct{}{} })
	r.Wait()
	select {
	case <-ran:
		t.Fatal("a job started after Stop")
	default:
	}
	r.Stop() // twice is fine
}
