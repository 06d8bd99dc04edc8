package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dastan/internal/config"
	"dastan/internal/demo"
	"dastan/internal/fixtures"
	"dastan/internal/rates"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func rateOn(code, date string, v float64, source string) rates.Observation {
	d, _ := time.Parse(time.DateOnly, date)
	return rates.Observation{Currency: code, Base: "USD", UnitsPerUSD: v, BankDate: d, Source: source, FetchedAt: d.Add(5 * time.Hour)}
}

// seedRates stores two days of KZT (a rise of the tenge), an unchanged
// UZS, and a KGS rate a week old. testNow is Friday 27 November 2026.
func seedRates(t *testing.T, db *store.DB) {
	must(t, db.SaveObservations(context.Background(), []rates.Observation{
		rateOn("KZT", "2026-11-25", 480.00, "nbk"),
		rateOn("KZT", "2026-11-26", 478.77, "nbk"),
		rateOn("UZS", "2026-11-26", 12050, "cbu"),
		rateOn("UZS", "2026-11-27", 12050, "cbu"),
		rateOn("KGS", "2026-11-19", 87.40, "nbkr"),
		rateOn("KGS", "2026-11-20", 87.45, "nbkr"),
	}))
}

// newRatesFixture is newFixture with rates stored first and the settings
// changed by tune.
func newRatesFixture(t *testing.T, db *store.DB, tune func(*config.Config)) (*fixture, *server.Server) {
	t.Helper()
	seedRates(t, db)
	f := newFixture(t, db)
	cfg := testConfig(t)
	if tune != nil {
		tune(&cfg)
	}
	srv, hs := fixtures.Serve(t, server.Options{Config: cfg, Store: db, Now: f.clock.Now})
	f.srv = hs
	return f, srv
}

// ticker cuts the ticker's markup out of a page.
func ticker(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `<div class="ticker"`)
	if i < 0 {
		t.Fatalf("page has no ticker")
	}
	j := strings.Index(body[i:], `<nav class="sections"`)
	return body[i : i+j]
}

func TestTickerOnEveryPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := newRatesFixture(t, db, nil)
		for _, path := range []string{"/", "/category/news/kazakhstan/", "/pipeline-story-3/", "/tag/energy/", "/rates/", "/no-such-page/"} {
			_, body := f.get(t, path)
			tk := ticker(t, body)
			readable := tk[:strings.Index(tk, `<ul class="ticker-list" aria-hidden="true">`)]
			expect(t, readable,
				`<a href="/rates/#KZT">`, `<span class="pair">KZT/USD</span> <span class="rate">0.002089</span>`,
				`<span class="mark" role="img" aria-label="up">▲</span> +0.26%`,
				`<span class="pair">UZS/USD</span> <span class="rate">0.00008299</span>`, `<span class="mark" role="img" aria-label="unchanged">▬</span> 0.00%`,
				`<span class="pair">KGS/USD</span> <span class="rate">0.01144</span>`, `<span class="asof">as of 20 Nov</span>`)
			if strings.Contains(readable, "KZT/USD</span> <span class=\"rate\">0.002089</span> <span class=\"asof\"") {
				t.Errorf("%s: a current rate is marked stale", path)
			}
			if strings.Contains(tk, "-0%") || strings.Contains(tk, "-0.00%") {
				t.Errorf("%s: ticker shows a negative zero", path)
			}
			if n := strings.Count(tk, `<ul class="ticker-list" aria-hidden="true">`); n != 2 {
				t.Errorf("%s: %d aria-hidden copies, want 2", path, n)
			}
		}
	})
}

func TestTickerOtherOrientation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := newRatesFixture(t, db, func(c *config.Config) { c.RatesView = "usd/local" })
		_, body := f.get(t, "/")
		expect(t, ticker(t, body), `<span class="pair">USD/KZT</span> <span class="rate">478.77</span>`,
			`<span class="mark" role="img" aria-label="down">▼</span> -0.26%`, `<span class="pair">USD/UZS</span> <span class="rate">12050</span>`)
	})
}

