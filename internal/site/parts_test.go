package site

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// constant is a build that makes v.
func constant(v any) func(context.Context) (any, error) {
	return func(context.Context) (any, error) { return v, nil }
}

// waitBuilding waits until n parts are being made.
func (c *partsCache) waitBuilding(n int) {
	for {
		c.mu.RLock()
		got := len(c.building)
		c.mu.RUnlock()
		if got == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// waitWaiting waits until n readers wait for the making of the part
// named key, failing t when they do not come in a generous while (they
// are making it themselves instead).
func (c *partsCache) waitWaiting(t *testing.T, key string, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) {
		c.mu.RLock()
		got := 0
		if b := c.building[key]; b != nil {
			got = b.waiting
		}
		c.mu.RUnlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d readers wait for the making of %s, want %d", got, key, n)
		}
	}
}

// Readers who miss a part together wait for one making of it.
func TestPartsAreMadeOnceForThoseWhoAskTogether(t *testing.T) {
	var c partsCache
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 12, 0, 30, 0, time.UTC)
	var made atomic.Int32
	release := make(chan struct{})
	build := func(context.Context) (any, error) {
		made.Add(1)
		<-release
		return "stories", nil
	}
	var wg sync.WaitGroup
	got := make([]any, 20)
	for i := range got {
		wg.Go(func() {
			v, err := c.get(ctx, "home en", now, build)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	// Wait until the first reader is making the part and the others have
	// found it being made.
	c.waitWaiting(t, "home en", len(got)-1)
	close(release)
	wg.Wait()
	if n := made.Load(); n != 1 {
		t.Errorf("the part was made %d times for 20 readers at once", n)
	}
	for i, v := range got {
		if v != "stories" {
			t.Errorf("reader %d got %v", i, v)
		}
	}
	// Kept for the rest of the minute.
	if v, _ := c.get(ctx, "home en", now.Add(20*time.Second), build); v != "stories" || made.Load() != 1 {
		t.Errorf("within the minute: %v, made %d times", v, made.Load())
	}
}

// At the turn of the minute readers keep getting the last minute's part
// without waiting, while one making of the new minute's runs; once made,
// it is the one served.
func TestPartsAreRemadeBehindReadersAtTheMinute(t *testing.T) {
	var c partsCache
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 12, 0, 30, 0, time.UTC)
	if _, err := c.get(ctx, "home en", now, constant("12:00")); err != nil {
		t.Fatal(err)
	}
	next := now.Add(time.Minute)
	var made atomic.Int32
	release, finished := make(chan struct{}), make(chan struct{})
	build := func(ctx context.Context) (any, error) {
		defer close(finished)
		made.Add(1)
		<-release
		return "12:01", ctx.Err()
	}
	reqCtx, cancel := context.WithCancel(ctx)
	for i := range 20 {
		// Each reader is answered while the making waits to be released.
		if v, err := c.get(reqCtx, "home en", next, build); err != nil || v != "12:00" {
			t.Fatalf("reader %d at the turn: %v, %v", i, v, err)
		}
	}
	cancel() // the reader that started the making has gone; the making goes on
	close(release)
	<-finished
	c.waitBuilding(0)
	if n := made.Load(); n != 1 {
		t.Errorf("the new minute's part was made %d times for 20 readers", n)
	}
	if v, _ := c.get(ctx, "home en", next, constant("made again")); v != "12:01" {
		t.Errorf("after the making: %v", v)
	}
}

// A part older than the minute before is not served: readers wait for a
// new one, as for a missing one.
func TestPartsOlderThanAMinuteAreNotServed(t *testing.T) {
	var c partsCache
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 12, 0, 30, 0, time.UTC)
	c.get(ctx, "home en", now, constant("12:00"))
	if v, _ := c.get(ctx, "home en", now.Add(2*time.Minute), constant("12:02")); v != "12:02" {
		t.Errorf("two minutes on: %v", v)
	}
	// Nor is a later minute's part served to a reader whose clock says
	// earlier.
	if v, _ := c.get(ctx, "home en", now, constant("12:00 again")); v != "12:00 again" {
		t.Errorf("back at 12:00: %v", v)
	}
}

// A part being made when a change is announced goes to the readers who
// asked for it, but is not kept: the next reader gets one made after it.
func TestPartsMadeAcrossAPurgeAreNotKept(t *testing.T) {
	var c partsCache
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	first, err := c.get(ctx, "home en", now, func(context.Context) (any, error) {
		c.purge()
		return "before the change", nil
	})
	if err != nil || first != "before the change" {
		t.Fatalf("first reader got %v, %v", first, err)
	}
	v, err := c.get(ctx, "home en", now, constant("after the change"))
	if err != nil || v != "after the change" {
		t.Errorf("after the purge: %v, %v", v, err)
	}
}

