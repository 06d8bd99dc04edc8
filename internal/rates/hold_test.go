package rates

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"dastan/internal/metrics"
)

// recorded is a real recorded answer with its date and dollar line changed.
func recorded(t *testing.T, file string, swaps ...string) []byte {
	t.Helper()
	return []byte(strings.NewReplacer(swaps...).Replace(string(fixture(t, file))))
}

// A rate dated after tomorrow in the bank's own zone is refused, with a
// log line and a metric; tomorrow's is kept (banks publish it in the
// afternoon). At 18:30 UTC it is already tomorrow in Bishkek (UTC+6) but
// not yet in Dushanbe (UTC+5), so the same date is tomorrow for one bank
// and the day after for the other.
func TestFutureDatedRateIsRefused(t *testing.T) {
	kgs := serve(t, 200, "application/xml", recorded(t, "nbkr_live_0.xml", `Date="24.05.2026"`, `Date="29.11.2026"`))
	tjsLate := serve(t, 200, "text/xml", recorded(t, "nbt_0.xml", `Date="2026-05-18"`, `Date="2026-11-29"`))
	tjsTomorrow := serve(t, 200, "text/xml", recorded(t, "nbt_0.xml", `Date="2026-05-18"`, `Date="2026-11-28"`))
	kzt := serve(t, 200, "text/xml", recorded(t, "nbk_0.xml", "<date>01.04.2026</date>", "<date>01.01.2099</date>"))

	var logs bytes.Buffer
	m := metrics.New()
	cfg := fastConfig()
	cfg.Now = func() time.Time { return time.Date(2026, 11, 27, 18, 30, 0, 0, time.UTC) }
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	cfg.Metrics = m
	f := NewFetcher([]Provider{
		mustProvider(t, "KGS", "nbkr", kgs.URL),
		mustProvider(t, "TJS", "nbt", at(tjsLate.URL, NBTURL)),
		mustProvider(t, "KZT", "nbk", at(kzt.URL, NBKURL)),
	}, nil, cfg)
	res := f.FetchAll(context.Background(), day("2026-11-27"))
	if len(res.Observations) != 1 || res.Observations[0].Currency != "KGS" || !res.Observations[0].BankDate.Equal(day("2026-11-29")) {
		t.Errorf("kept %+v, want only KGS of 29 November", res.Observations)
	}
	for _, code := range []string{"TJS", "KZT"} {
		var fd *FutureDateError
		if !errors.As(res.Errors[code], &fd) {
			t.Errorf("%s: %v, want a FutureDateError", code, res.Errors[code])
		}
	}
	if !strings.Contains(res.Errors["KZT"].Error(), "refused a rate dated 2099-01-01, after tomorrow (today is 2026-11-27 in Asia/Almaty)") {
		t.Errorf("KZT error: %v", res.Errors["KZT"])
	}
	for _, want := range []string{`msg="rates: refusing a rate dated after tomorrow in the bank's zone; the last good rate stays" currency=TJS source=nbt bank_date=2026-11-29 bank_today=2026-11-27 zone=Asia/Dushanbe`,
		"currency=KZT source=nbk bank_date=2099-01-01"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	var out bytes.Buffer
	m.WriteTo(&out)
	if !strings.Contains(out.String(), `dastan_rates_future_refused_total{currency="KZT"} 1`) {
		t.Errorf("metrics:\n%s", out.String())
	}

	f = NewFetcher([]Provider{mustProvider(t, "TJS", "nbt", at(tjsTomorrow.URL, NBTURL))}, nil, cfg)
	if res := f.FetchAll(context.Background(), day("2026-11-27")); len(res.Observations) != 1 {
		t.Errorf("tomorrow's TJS rate: %+v", res)
	}
}

// Backfill refuses future dates too, also in a bank's history page.
func TestBackfillRefusesFutureDates(t *testing.T) {
	page := serve(t, 200, "text/html;charset=UTF-8", recorded(t, "nbkr_historical_0.html", "25.06.2005", "25.06.2099"))
	kgs, err := NewProvider(CurrencyConfig{Code: "KGS", Provider: "nbkr", URL: page.URL, HistoryURL: at(page.URL, NBKRHistoryURL)})
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	cfg := fastConfig()
	cfg.Logger = slog.New(slog.DiscardHandler)
	res, err := NewFetcher([]Provider{kgs}, sink, cfg).Backfill(context.Background(), day("2005-06-01"), day("2005-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.all) != 3 || !errors.As(res.Errors["KGS"], new(*FutureDateError)) {
		t.Errorf("saved %+v; errors %v", sink.all, res.Errors)
	}
	for _, o := range sink.all {
		if o.BankDate.Year() == 2099 {
			t.Errorf("saved %+v", o)
		}
	}
}
