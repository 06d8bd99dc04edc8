package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"dastan/internal/store"
)

// dastan rates backfill asks the bank for each weekday in the range,
// stores what it answers, reports each currency, and a second run adds
// nothing twice.
func TestRatesBackfillCommand(t *testing.T) {
	days := map[string]string{"01.04.2026": "nbk_0.xml", "02.04.2026": "nbk_1.xml", "03.04.2026": "nbk_2.xml"}
	var asked []string
	bank := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := r.URL.Query().Get("fdate")
		asked = append(asked, d)
		file, ok := days[d]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile("../../internal/rates/testdata/" + file)
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		w.Write(b)
	}))
	defer bank.Close()
	dir := t.TempDir()
	args := []string{"rates", "backfill", "--from", "2026-04-01", "--to", "2026-04-03", "-data-dir", dir,
		"-rates", "KZT=nbk:" + bank.URL + "/rss/get_rates.cfm?fdate={DD}.{MM}.{YYYY}", "-log-level", "error"}
	for round := 0; round < 2; round++ {
		var out, errs syncBuffer
		if err := run(context.Background(), args, &out, &errs); err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, errs.String())
		}
		if !strings.Contains(out.String(), "KZT  3 saved") {
			t.Fatalf("round %d report:\n%s", round, out.String())
		}
	}
	if len(asked) != 6 {
		t.Errorf("the bank was asked %d times for three weekdays over two runs: %v", len(asked), asked)
	}
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hist, err := db.RateHistory(context.Background(), "KZT", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || !hist[0].BankDate.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("KZT history: %d days from %v, want 3 from 1 April", len(hist), hist[0].BankDate)
	}
	if n, err := db.CountRates(context.Background()); err != nil || n != 3 {
		t.Fatalf("%d observations stored after two runs (%v), want 3", n, err)
	}
}