// A bank that starts answering garbage (a web page with 200 OK) through
// the real Fetcher into the real store leaves the last good rate showing.
func TestGarbageKeepsLastGoodRate(t *testing.T) {
	good, err := os.ReadFile("../rates/testdata/nbk_0.xml")
	must(t, err)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var garbage atomic.Bool
		bank := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if garbage.Load() {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte("<!doctype html><html><body><h1>Технические работы</h1><p>Maintenance</p></body></html>"))
				return
			}
			w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
			w.Write(good)
		}))
		defer bank.Close()
		f := newFixture(t, db)
		cfg := testConfig(t)
		cfg.Rates = "KZT=nbk:" + bank.URL + "/rss/get_rates.cfm?fdate={DD}.{MM}.{YYYY}"
		srv, hs := fixtures.Serve(t, server.Options{Config: cfg, Store: db, Now: f.clock.Now})
		f.srv = hs

		res, err := srv.FetchRates(context.Background())
		must(t, err)
		if len(res.Observations) != 1 {
			t.Fatalf("good answer gave %+v", res)
		}
		_, body := f.get(t, "/")
		expect(t, ticker(t, body), "KZT/USD", "0.002089")

		garbage.Store(true)
		res, err = srv.FetchRates(context.Background())
		must(t, err)
		if res.Errors["KZT"] == nil {
			t.Fatal("garbage was not reported as an error")
		}
		_, body = f.get(t, "/")
		expect(t, ticker(t, body), "KZT/USD", "0.002089")
		_, body = f.get(t, "/rates/")
		expect(t, body, "USD/KZT = 478.77", "National Bank of Kazakhstan")
	})
}

func TestRatesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := newRatesFixture(t, db, nil)
		resp, body := f.get(t, "/rates/")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		expect(t, body, `<tr id="KZT">`, "KZT/USD = 0.002089", "USD/KZT = 478.77", "UZS/USD = 0.00008299", "USD/UZS = 12050",
			`<time datetime="2026-11-26">26 Nov 2026</time>`, "National Bank of Kazakhstan", "Central Bank of Uzbekistan",
			`<form class="converter" action="/rates/#converter" method="get">`, `<strong aria-current="page">90 days</strong>`, `href="/rates/?range=365#charts"`)
		if n := strings.Count(body, `<svg xmlns="http://www.w3.org/2000/svg" class="rate-chart"`); n != 3 {
			t.Errorf("%d charts, want 3", n)
		}
		if strings.Contains(body, "Demo data") {
			t.Error("real rates marked as demo")
		}
		_, body = f.get(t, "/rates/?range=30")
		expect(t, body, `<strong aria-current="page">30 days</strong>`, "Over the last 30 days")

		resp, body = f.get(t, "/rates/?amount=100&from=USD&to=KZT")
		if resp.StatusCode != 200 {
			t.Errorf("converter status %d", resp.StatusCode)
		}
		expect(t, body, "<output>100 USD = 47,877.00 KZT</output>")
		_, body = f.get(t, "/rates/?amount=1+000&from=KZT&to=UZS")
		expect(t, body, "<output>1,000 KZT = 25,168.66 UZS</output>") // 1000 / 478.77 * 12050
		for _, q := range []string{"amount=abc&from=USD&to=KZT", "amount=-5&from=USD&to=KZT", "amount=1e400&from=USD&to=KZT", "amount=10&from=USD&to=XYZ"} {
			resp, body = f.get(t, "/rates/?"+q)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<p class="error">`) || !strings.Contains(body, `<div class="ticker"`) {
				t.Errorf("%s: status %d, want the rates page with a message", q, resp.StatusCode)
			}
		}
	})
}

// The Russian edition's readers get the ticker and the rates page in
// Russian: its words, the currencies' and banks' names, dates, the
// converter's messages, and links that stay in the edition.
func TestRatesInRussian(t *testing.T) {
	f, _ := newRatesFixture(t, storetest.Open(t, "sqlite"), nil)
	for _, path := range []string{"/ru/", "/ru/rates/"} {
		_, body := f.get(t, path)
		tk := ticker(t, body)
		expect(t, tk, `aria-label="Курсы валют к доллару США"`, `<a href="/ru/rates/#KZT">`,
			`<span class="mark" role="img" aria-label="рост">▲</span> +0.26%`, `aria-label="без изменений"`, `<span class="asof">на 20 нояб.</span>`)
		if strings.Contains(tk, "as of") || strings.Contains(tk, `aria-label="up"`) {
			t.Errorf("%s: English in the Russian ticker:\n%s", path, tk)
		}
	}
	resp, body := f.get(t, "/ru/rates/")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	expect(t, body, `<html lang="ru"`, "<title>Курсы валют", "<h1>Курсы валют</h1>", "Казахстанский тенге",
		"Национальный банк Казахстана", "Центральный банк Узбекистана", `<time datetime="2026-11-26">26 ноября 2026</time>`,
		`<form class="converter" action="/ru/rates/#converter" method="get">`, `href="/ru/rates/?range=365#charts"`, "За последние 90 дней")
	for _, english := range []string{"National Bank", "Kazakh tenge", "Currency rates", "Official exchange rates"} {
		if strings.Contains(body, english) {
			t.Errorf("English %q on the Russian rates page", english)
		}
	}
	resp, body = f.get(t, "/ru/rates/?amount=abc&from=USD&to=KZT")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad amount: %d", resp.StatusCode)
	}
	expect(t, body, "Введите сумму числом, например 100 или 2500,50.")
	_, body = f.get(t, "/ru/rates/?amount=10&from=USD&to=XYZ")
	expect(t, body, "курса для «XYZ» нет")
}

func TestRatesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := newRatesFixture(t, db, nil)
		resp, body := f.get(t, "/api/v1/rates")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type %q", ct)
		}
		var latest struct {
			Base  string
			Rates []struct {
				Currency    string
				UnitsPerUSD float64 `json:"units_per_usd"`
				BankDate    string  `json:"bank_date"`
				Source      string
				ChangePct   *float64 `json:"change_pct"`
				Previous    *struct {
					BankDate string `json:"bank_date"`
				}
			}
		}
		must(t, json.Unmarshal([]byte(body), &latest))
		if len(latest.Rates) != 3 || latest.Rates[1].Currency != "KZT" || latest.Rates[1].UnitsPerUSD != 478.77 ||
			latest.Rates[1].BankDate != "2026-11-26" || latest.Rates[1].Source != "nbk" || latest.Rates[1].Previous.BankDate != "2026-11-25" ||
			*latest.Rates[1].ChangePct != -0.26 {
			t.Errorf("latest = %s", body)
		}
		_, body = f.get(t, "/api/v1/rates/kzt?from=2026-11-01&to=2026-11-30")
		var hist struct {
			Currency, From, To string
			Rates              []struct {
				BankDate string `json:"bank_date"`
			}
		}
		must(t, json.Unmarshal([]byte(body), &hist))
		if hist.Currency != "KZT" || len(hist.Rates) != 2 || hist.Rates[0].BankDate != "2026-11-25" {
			t.Errorf("history = %s", body)
		}
		for path, status := range map[string]int{
			"/api/v1/rates/KZT?from=2026-13-01":               400,
			"/api/v1/rates/KZT?from=2026-11-30&to=2026-11-01": 400,
			"/api/v1/rates/KZT?from=2000-01-01&to=2026-11-01": 400,
			"/api/v1/rates/EUR":                               404,
			"/api/v1/rates/%00":                               404,
		} {
			resp, body := f.get(t, path)
			if resp.StatusCode != status || resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"detail"`) {
				t.Errorf("%s: %d %s %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		}
	})
}

func TestDemoRatesAreMarked(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	n, err := demo.FillRates(context.Background(), db, nil, testNow, 1)
	if err != nil || n < 5*250 {
		t.Fatalf("FillRates = %d, %v", n, err)
	}
	if n, _ := demo.FillRates(context.Background(), db, nil, testNow, 1); n != 0 {
		t.Errorf("a second FillRates added %d rates", n)
	}
	f := newFixture(t, db)
	_, body := f.get(t, "/")
	expect(t, ticker(t, body), `<a class="ticker-demo" href="/rates/">Demo data</a>`, "TMT/USD", "UZS/USD")
	_, body = f.get(t, "/rates/")
	expect(t, body, "<strong>Demo data:</strong>", "(demonstration data)")
}
