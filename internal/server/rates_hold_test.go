package server_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dastan/internal/config"
	"dastan/internal/fixtures"
	"dastan/internal/rates"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// nbkBank answers like the National Bank of Kazakhstan: its recorded
// answer (nbk_0.xml), with the date and dollar rate it is told to give.
type nbkBank struct {
	srv    *httptest.Server
	answer atomic.Value // []byte
}

func newNBKBank(t *testing.T) *nbkBank {
	t.Helper()
	b := &nbkBank{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		w.Write(b.answer.Load().([]byte))
	}))
	t.Cleanup(b.srv.Close)
	return b
}

// says sets the bank's next answers: date as the bank writes it
// (27.11.2026), and KZT per dollar.
func (b *nbkBank) says(t *testing.T, date, usd string) {
	t.Helper()
	rec, err := os.ReadFile("../rates/testdata/nbk_0.xml")
	must(t, err)
	b.answer.Store([]byte(strings.NewReplacer("<date>01.04.2026</date>", "<date>"+date+"</date>",
		"<description>478.77</description>", "<description>"+usd+"</description>").Replace(string(rec))))
}

// syncBuffer is a log that tests read while a server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const metricsToken = "test-metrics-token-0123456789"

// bankServer is the full site over db, its KZT rate from bank, logging
// to logs; tune changes its settings.
func bankServer(t *testing.T, db *store.DB, f *fixture, bank *nbkBank, logs *syncBuffer, tune func(*config.Config)) *server.Server {
	t.Helper()
	cfg := testConfig(t)
	cfg.Rates = "KZT=nbk:" + bank.srv.URL + "/rss/get_rates.cfm?fdate={DD}.{MM}.{YYYY}"
	cfg.MetricsToken = metricsToken
	if tune != nil {
		tune(&cfg)
	}
	srv, hs := fixtures.Serve(t, server.Options{Config: cfg, Store: db, Now: f.clock.Now, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	f.srv = hs
	return srv
}

// newBankSite is the site over db with seedRates' rates, its KZT from a
// bank the test tells what to say.
func newBankSite(t *testing.T, db *store.DB, tune func(*config.Config)) (*fixture, *server.Server, *nbkBank, *syncBuffer) {
	t.Helper()
	seedRates(t, db)
	f := newFixture(t, db)
	bank := newNBKBank(t)
	logs := &syncBuffer{}
	return f, bankServer(t, db, f, bank, logs, tune), bank, logs
}

// tickerKZT is the dollar value of the tenge the ticker shows.
func tickerKZT(t *testing.T, f *fixture) string {
	t.Helper()
	_, body := f.get(t, "/")
	tk := ticker(t, body)
	_, rest, ok := strings.Cut(tk, `<span class="pair">KZT/USD</span> <span class="rate">`)
	if !ok {
		t.Fatalf("no KZT in the ticker: %s", tk)
	}
	v, _, _ := strings.Cut(rest, "<")
	return v
}

func fetchRates(t *testing.T, srv *server.Server) rates.Result {
	t.Helper()
	res, err := srv.FetchRates(context.Background())
	must(t, err)
	return res
}

func metricsOf(t *testing.T, f *fixture) string {
	t.Helper()
	_, body := f.get(t, "/metrics", "Authorization", "Bearer "+metricsToken)
	return body
}

// A bank once answered with a table dated 01.01.2099: the newest date
// wins the ticker, so that rate stayed there even after the bank
// answered correctly for today. Through the real fetcher, store and
// ticker: the future answer is refused with a log line and a metric,
// and today's real rate is what readers see.
func TestFutureDatedRateNeverTakesTheTicker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv, bank, logs := newBankSite(t, db, nil) // KZT 480.00 on 25 November, 478.77 on the 26th; today is the 27th

		bank.says(t, "01.01.2099", "512.34")
		res := fetchRates(t, srv)
		if !errors.As(res.Errors["KZT"], new(*rates.FutureDateError)) || len(res.Observations) != 0 {
			t.Fatalf("a rate dated 2099 gave %+v", res)
		}
		if got := tickerKZT(t, f); got != "0.002089" {
			t.Errorf("ticker shows %s, want the last good 0.002089", got)
		}
		if !strings.Contains(logs.String(), "refusing a rate dated after tomorrow in the bank's zone") ||
			!strings.Contains(logs.String(), "bank_date=2099-01-01 bank_today=2026-11-27 zone=Asia/Almaty") {
			t.Errorf("no log line says why:\n%s", logs.String())
		}

		bank.says(t, "27.11.2026", "471.50")
		res = fetchRates(t, srv)
		if len(res.Errors) != 0 || len(res.Observations) != 1 {
			t.Fatalf("today's answer gave %+v", res)
		}
		if got := tickerKZT(t, f); got != "0.002121" { // 1 / 471.50
			t.Errorf("ticker shows %s, want today's 0.002121", got)
		}
		_, page := f.get(t, "/rates/")
		expect(t, page, "USD/KZT = 471.5<", `<time datetime="2026-11-27">`)
		if strings.Contains(page, "2099") || strings.Contains(page, "512.34") {
			t.Error("the rates page shows the 2099 answer")
		}
		future, err := db.RateHistory(context.Background(), "KZT", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC))
		must(t, err)
		if len(future) != 0 {
			t.Errorf("stored %+v", future)
		}
		expect(t, metricsOf(t, f), `dastan_rates_future_refused_total{currency="KZT"} 1`)
	})
}

