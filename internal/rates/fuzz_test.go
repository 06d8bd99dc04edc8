package rates

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fuzzParser seeds a parser with the recorded payloads and checks the one
// property every parser must keep: no panic, and any rate it returns is a
// finite positive number on a real date.
func fuzzParser(f *testing.F, glob string, extra []string, parse func([]byte) (Quote, error)) {
	files, _ := filepath.Glob(filepath.Join("testdata", glob))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		q, err := parse(body)
		if err != nil {
			return
		}
		if math.IsNaN(q.PerUnit) || math.IsInf(q.PerUnit, 0) || q.PerUnit <= 0 {
			t.Fatalf("rate %v from %q", q.PerUnit, body)
		}
		if q.Date.IsZero() {
			t.Fatalf("no date from %q", body)
		}
	})
}

func FuzzParseNBK(f *testing.F) {
	fuzzParser(f, "nbk_*.xml", []string{string(nbkBody("01.04.2026", "478,77", "1")), "<rates></rates>"}, parseNBK)
}

func FuzzParseNBKR(f *testing.F) {
	fuzzParser(f, "nbkr_*", []string{"<CurrencyRates Date=\"24.05.2026\"></CurrencyRates>"}, func(b []byte) (Quote, error) {
		// The history page parser must hold the same property.
		if qs, err := ParseNBKRHistory(b, "USD"); err == nil {
			for _, q := range qs {
				if math.IsNaN(q.PerUnit) || math.IsInf(q.PerUnit, 0) || q.PerUnit <= 0 || q.Date.IsZero() {
					return q, nil
				}
			}
		}
		return parseNBKR(b)
	})
}

func FuzzParseNBT(f *testing.F) {
	fuzzParser(f, "nbt_*.xml", []string{string(nbtBody("2026-05-18", "934.50", "100"))}, parseNBT)
}

func FuzzParseCBU(f *testing.F) {
	fuzzParser(f, "cbu_*.json", []string{`[{"Ccy":"USD","Nominal":1,"Rate":12194.21,"Date":"2026-04-01"}]`, "[]"}, parseCBU)
}

func FuzzParseCBT(f *testing.F) {
	fuzzParser(f, "cbt_*.xml", nil, parseCBT)
}
