package site

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// partsCache keeps what many pages share, so that rendering a page the
// page cache does not hold (every article's first reader, or a site run
// without it) does not read or render it again. Parts are of two kinds:
//
//   - timely parts (get): stories chosen by the clock — the front page's,
//     the rail's newest, an article's related stories — which a story
//     scheduled for now joins. Each is made for a minute. In the next
//     minute its readers keep being served it while one goroutine makes
//     the new minute's in the background: at the turn of every minute all
//     readers of a page would otherwise wait together for its remaking.
//     A part older than the minute before is not served; readers wait.
//   - lasting parts (made, peek and keep): what is rendered from stories
//     already chosen — the rail's HTML, the sections bar, a listing's
//     items — which only a write changes.
//
// Every change the store announces empties it (purge): readers after it
// wait for parts made after it, and a part whose reads began before it is
// handed to those who waited for it but never kept. When a part is
// missing, one request makes it and the others asking meanwhile wait for
// that one rather than make it too.
type partsCache struct {
	mu       sync.RWMutex
	m        map[string]*part
	building map[string]*partBuild
	gen      uint64 // counts purges; a part made across one is not kept
}

// part is one kept part.
type part struct {
	v      any
	minute int64        // the minute a timely part is for (Unix minutes); 0 for lasting parts
	used   atomic.Int64 // the last minute a reader had it, for trim
}

// partBuild is a part being made, which others wait for.
type partBuild struct {
	done   chan struct{}
	minute int64 // as part.minute
	used   int64 // the minute it was asked for in
	v      any
	err    error
	// waiting counts the readers who came to wait for it (under the
	// cache's mu): tests wait for them all to be waiting.
	waiting int
}

// partsKept bounds the parts kept between changes; past it, the parts
// no one read in this minute or the last go, and half of the rest when
// that is not enough.
const partsKept = 2048

// remakeTimeout bounds a timely part's remaking in the background, which
// no reader's request bounds.
const remakeTimeout = 30 * time.Second

// unixMinute numbers the minute holding t.
func unixMinute(t time.Time) int64 { return t.Unix() / 60 }

// get returns the timely part named key for the minute holding now,
// making it with build when it is not kept. Readers of the minute after
// the one it was made for are given it while it is made again in the
// background; build must then not depend on the request's context being
// alive (it is given one of its own, bounded by remakeTimeout). Errors
// are not kept: a request that waited for a making that failed makes the
// part itself.
func (c *partsCache) get(ctx context.Context, key string, now time.Time, build func(context.Context) (any, error)) (any, error) {
	minute := unixMinute(now)
	c.mu.RLock()
	p, ok := c.m[key]
	c.mu.RUnlock()
	switch {
	case ok && p.minute == minute:
		p.touch(minute)
		return p.v, nil
	case ok && p.minute == minute-1:
		p.touch(minute)
		c.remake(ctx, key, minute, build)
		return p.v, nil
	}
	return c.make(ctx, key, minute, minute, c.generation(), build)
}

// made returns the lasting part named key, making it with build when it
// is not kept. gen is the generation read before what build renders was
// read (a rail's stories, say): a part made from reads begun before a
// purge is not kept.
func (c *partsCache) made(key string, now time.Time, gen uint64, build func() (any, error)) (any, error) {
	if v, ok := c.peek(key, now); ok {
		return v, nil
	}
	return c.make(context.Background(), key, 0, unixMinute(now), gen, func(context.Context) (any, error) { return build() })
}

