package site

import (
	"sync"
	"time"

	"dastan/internal/metrics"
)

// PageCache keeps rendered public pages in memory. A write to the store
// purges the pages it touched (Site.Invalidate), on every instance.
// Entries also expire after ttl, which bounds staleness if a purge from
// another instance is missed.
type PageCache struct {
	enabled  bool
	maxBytes int
	ttl      time.Duration
	metrics  *metrics.Registry

	mu    sync.RWMutex
	gen   uint64
	items map[string]*cached
	order []string // insertion order, for eviction when full
	bytes int
}

type cached struct {
	resp    *response
	expires time.Time
}

// NewPageCache returns a cache holding at most maxBytes of pages.
func NewPageCache(enabled bool, maxBytes int, ttl time.Duration, m *metrics.Registry) *PageCache {
	c := &PageCache{enabled: enabled, maxBytes: maxBytes, ttl: ttl, metrics: m, items: map[string]*cached{}}
	m.Gauge("dastan_page_cache_bytes", func() float64 {
		c.mu.RLock()
		defer c.mu.RUnlock()
		return float64(c.bytes)
	})
	return c
}

// Get returns the cached page for key, if fresh.
func (c *PageCache) Get(key string, now time.Time) (*response, bool) {
	if !c.enabled {
		return nil, false
	}
	c.mu.RLock()
	e, ok := c.items[key]
	c.mu.RUnlock()
	if !ok || now.After(e.expires) {
		c.metrics.Add("dastan_page_cache_misses_total", 1)
		return nil, false
	}
	c.metrics.Add("dastan_page_cache_hits_total", 1)
	return e.resp, true
}

// Stale returns the page last cached for key even past its lifetime, and
// how old it is: the last good page, for readers while the store fails.
// (Expired pages stay until a purge or the size bound drops them.)
func (c *PageCache) Stale(key string, now time.Time) (*response, time.Duration, bool) {
	if !c.enabled {
		return nil, 0, false
	}
	c.mu.RLock()
	e, ok := c.items[key]
	c.mu.RUnlock()
	if !ok {
		return nil, 0, false
	}
	return e.resp, max(now.Sub(e.expires.Add(-c.ttl)), 0), true
}

// Generation returns a token to pass to Put: a page rendered before a
// purge must not be stored after it.
func (c *PageCache) Generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// Put stores a page rendered during generation gen (a copy of it, when
// its body is a render buffer the caller gives back).
func (c *PageCache) Put(key string, r *response, gen uint64, now time.Time) {
	if !c.enabled || len(r.body) > c.maxBytes/16 {
		return
	}
	r = r.owned()
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if old, ok := c.items[key]; ok {
		c.bytes -= len(old.resp.body)
	} else {
		c.order = append(c.order, key)
	}
	c.items[key] = &cached{resp: r, expires: now.Add(c.ttl)}
	c.bytes += len(r.body)
	for c.bytes > c.maxBytes && len(c.order) > 0 {
		k := c.order[0]
		c.order = c.order[1:]
		if e, ok := c.items[k]; ok {
			c.bytes -= len(e.resp.body)
			delete(c.items, k)
		}
	}
}

// PurgeWhere drops the pages whose about touched says yes. Pages being
// rendered meanwhile are not stored, as after Purge.
func (c *PageCache) PurgeWhere(touched func(about string) bool) {
	c.mu.Lock()
	c.gen++
	kept := c.order[:0]
	for _, k := range c.order {
		e, ok := c.items[k]
		if !ok {
			continue
		}
		if touched(e.resp.about) {
			c.bytes -= len(e.resp.body)
			delete(c.items, k)
			continue
		}
		kept = append(kept, k)
	}
	c.order = kept
	c.mu.Unlock()
	c.metrics.Add("dastan_page_cache_purges_total", 1)
}

// Purge empties the cache.
func (c *PageCache) Purge() {
	c.mu.Lock()
	c.gen++
	c.items = map[string]*cached{}
	c.order = nil
	c.bytes = 0
	c.mu.Unlock()
	c.metrics.Add("dastan_page_cache_purges_total", 1)
}

// newSearchCache is a page cache for search results, bounded to a few
// megabytes so that endless distinct queries never crowd out the pages
// of the site itself.
func newSearchCache(enabled bool, ttl time.Duration, m *metrics.Registry) *PageCache {
	return &PageCache{enabled: enabled, maxBytes: searchCacheMax, ttl: ttl, metrics: m, items: map[string]*cached{}}
}
