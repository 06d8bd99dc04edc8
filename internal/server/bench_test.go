package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"dastan/internal/demo"
	"dastan/internal/fixtures"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// benchSite is a demo newsroom of 3,000 articles on SQLite, with the page
// cache off unless cached is set, served through the full router.
func benchSite(b *testing.B, cached bool) (http.Handler, string) {
	db := storetest.Open(b, "sqlite")
	ctx := context.Background()
	if err := demo.Fill(ctx, db, demo.Options{Articles: 3000, Seed: 1, End: testNow}); err != nil {
		b.Fatal(err)
	}
	l, err := db.ListArticles(ctx, store.ListQuery{VisibleAt: testNow, Limit: 1, Offset: 100})
	if err != nil {
		b.Fatal(err)
	}
	cfg := fixtures.Config(b)
	cfg.PageCache = cached
	srv, err := server.New(server.Options{Config: cfg, Store: db, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	return srv.Handler(), "/" + l.Articles[0].Slug + "/"
}

func benchPage(b *testing.B, h http.Handler, path string) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
			if w.Code != 200 {
				b.Fatalf("%s: %d", path, w.Code)
			}
		}
	})
}

func BenchmarkArticlePage(b *testing.B) {
	for _, cached := range []bool{false, true} {
		name := "uncached"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			h, path := benchSite(b, cached)
			benchPage(b, h, path)
		})
	}
}

func BenchmarkListingPages(b *testing.B) {
	h, _ := benchSite(b, false)
	for _, path := range []string{"/", "/category/news/kazakhstan/page/2/", "/tag/energy/"} {
		b.Run(path, func(b *testing.B) { benchPage(b, h, path) })
	}
}

// BenchmarkFrontPage renders the front page without the page cache and
// reports its weight: the HTML and the stylesheet a first visit needs,
// without pictures, which the budget keeps under 60 KB; the page needs no
// script to be read (the search box's and the read beacon's only add).
func BenchmarkFrontPage(b *testing.B) {
	h, _ := benchSite(b, false)
	get := func(path string) string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
		return w.Body.String()
	}
	home := get("/")
	css := regexp.MustCompile(`href="(/static/site\.css[^"]*)"`).FindStringSubmatch(home)
	if css == nil {
		b.Fatal("no stylesheet link")
	}
	sheet := get(strings.ReplaceAll(css[1], "&amp;", "&"))
	b.ReportMetric(float64(len(home)), "html-B")
	b.ReportMetric(float64(len(sheet)), "css-B")
	if total := len(home) + len(sheet); total > 60*1024 {
		b.Errorf("front page %d B + stylesheet %d B = %d B, over the 60 KB budget", len(home), len(sheet), total)
	}
	benchPage(b, h, "/")
}
