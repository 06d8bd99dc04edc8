package store_test

import (
	"context"
	"testing"
	"time"

	"dastan/internal/rates"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func obs(code, date string, v float64, source string, demo bool) rates.Observation {
	return rates.Observation{Currency: code, Base: "USD", UnitsPerUSD: v, BankDate: day(date), Source: source,
		FetchedAt: day(date).Add(6 * time.Hour), Demo: demo}
}

func TestRatesLatestAndHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		gen0, _ := db.Generation(ctx)
		must(t, db.SaveObservations(ctx, []rates.Observation{
			obs("KZT", "2026-03-24", 500.10, "nbk", false),
			obs("KZT", "2026-03-25", 501.20, "nbk", false),
			obs("KZT", "2026-03-26", 502.30, "nbk", false),
			obs("UZS", "2026-03-26", 12100, "cbu", false),
		}))
		gen1, _ := db.Generation(ctx)
		if gen1 == gen0 {
			t.Error("saving new rates did not bump the generation")
		}
		// The same answer again changes nothing, so pages are left alone.
		must(t, db.SaveObservations(ctx, []rates.Observation{obs("KZT", "2026-03-26", 502.30, "nbk", false)}))
		if g, _ := db.Generation(ctx); g != gen1 {
			t.Error("saving an unchanged rate bumped the generation")
		}
		// A bank's correction replaces its own value for that day.
		must(t, db.SaveObservations(ctx, []rates.Observation{obs("KZT", "2026-03-26", 502.35, "nbk", false)}))

		latest, err := db.LatestRates(ctx)
		must(t, err)
		kzt := latest["KZT"]
		if kzt[0].UnitsPerUSD != 502.35 || !kzt[0].BankDate.Equal(day("2026-03-26")) || kzt[0].Source != "nbk" {
			t.Errorf("latest KZT = %+v", kzt[0])
		}
		if kzt[1].UnitsPerUSD != 501.20 || !kzt[1].BankDate.Equal(day("2026-03-25")) {
			t.Errorf("previous KZT = %+v", kzt[1])
		}
		if uzs := latest["UZS"]; uzs[0].UnitsPerUSD != 12100 || !uzs[1].BankDate.IsZero() {
			t.Errorf("UZS = %+v", uzs)
		}

		h, err := db.RateHistory(ctx, "KZT", day("2026-03-25"), day("2026-03-26"))
		must(t, err)
		if len(h) != 2 || h[0].UnitsPerUSD != 501.20 || h[1].UnitsPerUSD != 502.35 {
			t.Errorf("history = %+v", h)
		}
		if h, err := db.RateHistory(ctx, "XXX\x00", day("2026-01-01"), day("2026-12-31")); err != nil || len(h) != 0 {
			t.Errorf("history of a bad code = %v, %v", h, err)
		}
		if n, err := db.CountRates(ctx); err != nil || n != 4 {
			t.Errorf("CountRates = %d, %v", n, err)
		}
	})
}

func TestRatesRealDataWinsOverDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		demo := rates.DemoHistory([]string{"KZT", "KGS"}, 30, day("2026-03-27"), 1)
		must(t, db.SaveObservations(ctx, demo))
		latest, err := db.LatestRates(ctx)
		must(t, err)
		if !latest["KZT"][0].Demo || !latest["KGS"][0].Demo || !latest["KZT"][1].Demo {
			t.Fatalf("with only demo data the demo series stands in: %+v", latest)
		}
		// A real rate for a day the demo also covers, and one older day.
		must(t, db.SaveObservations(ctx, []rates.Observation{
			obs("KZT", "2026-03-26", 478.77, "nbk", false),
			obs("KZT", "2026-03-27", 479.50, "nbk", false),
		}))
		latest, err = db.LatestRates(ctx)
		must(t, err)
		kzt := latest["KZT"]
		if kzt[0].Demo || kzt[0].UnitsPerUSD != 479.50 || kzt[1].Demo || kzt[1].UnitsPerUSD != 478.77 {
			t.Errorf("real KZT must win: %+v", kzt)
		}
		if !latest["KGS"][0].Demo {
			t.Errorf("KGS has no real data and keeps its demo series: %+v", latest["KGS"])
		}
		h, err := db.RateHistory(ctx, "KZT", day("2026-01-01"), day("2026-12-31"))
		must(t, err)
		if len(h) != 2 || h[0].Demo || h[1].Demo {
			t.Errorf("KZT history must hold only real rates: %+v", h)
		}
		h, err = db.RateHistory(ctx, "KGS", day("2026-01-01"), day("2026-12-31"))
		must(t, err)
		if len(h) < 15 || !h[0].Demo {
			t.Errorf("KGS demo history: %d rows", len(h))
		}
	})
}
