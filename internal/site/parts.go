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
type partsCache struct {
	mu sync.Mutex
	m  map[string]any
}

// partsKept bounds the parts kept between changes; past it all go.
const partsKept = 2048

// get returns the part named key for the minute holding now, making it
// with make when it is not kept. Errors are not kept.
func (c *partsCache) get(key string, now time.Time, make func() (any, error)) (any, error) {
	key = now.UTC().Truncate(time.Minute).Format("1504 ") + key
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := make()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= partsKept {
		c.m = map[string]any{}
	}
	c.m[key] = v
	c.mu.Unlock()
	return v, nil
}

// purge drops every part.
func (c *partsCache) purge() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
