package rates

import (
	"bufio"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// recording is one row of testdata/INDEX.tsv: a bank's answer, byte for byte.
type recording struct {
	file, request, contentType string
}

func loadIndex(t testing.TB) []recording {
	t.Helper()
	f, err := os.Open("testdata/INDEX.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []recording
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		out = append(out, recording{cols[0], cols[1], cols[2]})
	}
	return out
}

// replayServer answers every recorded request (matched on path and query)
// with its recorded body and content type, and 404 for anything else.
func replayServer(t *testing.T) *httptest.Server {
	t.Helper()
	byURI := map[string]recording{}
	for _, r := range loadIndex(t) {
		u, err := url.Parse(r.request)
		if err != nil {
			t.Fatal(err)
		}
		byURI[u.RequestURI()] = r
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec, ok := byURI[req.URL.RequestURI()]
		if !ok {
			http.NotFound(w, req)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", rec.file))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", rec.contentType)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// at moves a provider's public URL template onto a test server.
func at(srvURL, tmpl string) string {
	u, _ := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(tmpl))
	return srvURL + strings.TrimPrefix(tmpl, u.Scheme+"://"+u.Host)
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustProvider(t testing.TB, code, prov, u string) Provider {
	t.Helper()
	p, err := NewProvider(CurrencyConfig{Code: code, Provider: prov, URL: u})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReplayRecordings(t *testing.T) {
	srv := replayServer(t)
	c := srv.Client()
	cases := []struct {
		code, prov, tmpl, date string
		want                   float64
		wantDate               string
	}{
		{"KZT", "nbk", NBKURL, "2026-04-01", 478.77, "2026-04-01"},
		{"KZT", "nbk", NBKURL, "2026-04-02", 475.09, "2026-04-02"},
		{"KZT", "nbk", NBKURL, "2026-04-03", 472.31, "2026-04-03"},
		{"UZS", "cbu", CBUURL, "2026-04-01", 12194.21, "2026-04-01"},
		{"UZS", "cbu", CBUURL, "2026-04-02", 12142.10, "2026-04-02"},
		{"UZS", "cbu", CBUURL, "2026-04-03", 12149.84, "2026-04-03"},
		{"TJS", "nbt", NBTURL, "2026-05-18", 9.3450, "2026-05-18"},
		{"TJS", "nbt", NBTURL, "2026-05-19", 9.3371, "2026-05-19"},
		{"TJS", "nbt", NBTURL, "2026-05-20", 9.3288, "2026-05-20"},
		// NBKR takes no date and dates its rate by the day it takes effect:
		// recorded late on Saturday 23 May UTC, it is dated Sunday 24 May.
		{"KGS", "nbkr", NBKRURL, "2026-05-23", 87.45, "2026-05-24"},
	}
	for _, tc := range cases {
		t.Run(tc.prov+"/"+tc.date, func(t *testing.T) {
			p := mustProvider(t, tc.code, tc.prov, at(srv.URL, tc.tmpl))
			obs, err := p.Fetch(context.Background(), c, day(tc.date))
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(obs.UnitsPerUSD-tc.want) > 1e-9 || !obs.BankDate.Equal(day(tc.wantDate)) ||
				obs.Currency != tc.code || obs.Base != "USD" || obs.Source != tc.prov || obs.Demo {
				t.Errorf("got %+v, want %v on %s", obs, tc.want, tc.wantDate)
			}
		})
	}
}

func TestNBKRWeeklyHasNoDollar(t *testing.T) {
	body, _ := os.ReadFile("testdata/nbkr_live_1.xml")
	if _, err := parseNBKR(body); err == nil || !strings.Contains(err.Error(), "no USD") {
		t.Fatalf("weekly table: err = %v, want no USD line", err)
	}
}

func TestNBKRHistory(t *testing.T) {
	body, _ := os.ReadFile("testdata/nbkr_historical_0.html")
	qs, err := ParseNBKRHistory(body, "USD")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		d string
		v float64
	}{{"2005-06-04", 40.9879}, {"2005-06-11", 41.0511}, {"2005-06-18", 41.0685}, {"2005-06-25", 40.9614}}
	if len(qs) != len(want) {
		t.Fatalf("got %d quotes, want %d", len(qs), len(want))
	}
	for i, w := range want {
		if !qs[i].Date.Equal(day(w.d)) || qs[i].PerUnit != w.v || qs[i].Currency != "USD" {
			t.Errorf("quote %d = %+v, want %s %v", i, qs[i], w.d, w.v)
		}
	}
	// A plain table without the page's comment markers reads the same.
	plain := `<table><tr><th>Date</th><th>Rate</th></tr><tr><td>25.06.2005</td><td> 40,9614 </td></tr></table>`
	qs, err = ParseNBKRHistory([]byte(plain), "USD")
	if err != nil || len(qs) != 1 || qs[0].PerUnit != 40.9614 {
		t.Fatalf("plain table: %v %v", qs, err)
	}
	if _, err := ParseNBKRHistory([]byte("<p>nothing</p>"), "USD"); !errors.Is(err, ErrNoData) {
		t.Fatalf("no table: err = %v, want ErrNoData", err)
	}
}

func TestNBKRFetchRange(t *testing.T) {
	var gotQuery url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.Query()
		body, _ := os.ReadFile("testdata/nbkr_historical_0.html")
		w.Header().Set("Content-Type", "text/html;charset=UTF-8")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	p, err := NewProvider(CurrencyConfig{Code: "KGS", Provider: "nbkr", HistoryURL: at(srv.URL, NBKRHistoryURL)})
	if err != nil {
		t.Fatal(err)
	}
	obs, err := p.(RangeProvider).FetchRange(context.Background(), srv.Client(), day("2005-06-01"), day("2005-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 4 || obs[0].Currency != "KGS" || obs[0].UnitsPerUSD != 40.9879 {
		t.Fatalf("got %+v", obs)
	}
	if gotQuery.Get("valuta_id") != "15" || gotQuery.Get("beg_day") != "01" || gotQuery.Get("end_day") != "30" ||
		gotQuery.Get("end_year") != "2005" {
		t.Errorf("query = %v", gotQuery)
	}
}

func TestCBTWrittenPayloads(t *testing.T) {
	// No CBT answer was recorded; these files are written from the documented shape.
	for file, want := range map[string]string{"cbt_written.xml": "2026-04-02", "cbt_written_old.xml": "2019-03-01"} {
		body, _ := os.ReadFile("testdata/" + file)
		q, err := parseCBT(body)
		if err != nil || q.PerUnit != 3.5 || !q.Date.Equal(day(want)) {
			t.Errorf("%s: %+v %v", file, q, err)
		}
	}
}

// serve answers every request with one body, content type and status.
func serve(t *testing.T, status int, contentType string, body []byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func nbkBody(date, value, quant string) []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8"?><rates><date>` + date + `</date>` +
		`<item><title>EUR</title><description>550.10</description><quant>1</quant></item>` +
		`<item><title>USD</title><description>` + value + `</description><quant>` + quant + `</quant></item></rates>`)
}

func nbtBody(date, value, nominal string) []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8" ?><ValCurs Date="` + date + `" name="Foreign Currency Market">` +
		`<Valute ID="840"><CharCode>USD</CharCode><Nominal>` + nominal + `</Nominal><Name>US Dollar</Name><Value>` +
		value + `</Value></Valute></ValCurs>`)
}

func TestQuirks(t *testing.T) {
	ctx := context.Background()
	undeclared, _ := os.ReadFile("testdata/nbt_undeclared_1251.xml")
	cases := []struct {
		name       string
		code, prov string
		tmpl       string
		status     int
		ctype      string
		body       []byte
		date       string
		want       float64 // 0: an error is expected
		errIs      error
		errHas     string
	}{
		{"comma decimals", "KZT", "nbk", NBKURL, 200, "text/xml", nbkBody("01.04.2026", "478,77", "1"), "2026-04-01", 478.77, nil, ""},
		{"per 100 units", "TJS", "nbt", NBTURL, 200, "text/xml", nbtBody("2026-05-18", "934.50", "100"), "2026-05-18", 9.345, nil, ""},
		{"per 10 units comma", "KGS", "nbkr", NBKRURL, 200, "application/xml",
			[]byte(`<?xml version="1.0" encoding="windows-1251" ?><CurrencyRates Date="24.05.2026"><Currency ISOCode="USD"><Nominal>10</Nominal><Value>874,5000</Value></Currency></CurrencyRates>`),
			"2026-05-24", 87.45, nil, ""},
		{"undeclared windows-1251 under a UTF-8 header", "TJS", "nbt", NBTURL, 200, "text/xml;charset=UTF-8", undeclared, "2026-05-18", 9.345, nil, ""},
		{"ISO dates from CBU", "UZS", "cbu", CBUURL, 200, "application/json",
			[]byte(`[{"Ccy":"USD","Nominal":1,"Rate":12194.21,"Date":"2026-04-01"}]`), "2026-04-01", 12194.21, nil, ""},
		{"empty holiday table", "KZT", "nbk", NBKURL, 200, "text/xml", []byte(`<rates><date>01.05.2026</date></rates>`), "2026-05-01", 0, ErrNoData, ""},
		{"empty JSON array", "UZS", "cbu", CBUURL, 200, "application/json", []byte(`[]`), "2026-05-01", 0, ErrNoData, ""},
		{"empty body", "TJS", "nbt", NBTURL, 200, "text/xml", []byte("  \n"), "2026-05-01", 0, ErrNoData, ""},
		{"403", "KZT", "nbk", NBKURL, 403, "text/html", []byte("Forbidden"), "2026-04-01", 0, nil, "HTTP 403"},
		{"404", "KZT", "nbk", NBKURL, 404, "text/html", []byte("Not found"), "2026-04-01", 0, nil, "HTTP 404"},
		{"CBT Sunday 404", "TMT", "cbt", CBTURL, 404, "text/html", []byte("Not found"), "2026-04-05", 0, ErrNoData, "HTTP 404"},
		{"HTML error page with 200", "KZT", "nbk", NBKURL, 200, "text/html; charset=utf-8",
			[]byte("<!DOCTYPE html>\n<html><head><title>Technical works</title></head><body>Try later</body></html>"),
			"2026-04-01", 0, nil, `web page ("Technical works")`},
		{"HTML error page as JSON", "UZS", "cbu", CBUURL, 200, "application/json", []byte("<html><body>502</body></html>"), "2026-04-01", 0, nil, "web page"},
		{"NaN", "KZT", "nbk", NBKURL, 200, "text/xml", nbkBody("01.04.2026", "NaN", "1"), "2026-04-01", 0, nil, "unreadable number"},
		{"zero", "KZT", "nbk", NBKURL, 200, "text/xml", nbkBody("01.04.2026", "0.00", "1"), "2026-04-01", 0, nil, "not a positive number"},
		{"negative", "TJS", "nbt", NBTURL, 200, "text/xml", nbtBody("2026-05-18", "-9.345", "1"), "2026-05-18", 0, nil, "not a positive number"},
		{"absurd (decimal point lost)", "KZT", "nbk", NBKURL, 200, "text/xml", nbkBody("01.04.2026", "47877", "1"), "2026-04-01", 0, nil, "plausible"},
		{"absurd (per 100 read as per 1)", "UZS", "cbu", CBUURL, 200, "application/json",
			[]byte(`[{"Ccy":"USD","Nominal":"100","Rate":"12194.21","Date":"01.04.2026"}]`), "2026-04-01", 0, nil, "plausible"},
		{"zero nominal", "TJS", "nbt", NBTURL, 200, "text/xml", nbtBody("2026-05-18", "9.345", "0"), "2026-05-18", 0, nil, "nominal"},
		{"bad date", "TJS", "nbt", NBTURL, 200, "text/xml", nbtBody("18 May", "9.345", "1"), "2026-05-18", 0, nil, "unreadable date"},
		{"no dollar", "KZT", "nbk", NBKURL, 200, "text/xml", []byte(`<rates><date>01.04.2026</date><item><title>EUR</title><description>550</description><quant>1</quant></item></rates>`), "2026-04-01", 0, nil, "no USD"},
		{"truncated XML", "KZT", "nbk", NBKURL, 200, "text/xml", nbkBody("01.04.2026", "478.77", "1")[:120], "2026-04-01", 0, nil, "malformed XML"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, tc.status, tc.ctype, tc.body)
			p := mustProvider(t, tc.code, tc.prov, at(srv.URL, tc.tmpl))
			obs, err := p.Fetch(ctx, srv.Client(), day(tc.date))
			if tc.want != 0 {
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(obs.UnitsPerUSD-tc.want) > 1e-9 {
					t.Fatalf("rate = %v, want %v", obs.UnitsPerUSD, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; got %+v", obs)
			}
			if tc.errIs != nil && !errors.Is(err, tc.errIs) {
				t.Errorf("err = %v, want %v", err, tc.errIs)
			}
			if tc.errHas != "" && !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("err = %q, want it to mention %q", err, tc.errHas)
			}
			if !strings.HasPrefix(err.Error(), tc.prov+": ") {
				t.Errorf("err = %q, want it to name the provider", err)
			}
			if obs != (Observation{}) {
				t.Errorf("an error came with an observation: %+v", obs)
			}
		})
	}
}