// A reader who comes after a change does not wait for a making that
// began before it, nor get the last minute's part: it makes its own.
func TestPartsReadersAfterAPurgeGetNothingFromBefore(t *testing.T) {
	for _, stale := range []bool{false, true} {
		t.Run(fmt.Sprintf("kept from the minute before %t", stale), func(t *testing.T) {
			var c partsCache
			ctx := context.Background()
			now := time.Date(2026, 11, 29, 12, 0, 30, 0, time.UTC)
			if stale {
				c.get(ctx, "home en", now.Add(-time.Minute), constant("11:59"))
			}
			release := make(chan struct{})
			done := make(chan any, 1)
			go func() {
				v, _ := c.get(ctx, "home en", now, func(context.Context) (any, error) { <-release; return "before the change", nil })
				done <- v
			}()
			c.waitBuilding(1)
			c.purge()
			if v, _ := c.get(ctx, "home en", now, constant("after the change")); v != "after the change" {
				t.Errorf("a reader after the change got %v", v)
			}
			close(release)
			want := "before the change" // made by the reader
			if stale {
				want = "11:59" // given at once, made again behind it
			}
			if v := <-done; v != want {
				t.Errorf("the first reader got %v, want %v", v, want)
			}
			c.waitBuilding(0)
			if v, _ := c.get(ctx, "home en", now, constant("made again")); v != "after the change" {
				t.Errorf("kept: %v", v)
			}
		})
	}
}

// A reader who waited for a making that failed makes the part itself.
func TestPartsWaitersMakeWhatFailed(t *testing.T) {
	var c partsCache
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	release := make(chan struct{})
	errGone := errors.New("the first reader went away")
	done := make(chan error)
	go func() {
		_, err := c.get(ctx, "home en", now, func(context.Context) (any, error) { <-release; return nil, errGone })
		done <- err
	}()
	c.waitBuilding(1)
	second := make(chan any)
	go func() {
		v, _ := c.get(ctx, "home en", now, constant("made by the second"))
		second <- v
	}()
	c.waitWaiting(t, "home en", 1)
	close(release)
	if err := <-done; !errors.Is(err, errGone) {
		t.Errorf("first reader: %v", err)
	}
	if v := <-second; v != "made by the second" {
		t.Errorf("second reader got %v", v)
	}
}

// A part made from reads that began before a purge is not kept: it may
// show what the change replaced. A lasting part is kept past its minute,
// until a purge.
func TestPartsKeptOnlyFromTheirGeneration(t *testing.T) {
	var c partsCache
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	gen := c.generation()
	c.purge() // a write lands while the part is being made
	c.keep("item en 7", now, "before the change", gen)
	if v, ok := c.peek("item en 7", now); ok {
		t.Errorf("a part made across a purge was kept: %v", v)
	}
	c.keep("item en 7", now, "after the change", c.generation())
	if v, ok := c.peek("item en 7", now); !ok || v != "after the change" {
		t.Errorf("peek = %v, %v", v, ok)
	}
	if v, ok := c.peek("item en 7", now.Add(time.Hour)); !ok || v != "after the change" {
		t.Errorf("an hour on: peek = %v, %v", v, ok)
	}
	c.purge()
	if _, ok := c.peek("item en 7", now); ok {
		t.Error("a part outlived a purge")
	}
}

// A lasting part is made once for those who ask together, and not kept
// when its reads began before a purge.
func TestPartsLastingAreMadeOnce(t *testing.T) {
	var c partsCache
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	var made atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			v, err := c.made("nav en", now, c.generation(), func() (any, error) {
				made.Add(1)
				<-release
				return "bar", nil
			})
			if err != nil || v != "bar" {
				t.Errorf("got %v, %v", v, err)
			}
		})
	}
	c.waitWaiting(t, "nav en", 9)
	close(release)
	wg.Wait()
	if n := made.Load(); n != 1 {
		t.Errorf("made %d times for 10 readers at once", n)
	}
	gen := c.generation()
	c.purge()
	if v, _ := c.made("nav en", now, gen, func() (any, error) { return "read before the change", nil }); v != "read before the change" {
		t.Errorf("got %v", v)
	}
	if _, ok := c.peek("nav en", now); ok {
		t.Error("a part read before a purge was kept")
	}
}

// Past partsKept, the parts no one read lately go and those read stay.
func TestPartsTrimmedByUse(t *testing.T) {
	var c partsCache
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	c.keep("nav en", now, "bar", c.generation())
	for i := range partsKept - 1 {
		c.keep(itemKey("en", int64(i)), now, "item", c.generation())
	}
	later := now.Add(10 * time.Minute)
	c.peek("nav en", later) // read all along
	c.keep(itemKey("en", partsKept), later, "item", c.generation())
	for _, key := range []string{"nav en", itemKey("en", partsKept)} {
		if _, ok := c.peek(key, later); !ok {
			t.Errorf("%s, read this minute, was dropped", key)
		}
	}
	if _, ok := c.peek(itemKey("en", 0), later); ok {
		t.Error("a part no one read for ten minutes was kept")
	}
	// When all were read lately, half go.
	for i := range 2 * partsKept {
		c.keep(itemKey("ru", int64(i)), later, "item", c.generation())
	}
	c.mu.RLock()
	n := len(c.m)
	c.mu.RUnlock()
	if n > partsKept || n < partsKept/4 {
		t.Errorf("%d parts kept, bound %d", n, partsKept)
	}
}
