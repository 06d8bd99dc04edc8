package wordpress_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"dastan/internal/store"
	"dastan/internal/wordpress"
	"dastan/internal/wordpress/wxrgen"
)

// BenchmarkImportArchive imports a generated export into a fresh SQLite
// store: DASTAN_BENCH_POSTS posts (default 20,000; 2,000 with -short),
// shaped as the WordPress news corpus when DASTAN_BENCH_NEWS is set, or
// the export named by DASTAN_BENCH_EXPORT (its posts counted as it is read).
// It reports posts/s and the Go heap's peak; BENCHMARKS.md has the
// figures for 100,000 posts through the command, with the process's RSS.
func BenchmarkImportArchive(b *testing.B) {
	posts := 20_000
	if testing.Short() {
		posts = 2_000
	}
	if n, err := strconv.Atoi(os.Getenv("DASTAN_BENCH_POSTS")); err == nil && n > 0 {
		posts = n
	}
	path := os.Getenv("DASTAN_BENCH_EXPORT")
	if path == "" {
		path = filepath.Join(b.TempDir(), "export.xml")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := wxrgen.GenerateExportWith(f, posts, 1, wxrgen.Options{News: os.Getenv("DASTAN_BENCH_NEWS") != ""}); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	var peak uint64
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(context.Background(), b.TempDir(), "")
		if err != nil {
			b.Fatal(err)
		}
		in, _ := os.Open(path)
		stop := make(chan struct{})
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
				}
			}
		}()
		b.StartTimer()
		start := time.Now()
		report, err := wordpress.Import(context.Background(), in, wordpress.Options{Store: db})
		if err != nil {
			b.Fatal(err)
		}
		if os.Getenv("DASTAN_BENCH_EXPORT") != "" {
			posts = report.Created["post"] + report.Updated["post"]
		}
		elapsed += time.Since(start)
		b.StopTimer()
		close(stop)
		in.Close()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(posts)*float64(b.N)/elapsed.Seconds(), "posts/s")
	b.ReportMetric(float64(peak)/(1<<20), "heapMB-peak")
}