func TestStatusErrorIsTyped(t *testing.T) {
	srv := serve(t, 403, "text/plain", []byte("no"))
	_, err := mustProvider(t, "UZS", "cbu", at(srv.URL, CBUURL)).Fetch(context.Background(), srv.Client(), day("2026-04-01"))
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 403 {
		t.Fatalf("err = %v, want a StatusError 403", err)
	}
}

func TestAnsweredForAnotherDate(t *testing.T) {
	body, _ := os.ReadFile("testdata/nbt_2.xml")
	srv := serve(t, 200, "text/xml;charset=UTF-8", body)
	obs, err := mustProvider(t, "TJS", "nbt", at(srv.URL, NBTURL)).Fetch(context.Background(), srv.Client(), day("1999-01-04"))
	var od *OtherDateError
	if !errors.As(err, &od) {
		t.Fatalf("err = %v, want OtherDateError", err)
	}
	if !od.Asked.Equal(day("1999-01-04")) || !od.Answered.Equal(day("2026-05-20")) {
		t.Errorf("error = %+v", od)
	}
	if !obs.BankDate.Equal(day("2026-05-20")) || obs.UnitsPerUSD != 9.3288 {
		t.Errorf("observation %+v should carry the bank's real date and rate", obs)
	}
}

func TestTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := srv.Client()
	c.Timeout = 50 * time.Millisecond
	start := time.Now()
	_, err := mustProvider(t, "KZT", "nbk", at(srv.URL, NBKURL)).Fetch(context.Background(), c, day("2026-04-01"))
	if err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("timeout took %v", time.Since(start))
	}
}

