package store_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"dastan/internal/search"
	"dastan/internal/store"
)

// BenchmarkSearchArchive runs the search page's store work (one page of
// ten by relevance in the English edition, partial matches allowed, the
// count stopping where the page's does) and its snippets, for the
// searches of issue 17, over a store that `dastan import wordpress` made
// of a large archive. DASTAN_BENCH_DATA_DIR names its data directory
// (a copy: opening it runs any pending migration); without it the
// benchmark is skipped. Searches run from several goroutines, as under a
// load, so that the readers' pool is used as the site uses it; cpu-ms/op
// is the process's CPU time a search.
func BenchmarkSearchArchive(b *testing.B) {
	dir := os.Getenv("DASTAN_BENCH_DATA_DIR")
	if dir == "" {
		b.Skip("set DASTAN_BENCH_DATA_DIR to a copy of a store made by: dastan import wordpress EXPORT.xml")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir, "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	for _, q := range []string{"energy pipeline", "kazakhstan oil exports"} {
		b.Run(q, func(b *testing.B) {
			query := search.ParseQuery(q)
			run := func() {
				res, err := db.SearchArticles(ctx, store.SearchQuery{Query: query, Lang: "en", VisibleAt: now,
					Limit: 10, Partial: true, CountLimit: 10000})
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range res.Results {
					search.SnippetIn(r.BodyText, r.Article.Lang, query, 240)
				}
			}
			run() // the terms' counts, kept afterwards
			b.SetParallelism(4)
			before := cpuTime()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					run()
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(cpuTime()-before)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
