package site_test

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"dastan/internal/config"
	"dastan/internal/demo"
	"dastan/internal/jobs"
	"dastan/internal/rates"
	"dastan/internal/site"
	"dastan/internal/store/storetest"
)

// BenchmarkTicker renders pages with the page cache off, with and without
// the currency ticker, over the same store: the difference is what the
// ticker costs a render. Rates are read from the in-memory board, so the
// ticker adds no query. The front page runs a dozen queries, whose noise
// hides the ticker; the not-found page runs none, so it shows the cost.
//
//	go test ./internal/site -run '^$' -bench Ticker -benchmem
func BenchmarkTicker(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, "sqlite")
	end := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if err := demo.Fill(ctx, db, demo.Options{Articles: 300, Seed: 1, End: end}); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	cfg.PageCache = false
	now := func() time.Time { return end }
	board := rates.NewBoard(rates.BoardOptions{Load: db.LatestRates, Orientation: rates.LocalUSD, Location: cfg.Location, Now: now})
	if err := board.Refresh(ctx); err != nil || board.Ticker("en") == "" {
		b.Fatalf("no ticker: %v", err)
	}
	handler := func(ticker func(lang string) template.HTML) http.Handler {
		runner := jobs.New(nil)
		b.Cleanup(func() { runner.Stop(); runner.Wait() }) // before the store closes
		s, err := site.New(site.Options{Config: cfg, Store: db, Now: now, Ticker: ticker, Rates: board, Jobs: runner})
		if err != nil {
			b.Fatal(err)
		}
		mux := http.NewServeMux()
		s.Routes(mux)
		return mux
	}
	without, with := handler(nil), handler(board.Ticker)
	for _, page := range []struct{ name, path string }{{"home", "/"}, {"notfound", "/no-such-page/"}} {
		for _, c := range []struct {
			name string
			h    http.Handler
		}{{"without", without}, {"with", with}} {
			b.Run(page.name+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					w := httptest.NewRecorder()
					c.h.ServeHTTP(w, httptest.NewRequest("GET", page.path, nil))
					if w.Code != 200 && w.Code != 404 {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		}
	}
	b.Run("ticker-only", func(b *testing.B) {
		for b.Loop() {
			if board.Ticker("en") == "" {
				b.Fatal("empty")
			}
		}
	})
}