// A decimal shift (4787.70 for 478.77) is inside the plausible band for
// the tenge. It is held, never shown, until a fetch answers it again —
// here another instance over the same store — and then shown.
func TestJumpIsHeldUntilTheBankSaysItAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv, bank, logs := newBankSite(t, db, nil)

		bank.says(t, "27.11.2026", "4787.70")
		res := fetchRates(t, srv)
		var he *rates.HeldError
		if !errors.As(res.Errors["KZT"], &he) || len(res.Observations) != 0 {
			t.Fatalf("a tenfold jump gave %+v", res)
		}
		if !strings.Contains(he.Error(), "4787.7 per USD on 2026-11-27 is +900.0% from the last good 478.77 on 2026-11-26, beyond ±25%") {
			t.Errorf("held: %v", he)
		}
		if got := tickerKZT(t, f); got != "0.002089" {
			t.Errorf("ticker shows %s while the jump is held, want 0.002089", got)
		}
		_, page := f.get(t, "/rates/")
		_, api := f.get(t, "/api/v1/rates")
		if strings.Contains(page, "4787.7") || strings.Contains(api, "4787.7") || !strings.Contains(api, "478.77") {
			t.Errorf("the held rate is shown: %s", api)
		}
		if !strings.Contains(logs.String(), "holding a rate that jumped") || !strings.Contains(logs.String(), "change_pct=900") {
			t.Errorf("no log line says why:\n%s", logs.String())
		}
		expect(t, metricsOf(t, f), `dastan_rates_jumps_held_total{currency="KZT"} 1`)
		if held, _ := db.HeldRates(context.Background()); held["KZT"].UnitsPerUSD != 4787.70 {
			t.Errorf("held in the store: %+v", held)
		}

		// Another instance over the same store fetches the same answer:
		// the bank has said it twice.
		other := &fixture{db: db, clock: f.clock}
		srv2 := bankServer(t, db, other, bank, logs, nil)
		res = fetchRates(t, srv2)
		if len(res.Errors) != 0 || len(res.Observations) != 1 {
			t.Fatalf("the confirming answer gave %+v", res)
		}
		if got := tickerKZT(t, other); got != "0.0002089" {
			t.Errorf("ticker shows %s, want the confirmed 0.0002089", got)
		}
		expect(t, metricsOf(t, other), `dastan_rates_jumps_confirmed_total{currency="KZT"} 1`)
		if held, _ := db.HeldRates(context.Background()); len(held) != 0 {
			t.Errorf("still held: %+v", held)
		}
	})
}

// A one-off glitch followed by the normal rate is never shown, and does
// not count as a confirmation the next time it comes.
func TestOneOffGlitchIsNeverShown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, srv, bank, logs := newBankSite(t, db, nil)

		for i, step := range []struct {
			usd, ticker string
			held        bool
		}{
			{"4787.70", "0.002089", true},
			{"479.10", "0.002087", false},
			{"4787.70", "0.002087", true},
			{"479.10", "0.002087", false},
		} {
			bank.says(t, "27.11.2026", step.usd)
			res := fetchRates(t, srv)
			if held := errors.As(res.Errors["KZT"], new(*rates.HeldError)); held != step.held {
				t.Errorf("step %d (%s): held %v, want %v: %+v", i, step.usd, held, step.held, res)
			}
			if got := tickerKZT(t, f); got != step.ticker {
				t.Errorf("step %d (%s): ticker %s, want %s", i, step.usd, got, step.ticker)
			}
		}
		hist, err := db.RateHistory(context.Background(), "KZT", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
		must(t, err)
		for _, o := range hist {
			if o.UnitsPerUSD > 1000 {
				t.Errorf("the glitch reached the history: %+v", o)
			}
		}
		if !strings.Contains(logs.String(), "the held rate is dropped") {
			t.Errorf("no log line for the dropped glitch:\n%s", logs.String())
		}
		expect(t, metricsOf(t, f), `dastan_rates_jumps_held_total{currency="KZT"} 2`, `dastan_rates_jumps_dropped_total{currency="KZT"} 2`)
	})
}

// DASTAN_RATES_MAX_JUMP sets the bound; 0 turns the check off.
func TestMaxJumpSetting(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	f, srv, bank, logs := newBankSite(t, db, func(c *config.Config) { c.RatesMaxJump = 0.05 })
	bank.says(t, "27.11.2026", "509.00") // +6.3%
	if res := fetchRates(t, srv); !errors.As(res.Errors["KZT"], new(*rates.HeldError)) {
		t.Errorf("a 6%% change under a 5%% bound: %+v", res)
	}
	srv = bankServer(t, db, f, bank, logs, func(c *config.Config) { c.RatesMaxJump = 0 })
	bank.says(t, "27.11.2026", "4787.70")
	if res := fetchRates(t, srv); len(res.Errors) != 0 || tickerKZT(t, f) != "0.0002089" {
		t.Errorf("with the check off: %+v", res)
	}
}
