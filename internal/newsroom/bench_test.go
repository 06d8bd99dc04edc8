package newsroom_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/config"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/users"
)

// BenchmarkNewsroomPages measures newsroom pages over a large store, as
// an editor sees them. DASTAN_BENCH_DATA_DIR names a data directory made
// by "dastan demo -articles 100000"; without it the benchmark is skipped.
// Each sub-benchmark reports p50 and p95 latencies in milliseconds.
func BenchmarkNewsroomPages(b *testing.B) {
	dir := os.Getenv("DASTAN_BENCH_DATA_DIR")
	if dir == "" {
		b.Skip("set DASTAN_BENCH_DATA_DIR to a store made by: dastan demo -articles 100000 -data-dir DIR")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir, os.Getenv("DASTAN_BENCH_DATABASE_URL"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	n, _ := db.CountArticles(ctx)
	svc := users.New(users.Options{Store: db, Auth: auth.New(auth.Options{Store: db, Params: cheap})})
	if _, err := db.UserByEmail(ctx, "editor@example.com"); err != nil {
		if _, _, err := svc.Add(ctx, users.System, users.NewUser{Email: "editor@example.com", Name: "Bench", Role: auth.Editor, Password: password}); err != nil {
			b.Fatal(err)
		}
	}
	cfg, _ := config.FromEnv(func(string) string { return "" })
	cfg.DataDir = dir
	srv, err := server.New(server.Options{Config: cfg, Store: db, AuthParams: cheap})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close() // its jobs end before the store closes
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	f := &fixture{srv: ts}
	c := f.as(b, auth.Editor)
	c.t = b
	secs, _ := db.Sections(ctx)
	authors, _ := db.Authors(ctx)
	pages := []struct {
		name string
		path func(r *rand.Rand) string
	}{
		{"list", func(r *rand.Rand) string { return "/newsroom/articles/" }},
		{"list-page-200", func(r *rand.Rand) string { return "/newsroom/articles/?page=200" }},
		{"list-filtered", func(r *rand.Rand) string {
			return fmt.Sprintf("/newsroom/articles/?status=published&lang=en&section=%d", secs[r.IntN(len(secs))].ID)
		}},
		{"list-author", func(r *rand.Rand) string {
			return fmt.Sprintf("/newsroom/articles/?author=%d", authors[r.IntN(len(authors))].ID)
		}},
		{"list-search", func(r *rand.Rand) string {
			return "/newsroom/articles/?q=" + []string{"gas", "border", "wheat", "election", "bank"}[r.IntN(5)]
		}},
		{"edit", func(r *rand.Rand) string { return fmt.Sprintf("/newsroom/articles/%d/", 1+r.IntN(n)) }},
		{"revisions", func(r *rand.Rand) string { return fmt.Sprintf("/newsroom/articles/%d/revisions/", 1+r.IntN(n)) }},
		{"preview", func(r *rand.Rand) string { return fmt.Sprintf("/newsroom/articles/%d/preview", 1+r.IntN(n)) }},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			var times []time.Duration
			for b.Loop() {
				path := p.path(r)
				start := time.Now()
				resp, err := c.c.Get(ts.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				times = append(times, time.Since(start))
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", path, resp.StatusCode)
				}
			}
			slices.Sort(times)
			q := func(f float64) float64 { return float64(times[int(f*float64(len(times)-1))]) / 1e6 }
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.95), "p95-ms")
		})
	}
}
