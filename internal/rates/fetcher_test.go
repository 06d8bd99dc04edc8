package rates

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memSink keeps the newest observation per currency, like the store's
// upsert, and everything it was ever handed.
type memSink struct {
	mu     sync.Mutex
	latest map[string]Observation
	all    []Observation
}

func (s *memSink) SaveObservations(_ context.Context, obs []Observation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.latest == nil {
		s.latest = map[string]Observation{}
	}
	for _, o := range obs {
		s.all = append(s.all, o)
		s.latest[o.Currency] = o
	}
	return nil
}

// switchable serves whatever body it currently holds.
type switchable struct {
	body  atomic.Value // []byte
	ctype string
	uas   chan string
}

func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case s.uas <- r.UserAgent():
	default:
	}
	// Like CBT, turn away clients that do not say who they are.
	if !strings.HasPrefix(r.UserAgent(), "Dastan/") {
		http.Error(w, "Forbidden", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", s.ctype)
	_, _ = w.Write(s.body.Load().([]byte))
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fastConfig() FetcherConfig {
	return FetcherConfig{SiteURL: "https://timesca.com", Timeout: 2 * time.Second, Attempts: 3,
		BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, Pause: -1}
}

func TestFetcherKeepsGoodRateWhenABankAnswersGarbage(t *testing.T) {
	files := map[string]struct{ prov, tmpl, file, ctype string }{
		"KZT": {"nbk", NBKURL, "nbk_0.xml", "text/xml; charset=UTF-8"},
		"KGS": {"nbkr", NBKRURL, "nbkr_live_0.xml", "application/xml"},
		"TJS": {"nbt", NBTURL, "nbt_0.xml", "text/xml;charset=UTF-8"},
		"UZS": {"cbu", CBUURL, "cbu_0.json", "application/json"},
		"TMT": {"cbt", CBTURL, "cbt_written.xml", "text/xml"},
	}
	servers := map[string]*switchable{}
	var providers []Provider
	for code, f := range files {
		s := &switchable{ctype: f.ctype, uas: make(chan string, 10)}
		s.body.Store(fixture(t, f.file))
		srv := httptest.NewServer(s)
		defer srv.Close()
		servers[code] = s
		providers = append(providers, mustProvider(t, code, f.prov, at(srv.URL, f.tmpl)))
	}
	sink := &memSink{}
	cfg := fastConfig()
	fetched := time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC) // after every fixture's date
	cfg.Now = func() time.Time { return fetched }
	f := NewFetcher(providers, sink, cfg)

	res, err := f.Once(context.Background())
	if err != nil || len(res.Errors) != 0 || len(res.Observations) != 5 {
		t.Fatalf("first round: %+v %v", res, err)
	}
	for _, o := range res.Observations {
		if !o.FetchedAt.Equal(fetched) {
			t.Errorf("%s fetched at %v, not by the fetcher's clock (%v)", o.Currency, o.FetchedAt, fetched)
		}
	}
	if ua := <-servers["TMT"].uas; ua != "Dastan/1.0 (+https://timesca.com)" {
		t.Errorf("User-Agent = %q", ua)
	}
	good := sink.latest["KZT"]
	if good.UnitsPerUSD != 478.77 {
		t.Fatalf("KZT = %+v", good)
	}

	servers["KZT"].body.Store(nbkBody("02.04.2026", "-1", "1"))
	servers["UZS"].body.Store([]byte("<!DOCTYPE html><html><title>Bad gateway</title></html>"))
	res, err = f.Once(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors["KZT"] == nil || res.Errors["UZS"] == nil || len(res.Observations) != 3 {
		t.Fatalf("second round: %+v", res)
	}
	if sink.latest["KZT"] != good {
		t.Errorf("KZT replaced: %+v", sink.latest["KZT"])
	}
	if sink.latest["UZS"].UnitsPerUSD != 12194.21 {
		t.Errorf("UZS replaced: %+v", sink.latest["UZS"])
	}
	for _, o := range sink.all {
		if err := o.Validate(); err != nil {
			t.Errorf("sink was handed a bad observation: %v", err)
		}
	}
}

func TestFetcherRetriesTransientFailuresOnly(t *testing.T) {
	var calls atomic.Int32
	body := fixture(t, "nbk_0.xml")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	f := NewFetcher([]Provider{mustProvider(t, "KZT", "nbk", at(srv.URL, NBKURL))}, nil, fastConfig())
	res := f.FetchAll(context.Background(), day("2026-04-01"))
	if len(res.Errors) != 0 || len(res.Observations) != 1 || calls.Load() != 3 {
		t.Fatalf("after %d calls: %+v", calls.Load(), res)
	}

	var n404 atomic.Int32
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n404.Add(1)
		http.NotFound(w, r)
	}))
	defer counting.Close()
	f = NewFetcher([]Provider{mustProvider(t, "KZT", "nbk", at(counting.URL, NBKURL))}, nil, fastConfig())
	res = f.FetchAll(context.Background(), day("2026-04-01"))
	var se *StatusError
	if !errors.As(res.Errors["KZT"], &se) || n404.Load() != 1 {
		t.Fatalf("404 tried %d times: %v", n404.Load(), res.Errors)
	}
}

