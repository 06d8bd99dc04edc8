package site

import (
	"sync"
	"time"
)

// partsCache keeps what many pages share — the front page's stories, an
// edition's newest, a section's newest for the rail — so that rendering
// a page the page cache does not hold (every article's first reader, or
// a site run without it) does not read them again. It is emptied on every
// change the store announces, and its keys carry the minute, so stories
// scheduled to appear do within a minute, as the page cache's copies do.
//
// When a part is missing, one request makes it and the others asking for
// it meanwhile wait for that one: at the turn of each minute every reader
// of the front page misses at once, and each making the part again would
// queue dozens of copies of the same reads behind each other.
type partsCache struct {
	mu       sync.Mutex
	m        map[string]any
	building map[string]*partBuild
	gen      uint64 // counts purges; a part made across one is not kept
}

// partBuild is a part being made, which others wait for.
type partBuild struct {
	done chan struct{}
	v    any
	err  error
}

// partsKept bounds the parts kept between changes; past it all go.
const partsKept = 2048

// get returns the part named key for the minute holding now, making it
// with build when it is not kept. Errors are not kept: a request that
// waited for a build that failed (its reader gone, say) makes it itself.
func (c *partsCache) get(key string, now time.Time, build func() (any, error)) (any, error) {
	key = minuteKey(key, now)
	c.mu.Lock()
	if v, ok := c.m[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	if b, ok := c.building[key]; ok {
		c.mu.Unlock()
		<-b.done
		if b.err == nil {
			return b.v, nil
		}
		return build()
	}
	b := &partBuild{done: make(chan struct{})}
	if c.building == nil {
		c.building = map[string]*partBuild{}
	}
	c.building[key] = b
	gen := c.gen
	c.mu.Unlock()

	b.v, b.err = build()
	c.mu.Lock()
	delete(c.building, key)
	// A change announced while the part was being made may not be in it:
	// hand it to those who waited, but keep it only if none came.
	if b.err == nil && gen == c.gen {
		if c.m == nil || len(c.m) >= partsKept {
			c.m = map[string]any{}
		}
		c.m[key] = b.v
	}
	c.mu.Unlock()
	close(b.done)
	return b.v, b.err
}

// purge drops every part, and keeps none being made now.
func (c *partsCache) purge() {
	c.mu.Lock()
	c.m = nil
	c.gen++
	c.mu.Unlock()
}

// minuteKey is key in the minute holding now.
func minuteKey(key string, now time.Time) string {
	return now.UTC().Truncate(time.Minute).Format("1504 ") + key
}

// generation is the count of purges so far: a part read from the store
// after it may be kept with keep.
func (c *partsCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// peek returns the part named key for the minute holding now, if kept.
// Pages that make many parts at once (a listing's items) peek at each,
// then make the missing ones together and keep them.
func (c *partsCache) peek(key string, now time.Time) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[minuteKey(key, now)]
	return v, ok
}

// keep keeps v as the part named key for the minute holding now, unless
// a purge came after generation gen, which v was made from.
func (c *partsCache) keep(key string, now time.Time, v any, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= partsKept {
		c.m = map[string]any{}
	}
	c.m[minuteKey(key, now)] = v
}
