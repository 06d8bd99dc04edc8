package wordpress_test

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"dastan/internal/wordpress"
	"dastan/internal/wordpress/wxrgen"
)

// BenchmarkReadArchive reads a generated 100,000-post export from disk, as
// an import of a newsroom's whole archive would. It reports items/s and the
// heap in use early and at its peak: flat memory means the two stay close.
func BenchmarkReadArchive(b *testing.B) {
	posts := 100_000
	if testing.Short() {
		posts = 5_000
	}
	path := filepath.Join(b.TempDir(), "export.xml")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := wxrgen.GenerateExport(f, posts, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())

	var items int
	var early, peak uint64
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r := wordpress.NewReader(f)
		items, early, peak = 0, 0, 0
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := rec.(*wordpress.Item); !ok {
				continue
			}
			items++
			if items%10_000 == 0 {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if early == 0 {
					early = m.HeapInuse
				}
				peak = max(peak, m.HeapInuse)
			}
		}
		f.Close()
	}
	b.ReportMetric(float64(items)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(items), "items")
	b.ReportMetric(float64(early)/(1<<20), "heapMB-early")
	b.ReportMetric(float64(peak)/(1<<20), "heapMB-peak")
	b.ReportMetric(float64(info.Size())/(1<<20), "fileMB")
}