func TestFetcherPerRequestTimeoutRetries(t *testing.T) {
	var calls atomic.Int32
	body := fixture(t, "nbk_0.xml")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.Timeout = 50 * time.Millisecond
	f := NewFetcher([]Provider{mustProvider(t, "KZT", "nbk", at(srv.URL, NBKURL))}, nil, cfg)
	res := f.FetchAll(context.Background(), day("2026-04-01"))
	if len(res.Observations) != 1 || calls.Load() != 2 {
		t.Fatalf("after %d calls: %+v", calls.Load(), res)
	}
}

func TestBackfill(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	byDate := map[string]string{"01.04.2026": "nbk_0.xml", "02.04.2026": "nbk_1.xml", "03.04.2026": "nbk_2.xml"}
	nbk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := r.URL.Query().Get("fdate")
		mu.Lock()
		asked[d]++
		mu.Unlock()
		if f, ok := byDate[d]; ok {
			_, _ = w.Write(fixture(t, f))
			return
		}
		_, _ = w.Write([]byte(`<rates><date>` + d + `</date></rates>`)) // a holiday
	}))
	defer nbk.Close()
	// NBT answers its latest table whatever is asked: kept once, under its own date.
	nbt := serve(t, 200, "text/xml", fixture(t, "nbt_2.xml"))
	// NBKR has no history by day and its history page is not served here.
	nbkr := serve(t, 200, "application/xml", fixture(t, "nbkr_live_0.xml"))

	providers := []Provider{
		mustProvider(t, "KZT", "nbk", at(nbk.URL, NBKURL)),
		mustProvider(t, "TJS", "nbt", at(nbt.URL, NBTURL)),
	}
	kgs, _ := NewProvider(CurrencyConfig{Code: "KGS", Provider: "nbkr", URL: nbkr.URL, HistoryURL: nbkr.URL + "/history?x={DD}"})
	providers = append(providers, kgs)
	sink := &memSink{}
	f := NewFetcher(providers, sink, fastConfig())
	res, err := f.Backfill(context.Background(), day("2026-03-30"), day("2026-04-05"))
	if err != nil {
		t.Fatal(err)
	}
	var kzt, tjs int
	for _, o := range sink.all {
		switch o.Currency {
		case "KZT":
			kzt++
		case "TJS":
			tjs++
		}
	}
	if kzt != 3 || tjs != 1 {
		t.Errorf("saved %d KZT and %d TJS, want 3 and 1: %+v", kzt, tjs, sink.all)
	}
	if asked["04.04.2026"]+asked["05.04.2026"] != 0 || asked["30.03.2026"] != 1 {
		t.Errorf("asked %v: weekends should be skipped, weekdays asked once", asked)
	}
	if res.Errors["KZT"] != nil || res.Errors["TJS"] != nil {
		t.Errorf("errors: %v", res.Errors)
	}
	if res.Errors["KGS"] == nil {
		t.Errorf("KGS history page was not a table, want an error")
	}
}

// Run fetches at once and on every tick, and returns when its context
// ends. The test ticks by hand and waits on saves: no sleeps, no counts of
// real ticks.
func TestRunStopsWithContext(t *testing.T) {
	srv := serve(t, 200, "text/xml", fixture(t, "nbk_0.xml"))
	saved := make(chan int)
	f := NewFetcher([]Provider{mustProvider(t, "KZT", "nbk", at(srv.URL, NBKURL))}, notifySink(saved), fastConfig())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ticks := make(chan time.Time)
	done := make(chan struct{})
	go func() { f.run(ctx, ticks); close(done) }()
	if n := <-saved; n != 1 {
		t.Fatalf("first fetch saved %d observations", n)
	}
	for range 2 {
		ticks <- time.Time{}
		if n := <-saved; n != 1 {
			t.Fatalf("a tick's fetch saved %d observations", n)
		}
	}
	cancel()
	<-done // a Run that ignored ctx would hang here until the test times out
}

// notifySink reports each save's size on a channel, so a test can wait
// for saves instead of sleeping.
type notifySink chan<- int

func (s notifySink) SaveObservations(_ context.Context, obs []Observation) error {
	s <- len(obs)
	return nil
}
