package site

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/ratelimit"
	"dastan/internal/store"
)

// Reads are counted in memory as readers' pages report them, and added
// to the store's hourly counts every readsFlushEvery, so a read costs a
// map increment and the store one transaction a flush per instance.
const (
	readsFlushEvery = 30 * time.Second
	// readersKept bounds the addresses remembered within an hour, so one
	// reader reloading a page counts once; past it, reads count without
	// being remembered.
	readersKept = 200_000
	// mostReadSize is how many stories a most-read list shows; the store
	// is asked for more, so that each edition has its own in its
	// language.
	mostReadSize  = 5
	mostReadAsked = 40
)

// readCounter holds the reads not yet in the store and the lists of the
// most read, which pages read from memory.
type readCounter struct {
	mu      sync.Mutex
	pending map[int64]int
	seen    map[string]bool // address and article, this hour
	hour    time.Time
	lists   atomic.Pointer[mostRead]
	gens    atomic.Uint64 // counts the lists read, for mostRead.gen
}

// mostRead is what the store counted over the last day and week.
type mostRead struct {
	Day, Week []store.ReadCount
	gen       uint64 // which reading of the store this is: it names them in the rail's key
	// editions are Day's and Week's first mostReadSize articles in each
	// language, picked once here rather than by every page that shows
	// them (copying articles cost a page as much as 12 KB).
	editions map[string]editionMostRead
}

// editionMostRead is one edition's most read of the day and the week.
type editionMostRead struct{ Day, Week []news.Article }

// newMostRead is the lists day and week of reading gen.
func newMostRead(day, week []store.ReadCount, gen uint64) *mostRead {
	m := &mostRead{Day: day, Week: week, gen: gen, editions: map[string]editionMostRead{}}
	for _, l := range [][]store.ReadCount{day, week} {
		for _, rc := range l {
			if _, ok := m.editions[rc.Article.Lang]; !ok {
				m.editions[rc.Article.Lang] = editionMostRead{Day: articlesIn(day, rc.Article.Lang), Week: articlesIn(week, rc.Article.Lang)}
			}
		}
	}
	return m
}

func newReadCounter() *readCounter {
	rc := &readCounter{pending: map[int64]int{}, seen: map[string]bool{}}
	rc.lists.Store(&mostRead{})
	return rc
}

// add counts one read of id by the client at addr, once an hour.
func (rc *readCounter) add(id int64, addr string, now time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if h := now.Truncate(time.Hour); !h.Equal(rc.hour) {
		rc.hour, rc.seen = h, map[string]bool{}
	}
	key := addr + " " + strconv.FormatInt(id, 10)
	if rc.seen[key] {
		return
	}
	if len(rc.seen) < readersKept {
		rc.seen[key] = true
	}
	rc.pending[id]++
}

// take empties the pending counts and returns them.
func (rc *readCounter) take() map[int64]int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	p := rc.pending
	rc.pending = map[int64]int{}
	return p
}

// giveBack returns counts a failed flush could not write.
func (rc *readCounter) giveBack(p map[int64]int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for id, n := range p {
		rc.pending[id] += n
	}
}

// countRead answers the read beacon, POST /read/{id}: 204 and nothing
// stored for the reader, never cached. Crawlers, link previews,
// prefetches and other sites' pages are not counted.
func (s *Site) countRead(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil && id > 0 && humanRead(r) {
		s.reads.add(id, ratelimit.Address(auth.ClientIP(r)), s.now())
	}
	w.WriteHeader(http.StatusNoContent)
}

// botMarks are pieces of the User-Agent of clients that are not readers:
// crawlers, link previews, monitors, scripts and headless browsers.
var botMarks = []string{"bot", "crawl", "spider", "slurp", "archiver", "preview", "facebookexternalhit", "embedly",
	"headless", "phantom", "lighthouse", "pingdom", "uptime", "monitor", "curl", "wget", "python", "go-http-client",
	"java/", "okhttp", "httpclient", "libwww", "scrapy", "feed", "validator"}

// humanRead reports whether a beacon looks like a reader's: a browser's
// User-Agent, from a page of this site, not a prefetch.
func humanRead(r *http.Request) bool {
	ua := strings.ToLower(r.UserAgent())
	if !strings.HasPrefix(ua, "mozilla/") {
		return false
	}
	for _, m := range botMarks {
		if strings.Contains(ua, m) {
			return false
		}
	}
	if p := r.Header.Get("Sec-Purpose") + r.Header.Get("Purpose"); strings.Contains(p, "prefetch") {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" && !sameHost(o, r.Host) {
		return false
	}
	return true
}

// sameHost reports whether the origin URL names host.
func sameHost(origin, host string) bool {
	_, rest, ok := strings.Cut(origin, "://")
	return ok && strings.EqualFold(rest, host)
}

// keepReads writes the counted reads to the store every readsFlushEvery
// and reads back the most read, until ctx ends; then it writes what is
// left.
func (s *Site) keepReads(ctx context.Context) {
	s.refreshMostRead(ctx)
	t := time.NewTicker(readsFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.flushReads(context.WithoutCancel(ctx))
			return
		case <-t.C:
			s.flushReads(ctx)
			s.refreshMostRead(ctx)
		}
	}
}

// flushReads adds the pending reads to the store.
func (s *Site) flushReads(ctx context.Context) {
	p := s.reads.take()
	if len(p) == 0 {
		return
	}
	if err := s.db.AddReads(ctx, p, s.now()); err != nil {
		s.log.Warn("reads: keeping the counts for the next try", "err", err)
		s.reads.giveBack(p)
	}
}

// refreshMostRead reads the most read of the last day and week, counted
// by every instance, into memory.
func (s *Site) refreshMostRead(ctx context.Context) {
	now := s.now()
	day, err := s.db.MostRead(ctx, now.Add(-24*time.Hour), now, mostReadAsked)
	if err != nil {
		s.log.Warn("reads: most read", "err", err)
		return
	}
	week, err := s.db.MostRead(ctx, now.Add(-7*24*time.Hour), now, mostReadAsked)
	if err != nil {
		s.log.Warn("reads: most read", "err", err)
		return
	}
	s.reads.lists.Store(newMostRead(day, week, s.reads.gens.Add(1)))
}

// FlushReads writes the counted reads to the store and reads back the
// most read at once; tests and the demo call it.
func (s *Site) FlushReads(ctx context.Context) {
	s.flushReads(ctx)
	s.refreshMostRead(ctx)
}
