package server_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"dastan/internal/fixtures"
	"dastan/internal/server"
	"dastan/internal/store"
)

// benchServer opens the store in $DASTAN_BENCH_DATA_DIR (made with
// `dastan demo -articles 100000 -data-dir DIR`) and serves it with the
// page cache off, so that every request builds its document.
func benchServer(b *testing.B) (http.Handler, *store.DB) {
	dir := os.Getenv("DASTAN_BENCH_DATA_DIR")
	if dir == "" {
		b.Skip("set DASTAN_BENCH_DATA_DIR to a store made by `dastan demo -articles 100000`")
	}
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cfg := fixtures.Config(b)
	cfg.PageCache = false
	srv, err := server.New(server.Options{Config: cfg, Store: db})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	return srv.Handler(), db
}

func fetch(b *testing.B, h http.Handler, path string) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 200 {
		b.Fatalf("%s: %d", path, rec.Code)
	}
	return rec.Body.String()
}

// BenchmarkSitemapSet builds the whole set a crawler reads: the index and
// every sitemap it names.
func BenchmarkSitemapSet(b *testing.B) {
	h, _ := benchServer(b)
	var index struct {
		Locs []string `xml:"sitemap>loc"`
	}
	if err := xml.Unmarshal([]byte(fetch(b, h, "/sitemap.xml")), &index); err != nil {
		b.Fatal(err)
	}
	var paths []string
	for _, l := range index.Locs {
		paths = append(paths, l[strings.Index(l, "/sitemap"):])
	}
	b.Logf("the index names %d sitemaps: %v", len(paths), paths)
	b.ResetTimer()
	bytes := 0
	for i := 0; i < b.N; i++ {
		bytes = len(fetch(b, h, "/sitemap.xml"))
		for _, p := range paths {
			bytes += len(fetch(b, h, p))
		}
	}
	b.ReportMetric(float64(bytes)/1e6, "MB/set")
}

// BenchmarkSitemapEach times each sitemap of the set on its own.
func BenchmarkSitemapEach(b *testing.B) {
	h, _ := benchServer(b)
	for _, p := range []string{"/sitemap.xml", "/sitemap-articles-1.xml", "/sitemap-articles-2.xml", "/sitemap-sections.xml", "/sitemap-tags-1.xml", "/sitemap-authors-1.xml", "/sitemap-news.xml", "/robots.txt"} {
		b.Run(strings.Trim(p, "/"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				fetch(b, h, p)
			}
		})
	}
}

// BenchmarkFeeds times the main feeds: the site's in each format, and a
// section's, a tag's, an author's and a language's.
func BenchmarkFeeds(b *testing.B) {
	h, db := benchServer(b)
	ctx := context.Background()
	secs, _ := db.Sections(ctx)
	tags, _, _ := db.Tags(ctx, 1)
	authors, _ := db.Authors(ctx)
	paths := []string{"/feed/", "/feed/atom/", "/feed/json/", "/ru/feed/"}
	for _, s := range secs {
		if strings.Contains(s.Path, "/") {
			paths = append(paths, "/category/"+s.Path+"/feed/")
			break
		}
	}
	if len(tags) > 0 {
		paths = append(paths, "/tag/"+tags[0].Slug+"/feed/")
	}
	if len(authors) > 0 {
		paths = append(paths, "/author/"+authors[0].Slug+"/feed/")
	}
	for _, p := range paths {
		b.Run(strings.ReplaceAll(strings.Trim(p, "/"), "/", "_"), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				fetch(b, h, p)
			}
		})
	}
}
