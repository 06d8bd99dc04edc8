package site

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Readers who miss a part together wait for one making of it.
func TestPartsAreMadeOnceForThoseWhoAskTogether(t *testing.T) {
	var c partsCache
	now := time.Date(2026, 11, 29, 12, 0, 30, 0, time.UTC)
	var made atomic.Int32
	release := make(chan struct{})
	build := func() (any, error) {
		made.Add(1)
		<-release
		return "stories", nil
	}
	var wg sync.WaitGroup
	got := make([]any, 20)
	for i := range got {
		wg.Go(func() {
			v, err := c.get("home en", now, build)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	// Wait until the first reader is making the part and the others have
	// found it being made.
	for {
		c.mu.Lock()
		n := len(c.building)
		c.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the other readers reach the wait
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
	// Kept for the rest of the minute, made again in the next.
	if v, _ := c.get("home en", now.Add(20*time.Second), build); v != "stories" || made.Load() != 1 {
		t.Errorf("within the minute: %v, made %d times", v, made.Load())
	}
	release = make(chan struct{})
	close(release)
	c.get("home en", now.Add(time.Minute), build)
	if made.Load() != 2 {
		t.Errorf("the next minute's part was made %d times in all, want 2", made.Load())
	}
}

// A part being made when a change is announced goes to the readers who
// asked for it, but is not kept: the next reader gets one made after it.
func TestPartsMadeAcrossAPurgeAreNotKept(t *testing.T) {
	var c partsCache
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	first := c.getAfter(t, now, func() { c.purge() }, "before the change")
	if first != "before the change" {
		t.Fatalf("first reader got %v", first)
	}
	v, err := c.get("home en", now, func() (any, error) { return "after the change", nil })
	if err != nil || v != "after the change" {
		t.Errorf("after the purge: %v, %v", v, err)
	}
}

// getAfter gets the home part, running during (a purge, say) while the
// part is being made.
func (c *partsCache) getAfter(t *testing.T, now time.Time, during func(), value any) any {
	t.Helper()
	v, err := c.get("home en", now, func() (any, error) {
		during()
		return value, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A reader who waited for a making that failed makes the part itself.
func TestPartsWaitersMakeWhatFailed(t *testing.T) {
	var c partsCache
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	release := make(chan struct{})
	errGone := errors.New("the first reader went away")
	done := make(chan error)
	go func() {
		_, err := c.get("home en", now, func() (any, error) { <-release; return nil, errGone })
		done <- err
	}()
	for {
		c.mu.Lock()
		n := len(c.building)
		c.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	second := make(chan any)
	go func() {
		v, _ := c.get("home en", now, func() (any, error) { return "made by the second", nil })
		second <- v
	}()
	time.Sleep(20 * time.Millisecond)
	close(release)
	if err := <-done; !errors.Is(err, errGone) {
		t.Errorf("first reader: %v", err)
	}
	if v := <-second; v != "made by the second" {
		t.Errorf("second reader got %v", v)
	}
}

// A part made from reads that began before a purge is not kept: it may
// show what the change replaced.
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
	if _, ok := c.peek("item en 7", now.Add(time.Minute)); ok {
		t.Error("a part outlived its minute")
	}
}
