package rates

import (
	"context"
	"strings"
	"testing"
	"time"
)

type pairSink struct{ latest map[string][2]Observation }

func (m *pairSink) SaveObservations(_ context.Context, obs []Observation) error {
	for _, o := range obs {
		m.latest[o.Currency] = [2]Observation{o, m.latest[o.Currency][0]}
	}
	return nil
}

func (m *pairSink) load(context.Context) (map[string][2]Observation, error) {
	out := map[string][2]Observation{}
	for k, v := range m.latest {
		out[k] = v
	}
	return out, nil
}

func TestBoardRefreshAndTicker(t *testing.T) {
	now := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC) // a Friday
	mem := &pairSink{latest: map[string][2]Observation{}}
	changes := 0
	b := NewBoard(BoardOptions{Load: mem.load, Now: func() time.Time { return now }, OnChange: func() { changes++ }})
	if err := b.Refresh(context.Background()); err != nil || b.Ticker("en") != "" || changes != 0 {
		t.Fatalf("empty board: %q, %d changes, %v", b.Ticker("en"), changes, err)
	}
	sink := b.Sink(mem)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(sink.SaveObservations(context.Background(), []Observation{{Currency: "UZS", Base: "USD", UnitsPerUSD: 12200, BankDate: day(25), Source: "cbu"}}))
	must(sink.SaveObservations(context.Background(), []Observation{{Currency: "UZS", Base: "USD", UnitsPerUSD: 12100, BankDate: day(26), Source: "cbu"}}))
	html := string(b.Ticker("en"))
	if changes != 2 {
		t.Errorf("OnChange ran %d times, want 2", changes)
	}
	if n := strings.Count(html, `<ul class="ticker-list">`); n != 1 {
		t.Errorf("%d readable lists, want 1", n)
	}
	if n := strings.Count(html, `<ul class="ticker-list" aria-hidden="true">`); n != 2 {
		t.Errorf("%d hidden copies, want 2", n)
	}
	if n := strings.Count(html, `tabindex="-1"`); n != 2 {
		t.Errorf("%d links out of the tab order, want 2 (one per hidden copy)", n)
	}
	for _, want := range []string{`href="/rates/#UZS"`, "UZS/USD", "0.00008264", `<span class="mark" role="img" aria-label="up">▲</span> +0.83%`, "▲"} {
		if !strings.Contains(html, want) {
			t.Errorf("ticker lacks %q:\n%s", want, html)
		}
	}
	// Refreshing with nothing new leaves cached pages alone.
	must(b.Refresh(context.Background()))
	if changes != 2 {
		t.Errorf("an unchanged refresh ran OnChange")
	}
	// The next Tuesday the Thursday rate is stale and says so.
	now = time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)
	must(b.Refresh(context.Background()))
	if !strings.Contains(string(b.Ticker("en")), "as of 26 Mar") || changes != 3 {
		t.Errorf("stale rate without its date: %s", b.Ticker("en"))
	}
}