func TestConfig(t *testing.T) {
	c, err := ParseConfig(DefaultSetting)
	if err != nil {
		t.Fatal(err)
	}
	if c.String() != DefaultConfig().String() || c.String() != DefaultSetting {
		t.Errorf("round trip: %q", c.String())
	}
	c, err = ParseConfig(" kzt=NBK:https://mirror.example/nbk?d={DD}.{MM}.{YYYY} , UZS=cbu")
	if err != nil {
		t.Fatal(err)
	}
	if c.Currencies[0] != (CurrencyConfig{Code: "KZT", Provider: "nbk", URL: "https://mirror.example/nbk?d={DD}.{MM}.{YYYY}"}) {
		t.Errorf("got %+v", c.Currencies[0])
	}
	for _, bad := range []string{"", "KZT", "KZT=xyz", "KZT=cbu", "KZT=nbk,KZT=nbk", "KZT=nbk:ftp://x"} {
		if _, err := ParseConfig(bad); err == nil {
			t.Errorf("ParseConfig(%q) accepted", bad)
		}
	}
	ps, err := DefaultConfig().Providers()
	if err != nil || len(ps) != 5 {
		t.Fatal(ps, err)
	}
	for _, p := range ps {
		if p.SupportsHistory() == (p.ID() == "nbkr") {
			t.Errorf("%s: SupportsHistory = %v", p.ID(), p.SupportsHistory())
		}
	}
}

func TestExpandURL(t *testing.T) {
	if got := expandURL(CBTURL, day("2026-04-02")); got != "https://cbt.tm/kurs/2026/02042026.xml" {
		t.Error(got)
	}
	if got := expandURL(NBKURL, day("2026-04-02")); got != "https://nationalbank.kz/rss/get_rates.cfm?fdate=02.04.2026" {
		t.Error(got)
	}
}
