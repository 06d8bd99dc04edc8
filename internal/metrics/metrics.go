// Package metrics counts requests, their latency and page-cache use, and
// writes them in Prometheus's text format for /metrics.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// buckets are the latency histogram's upper bounds, in seconds.
var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// Registry holds Dastan's counters. It is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	requests map[[2]string]*atomic.Int64 // route, status class
	hist     map[string]*histogram       // route
	counters map[string]*atomic.Int64
	gauges   map[string]func() float64
	start    time.Time
}

type histogram struct {
	counts []atomic.Int64
	sumNs  atomic.Int64
	n      atomic.Int64
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		requests: map[[2]string]*atomic.Int64{},
		hist:     map[string]*histogram{},
		counters: map[string]*atomic.Int64{},
		gauges:   map[string]func() float64{},
		start:    time.Now(),
	}
}

// ObserveRequest records one answered request. Every request comes here,
// so the series it counts in are looked up under a read lock, and made
// under the lock only the first time.
func (r *Registry) ObserveRequest(route string, status int, d time.Duration) {
	class := statusClass(status)
	r.mu.RLock()
	c, ok := r.requests[[2]string{route, class}]
	h, hok := r.hist[route]
	r.mu.RUnlock()
	if !ok || !hok {
		r.mu.Lock()
		if c, ok = r.requests[[2]string{route, class}]; !ok {
			c = new(atomic.Int64)
			r.requests[[2]string{route, class}] = c
		}
		if h, ok = r.hist[route]; !ok {
			h = &histogram{counts: make([]atomic.Int64, len(buckets))}
			r.hist[route] = h
		}
		r.mu.Unlock()
	}
	c.Add(1)
	s := d.Seconds()
	for i, b := range buckets {
		if s <= b {
			h.counts[i].Add(1)
		}
	}
	h.sumNs.Add(int64(d))
	h.n.Add(1)
}

// statusClass is "2xx" for 200 and the like.
func statusClass(status int) string {
	if status >= 100 && status < 600 {
		return [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}[status/100-1]
	}
	return fmt.Sprintf("%dxx", status/100)
}

// Add increases the named counter (e.g. dastan_page_cache_hits_total).
// The name may carry labels, dastan_rates_jumps_held_total{currency="KZT"}:
// each label set is its own series of one family.
func (r *Registry) Add(name string, n int64) {
	r.mu.RLock()
	c, ok := r.counters[name]
	r.mu.RUnlock()
	if !ok {
		r.mu.Lock()
		if c, ok = r.counters[name]; !ok {
			c = new(atomic.Int64)
			r.counters[name] = c
		}
		r.mu.Unlock()
	}
	c.Add(n)
}

// Gauge registers a value read at each scrape.
func (r *Registry) Gauge(name string, fn func() float64) {
	r.mu.Lock()
	r.gauges[name] = fn
	r.mu.Unlock()
}

// WriteTo writes every metric in Prometheus text format.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	p := func(format string, a ...any) {
		k, _ := fmt.Fprintf(w, format, a...)
		n += int64(k)
	}
	p("# HELP dastan_http_requests_total HTTP requests answered, by route and status class.\n# TYPE dastan_http_requests_total counter\n")
	keys := make([][2]string, 0, len(r.requests))
	for k := range r.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		p("dastan_http_requests_total{route=%q,code=%q} %d\n", k[0], k[1], r.requests[k].Load())
	}
	p("# HELP dastan_http_request_duration_seconds Time to answer a request.\n# TYPE dastan_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(r.hist))
	for k := range r.hist {
		routes = append(routes, k)
	}
	sort.Strings(routes)
	for _, route := range routes {
		h := r.hist[route]
		for i, b := range buckets {
			p("dastan_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", route, b, h.counts[i].Load())
		}
		p("dastan_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, h.n.Load())
		p("dastan_http_request_duration_seconds_sum{route=%q} %g\n", route, float64(h.sumNs.Load())/1e9)
		p("dastan_http_request_duration_seconds_count{route=%q} %d\n", route, h.n.Load())
	}
	family := ""
	for _, name := range byFamily(r.counters) {
		if f := familyOf(name); f != family {
			family = f
			p("# TYPE %s counter\n", f)
		}
		p("%s %d\n", name, r.counters[name].Load())
	}
	for _, name := range byFamily(r.gauges) {
		if f := familyOf(name); f != family {
			family = f
			p("# TYPE %s gauge\n", f)
		}
		p("%s %g\n", name, r.gauges[name]())
	}
	p("# TYPE dastan_uptime_seconds gauge\ndastan_uptime_seconds %g\n", time.Since(r.start).Seconds())
	return n, nil
}

// familyOf is a series' metric name without its labels.
func familyOf(series string) string {
	f, _, _ := strings.Cut(series, "{")
	return f
}

// byFamily lists a map's series, those of one family together.
func byFamily[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if fi, fj := familyOf(names[i]), familyOf(names[j]); fi != fj {
			return fi < fj
		}
		return names[i] < names[j]
	})
	return names
}
