package main

import (
	"runtime/debug"

	"dastan/internal/site"
)

// Go's collector, as serve sets it. A page allocates 100–140 KB that is
// garbage once written, while what the server keeps between requests is
// small (13 MB live at 100,000 articles, the page cache off): with Go's
// default (GOGC=100) the collector ran ten times a second at 2,000 pages
// a second, took 7–10 % of the CPU, and its marking slowed the requests
// running beside it (their p99). So serve lets the heap grow to five times
// what is live between collections, and bounds the runtime's memory, so
// that a larger live heap (a full page cache, say) is collected sooner
// rather than grow past what a small machine keeps resident.
const (
	serveGCPercent = 400
	// serveMemoryLimit is the runtime's bound without the page cache;
	// the page cache's own budget is added when it is on.
	// At 96 MiB the 100,000-post archive's server was 193 MB resident
	// after its searches (SQLite's caches and the binary are the other
	// 90); at 64 MiB, 170 MB, under the 200 MB a million articles must
	// keep to, with a third more collections than at 96.
	serveMemoryLimit = 64 << 20
)

// collector is the collector's settings for serve: GOGC and GOMEMLIMIT
// from the environment where set there (setGC, setLimit false), else
// serve's own.
func collector(getenv func(string) string, pageCache bool) (gcPercent int, limit int64, setGC, setLimit bool) {
	gcPercent, limit = serveGCPercent, serveMemoryLimit
	if pageCache {
		limit += site.PageCacheBudget
	}
	return gcPercent, limit, getenv("GOGC") == "", getenv("GOMEMLIMIT") == ""
}

// tuneCollector applies collector's settings to this process.
func tuneCollector(getenv func(string) string, pageCache bool) {
	gcPercent, limit, setGC, setLimit := collector(getenv, pageCache)
	if setGC {
		debug.SetGCPercent(gcPercent)
	}
	if setLimit {
		debug.SetMemoryLimit(limit)
	}
}
