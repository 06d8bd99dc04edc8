package rates

import (
	"dastan/internal/i18n"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestFormatRate(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{1 / 12194.21, "0.00008201"},
		{1 / 478.77, "0.002089"},
		{478.77, "478.77"},
		{87.45, "87.45"},
		{87.4500, "87.45"},
		{1 / 87.45, "0.01144"},
		{9.345, "9.345"},
		{9.3450, "9.345"},
		{10.8757, "10.88"},
		{12194.21, "12194.21"},
		{12000, "12000"},
		{3.5, "3.500"},
		{1 / 3.5, "0.2857"},
		{0.1, "0.1000"},
		{0, "0"},
		{math.NaN(), "–"},
	}
	for _, c := range cases {
		if got := FormatRate(c.v); got != c.want {
			t.Errorf("FormatRate(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestFormatChange(t *testing.T) {
	cases := []struct {
		pct       float64
		text, dir string
	}{
		{-0.004, "0.00%", "flat"},
		{0.004, "0.00%", "flat"},
		{math.Copysign(0, -1), "0.00%", "flat"},
		{0, "0.00%", "flat"},
		{1.234, "+1.23%", "up"},
		{-1.236, "-1.24%", "down"},
		{-0.006, "-0.01%", "down"},
		{12.5, "+12.50%", "up"},
		{math.NaN(), "", "flat"},
	}
	for _, c := range cases {
		text, dir := FormatChange(c.pct)
		if text != c.text || dir != c.dir {
			t.Errorf("FormatChange(%v) = %q %q, want %q %q", c.pct, text, dir, c.text, c.dir)
		}
	}
}

func obs(code string, v float64, d string) Observation {
	return Observation{Currency: code, Base: "USD", UnitsPerUSD: v, BankDate: day(d), Source: "test"}
}

func TestBuildTicker(t *testing.T) {
	almaty := time.FixedZone("Almaty", 5*3600)
	// Tuesday 7 April 2026, 10:00 in Almaty: the last business day before
	// today is Monday 6 April.
	now := time.Date(2026, 4, 7, 10, 0, 0, 0, almaty)
	latest := map[string][2]Observation{
		"KZT": {obs("KZT", 478.77, "2026-04-07"), obs("KZT", 481.54, "2026-04-06")},
		"UZS": {obs("UZS", 12194.21, "2026-04-06"), obs("UZS", 12194.5, "2026-04-03")},
		"KGS": {obs("KGS", 87.45, "2026-03-26"), obs("KGS", 87.45, "2026-03-25")},
		"TMT": {obs("TMT", 3.5, "2026-04-07"), {}},
	}
	items := BuildTicker(latest, LocalUSD, now, almaty)
	got := map[string]TickerItem{}
	var order []string
	for _, it := range items {
		got[it.Code] = it
		order = append(order, it.Code)
	}
	if strings.Join(order, ",") != "KGS,KZT,TMT,UZS" {
		t.Errorf("order %v", order)
	}
	// Tenge strengthened: fewer KZT per dollar, so KZT/USD went up.
	if k := got["KZT"]; k.Pair != "KZT/USD" || k.Rate != "0.002089" || k.Change != "+0.58%" || k.Dir != "up" || k.Stale {
		t.Errorf("KZT = %+v", k)
	}
	// 12194.21 vs 12194.5 is a -0.0024% move in UZS per USD: flat, never "-0.00%".
	if u := got["UZS"]; u.Rate != "0.00008201" || u.Change != "0.00%" || u.Dir != "flat" || u.Stale {
		t.Errorf("UZS = %+v", u)
	}
	if k := got["KGS"]; !k.Stale || k.BankDate.Format("2006-01-02") != "2026-03-26" || k.OldYear {
		t.Errorf("KGS = %+v", k)
	}
	if m := got["TMT"]; m.Change != "" || m.Dir != "flat" || m.Rate != "0.2857" {
		t.Errorf("TMT = %+v", m)
	}
	items = BuildTicker(latest, USDLocal, now, almaty)
	if items[1].Pair != "USD/KZT" || items[1].Rate != "478.77" || items[1].Change != "-0.58%" || items[1].Dir != "down" {
		t.Errorf("USD/KZT = %+v", items[1])
	}
}

func TestStaleness(t *testing.T) {
	cases := []struct {
		now, bank string
		stale     bool
	}{
		{"2026-04-06", "2026-04-03", false}, // Monday morning, Friday's rate
		{"2026-04-06", "2026-04-04", false}, // Monday, rate for Monday dated Saturday
		{"2026-04-06", "2026-04-02", true},  // Monday, Thursday's rate
		{"2026-04-07", "2026-04-03", true},  // Tuesday, Friday's rate: Monday's is missing
		{"2026-04-07", "2026-04-06", false}, // Tuesday before today's is published
		{"2026-04-05", "2026-04-03", false}, // Sunday, Friday's rate
		{"2026-04-04", "2026-04-02", true},  // Saturday, Thursday's rate
		{"2026-05-23", "2026-05-24", false}, // NBKR dates by the day a rate takes effect
	}
	for _, c := range cases {
		now := day(c.now).Add(9 * time.Hour)
		items := BuildTicker(map[string][2]Observation{"KGS": {obs("KGS", 87.45, c.bank), {}}}, USDLocal, now, time.UTC)
		if items[0].Stale != c.stale {
			t.Errorf("on %s (%s) a rate dated %s: stale = %v", c.now, now.Weekday(), c.bank, items[0].Stale)
		}
	}
	// Older than this year shows the year.
	items := BuildTicker(map[string][2]Observation{"KGS": {obs("KGS", 87.45, "2025-12-30"), {}}}, USDLocal, day("2026-01-07"), time.UTC)
	if it := items[0]; !it.OldYear || i18n.ShortDate(it.BankDate, it.OldYear, "en") != "30 Dec 2025" || i18n.ShortDate(it.BankDate, it.OldYear, "ru") != "30 дек. 2025" {
		t.Errorf("a rate of last year: %+v", it)
	}
}

func BenchmarkBuildTicker(b *testing.B) {
	latest := map[string][2]Observation{}
	for i, code := range []string{"KZT", "KGS", "TJS", "UZS", "TMT"} {
		v := []float64{478.77, 87.45, 9.345, 12194.21, 3.5}[i]
		latest[code] = [2]Observation{obs(code, v, "2026-04-07"), obs(code, v*1.001, "2026-04-06")}
	}
	now := time.Date(2026, 4, 7, 10, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = BuildTicker(latest, LocalUSD, now, time.UTC)
	}
}

func TestConvert(t *testing.T) {
	latest := map[string]Observation{
		"KZT": obs("KZT", 478.77, "2026-04-01"),
		"UZS": obs("UZS", 12194.21, "2026-04-01"),
	}
	cases := []struct {
		amt      float64
		from, to string
		want     float64
	}{
		{100, "USD", "KZT", 47877},
		{47877, "KZT", "USD", 100},
		{1000, "kzt", "UZS", 1000 / 478.77 * 12194.21},
		{5, "USD", "USD", 5},
	}
	for _, c := range cases {
		got, err := Convert(c.amt, c.from, c.to, latest)
		if err != nil || math.Abs(got-c.want) > 1e-9*math.Max(1, c.want) {
			t.Errorf("Convert(%v %s→%s) = %v, %v; want %v", c.amt, c.from, c.to, got, err, c.want)
		}
	}
	if _, err := Convert(1, "KZT", "TJS", latest); err == nil {
		t.Error("converted to a currency without a rate")
	}
	if _, err := Convert(math.NaN(), "KZT", "USD", latest); err == nil {
		t.Error("converted NaN")
	}
	latest["TJS"] = obs("TJS", 0, "2026-04-01")
	if _, err := Convert(1, "KZT", "TJS", latest); err == nil {
		t.Error("converted with a zero rate")
	}
}

func TestDemoHistory(t *testing.T) {
	codes := []string{"KZT", "KGS", "TJS", "UZS", "TMT", "XYZ"}
	end := day("2026-04-07")
	h := DemoHistory(codes, 365, end, 42)
	if fmt.Sprint(h) != fmt.Sprint(DemoHistory(codes, 365, end, 42)) {
		t.Error("same seed, different history")
	}
	bands := map[string][2]float64{"KZT": {480, 520}, "KGS": {87, 88}, "TJS": {9.3, 10.9}, "UZS": {12000, 12900}, "TMT": {3.5, 3.5}}
	count := map[string]int{}
	for _, o := range h {
		count[o.Currency]++
		b, ok := bands[o.Currency]
		if !ok {
			t.Fatalf("unexpected currency %s", o.Currency)
		}
		if o.UnitsPerUSD < b[0] || o.UnitsPerUSD > b[1] || !o.Demo || o.Validate() != nil {
			t.Errorf("implausible %+v", o)
		}
		if wd := o.BankDate.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("weekend %v", o.BankDate)
		}
		if o.BankDate.After(end) || o.BankDate.Before(end.AddDate(-1, 0, 0)) {
			t.Errorf("out of range %v", o.BankDate)
		}
	}
	for code := range bands {
		if count[code] < 255 || count[code] > 265 {
			t.Errorf("%s: %d weekdays in a year", code, count[code])
		}
	}
}

func TestChartSVG(t *testing.T) {
	h := DemoHistory([]string{"KZT"}, 60, day("2026-04-07"), 1)
	for _, n := range []int{0, 1, len(h)} {
		svg := ChartSVG(h[:n], LocalUSD, 600, 200, "en", words(t))
		for _, want := range []string{`role="img"`, "<title>", "</svg>"} {
			if !strings.Contains(svg, want) {
				t.Errorf("%d points: missing %s in %s", n, want, svg)
			}
		}
		if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") || strings.Contains(svg, "<script") {
			t.Errorf("%d points: %s", n, svg)
		}
	}
	svg := ChartSVG(h, USDLocal, 600, 200, "en", words(t))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, o := range h {
		lo, hi = math.Min(lo, o.UnitsPerUSD), math.Max(hi, o.UnitsPerUSD)
	}
	if !strings.Contains(svg, ">"+FormatRate(lo)+"<") || !strings.Contains(svg, ">"+FormatRate(hi)+"<") ||
		!strings.Contains(svg, "USD/KZT") || !strings.Contains(svg, "demonstration") || !strings.Contains(svg, "<polyline") {
		t.Errorf("chart lacks labels: %s", svg)
	}
	ru := ChartSVG(h, USDLocal, 600, 200, "ru", words(t))
	if !strings.Contains(ru, "демонстрационные данные") || !strings.Contains(ru, "42 курса;") || !strings.Contains(ru, "апр. 2026<") {
		t.Errorf("the chart in Russian: %s", ru)
	}
	if svg := ChartSVG(h[:1], USDLocal, 600, 200, "en", words(t)); !strings.Contains(svg, "<circle") {
		t.Errorf("one point: %s", svg)
	}
	flat := []Observation{obs("TMT", 3.5, "2026-04-01"), obs("TMT", 3.5, "2026-04-02")}
	if svg := ChartSVG(flat, USDLocal, 600, 200, "en", words(t)); strings.Contains(svg, "NaN") {
		t.Errorf("flat: %s", svg)
	}
}

func TestOrderTicker(t *testing.T) {
	items := []TickerItem{{Code: "KGS"}, {Code: "KZT"}, {Code: "RUB"}, {Code: "TJS"}, {Code: "TMT"}, {Code: "UZS"}}
	got := OrderTicker(items, DefaultTickerOrder)
	var codes []string
	for _, it := range got {
		codes = append(codes, it.Code)
	}
	if want := "KGS KZT TJS UZS TMT RUB"; strings.Join(codes, " ") != want {
		t.Errorf("order = %v, want %s", codes, want)
	}
}

func words(t testing.TB) *i18n.Catalogue {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