// make makes the part named key for minute (0: a lasting part) in the
// minute used, or waits for the making under way.
func (c *partsCache) make(ctx context.Context, key string, minute, used int64, gen uint64, build func(context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	if p, ok := c.m[key]; ok && p.minute == minute {
		c.mu.Unlock()
		p.touch(used)
		return p.v, nil
	}
	if b, ok := c.building[key]; ok && b.minute == minute {
		b.waiting++
		c.mu.Unlock()
		<-b.done
		if b.err == nil {
			return b.v, nil
		}
		return build(ctx)
	}
	b := c.start(key, minute, used)
	c.mu.Unlock()
	v, err := build(ctx)
	c.finish(key, b, gen, v, err)
	return v, err
}

// remake makes the timely part named key for minute in the background,
// unless it is being made.
func (c *partsCache) remake(ctx context.Context, key string, minute int64, build func(context.Context) (any, error)) {
	c.mu.Lock()
	if _, ok := c.building[key]; ok {
		c.mu.Unlock()
		return
	}
	b := c.start(key, minute, minute)
	gen := c.gen
	c.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), remakeTimeout)
		defer cancel()
		v, err := build(ctx)
		c.finish(key, b, gen, v, err)
	}()
}

// start notes that key is being made for minute, in the minute used;
// c.mu is held.
func (c *partsCache) start(key string, minute, used int64) *partBuild {
	b := &partBuild{done: make(chan struct{}), minute: minute, used: used}
	if c.building == nil {
		c.building = map[string]*partBuild{}
	}
	c.building[key] = b
	return b
}

// finish hands the made part to those who waited for it, and keeps it
// unless a purge came after generation gen, which it was made from.
func (c *partsCache) finish(key string, b *partBuild, gen uint64, v any, err error) {
	b.v, b.err = v, err
	c.mu.Lock()
	if c.building[key] == b {
		delete(c.building, key)
	}
	if err == nil && gen == c.gen {
		c.put(key, b.minute, b.used, v)
	}
	c.mu.Unlock()
	close(b.done)
}

// put keeps v as the part named key for minute, asked for in the minute
// used, unless a later minute's is kept; c.mu is held.
func (c *partsCache) put(key string, minute, used int64, v any) {
	if c.m == nil {
		c.m = map[string]*part{}
	}
	old, ok := c.m[key]
	if ok && old.minute > minute {
		return
	}
	if !ok && len(c.m) >= partsKept {
		c.trim()
	}
	p := &part{v: v, minute: minute}
	p.used.Store(used)
	c.m[key] = p
}

// trim drops the parts no reader had in the last minute or two, and
// half of the rest, whichever they are, when that leaves the cache full
// (a crawler reading a part of each story, say); c.mu is held.
func (c *partsCache) trim() {
	var latest int64
	for _, p := range c.m {
		latest = max(latest, p.used.Load())
	}
	for k, p := range c.m {
		if p.used.Load() < latest-1 {
			delete(c.m, k)
		}
	}
	if len(c.m) < partsKept {
		return
	}
	for k := range c.m { // in the map's own order, which is not the keys'
		if len(c.m) < partsKept/2 {
			break
		}
		delete(c.m, k)
	}
}

// touch notes that a reader had the part in minute.
func (p *part) touch(minute int64) {
	if p.used.Load() < minute {
		p.used.Store(minute)
	}
}

// purge drops every part. Parts being made now are neither kept nor
// waited for by readers who come after it.
func (c *partsCache) purge() {
	c.mu.Lock()
	c.m = nil
	c.building = nil
	c.gen++
	c.mu.Unlock()
}

// generation is the count of purges so far: a part read from the store
// after it may be kept with keep.
func (c *partsCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// peek returns the lasting part named key, if kept. Pages that make many
// parts at once (a listing's items) peek at each, then make the missing
// ones together and keep them.
func (c *partsCache) peek(key string, now time.Time) (any, bool) {
	c.mu.RLock()
	p, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || p.minute != 0 {
		return nil, false
	}
	p.touch(unixMinute(now))
	return p.v, true
}

// keep keeps v as the lasting part named key, asked for at now, unless a
// purge came after generation gen, which v was made from.
func (c *partsCache) keep(key string, now time.Time, v any, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.put(key, 0, unixMinute(now), v)
	}
}
