package rates

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Orientation is which way round a rate is shown.
type Orientation string

const (
	// LocalUSD shows the dollar value of one local unit: "KZT/USD = 0.002089".
	LocalUSD Orientation = "local/usd"
	// USDLocal shows local units per dollar: "USD/KZT = 478.77".
	USDLocal Orientation = "usd/local"
)

// ParseOrientation reads "local/usd" or "usd/local".
func ParseOrientation(s string) (Orientation, error) {
	switch o := Orientation(strings.ToLower(strings.TrimSpace(s))); o {
	case LocalUSD, USDLocal:
		return o, nil
	}
	return "", fmt.Errorf("rates: orientation %q: want local/usd or usd/local", s)
}

// Pair names the pair shown for a local currency, e.g. "KZT/USD".
func (o Orientation) Pair(code string) string {
	if o == USDLocal {
		return "USD/" + code
	}
	return code + "/USD"
}

// Value is the number shown for an observation in this orientation.
func (o Orientation) Value(obs Observation) float64 {
	if o == USDLocal {
		return obs.UnitsPerUSD
	}
	return obs.USDPerUnit()
}

// FormatRate writes a rate with at least four significant digits (UZS/USD is
// 0.00008201, never 0.00008) and at least two decimals for larger values as
// the banks publish them (478.77), dropping trailing zeros beyond the fourth
// significant digit (87.4500 → 87.45, 12000.00 → 12000).
func FormatRate(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if v == 0 {
		return "0"
	}
	intDigits := int(math.Floor(math.Log10(math.Abs(v)))) + 1
	decimals := max(2, 4-intDigits)
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	for strings.Contains(s, ".") && strings.HasSuffix(s, "0") && sigDigits(s) > 4 {
		s = s[:len(s)-1]
	}
	return strings.TrimSuffix(s, ".")
}

// sigDigits counts the significant digits of a decimal string.
func sigDigits(s string) int {
	s = strings.TrimLeft(s, "-+")
	digits := strings.ReplaceAll(s, ".", "")
	digits = strings.TrimLeft(digits, "0")
	return len(digits)
}

// FormatChange writes a percentage change with sign and two decimals, and its
// direction "up", "down" or "flat". Anything that rounds to zero is "0.00%"
// and flat: never "-0.00%".
func FormatChange(pct float64) (text string, dir string) {
	if math.IsNaN(pct) || math.IsInf(pct, 0) {
		return "", "flat"
	}
	r := math.Round(pct*100) / 100
	switch {
	case r > 0:
		return fmt.Sprintf("+%.2f%%", r), "up"
	case r < 0:
		return fmt.Sprintf("%.2f%%", r), "down"
	}
	return "0.00%", "flat"
}

// TickerItem is one currency in the ticker, ready for a template.
type TickerItem struct {
	Pair   string // "KZT/USD"
	Rate   string // "0.002089"
	Change string // "+0.12%", "0.00%", or "" with no previous rate
	Dir    string // up, down, flat
	Stale  bool   // the bank's date is before its last business day: shown "as of" it
	// BankDate is the rate's date; OldYear says it is not this year's,
	// so its year is shown too.
	BankDate time.Time
	OldYear  bool
	Code     string // "KZT"
}

// BuildTicker turns each currency's latest and previous observations into
// ticker items, in alphabetical order of currency code. The change is of the
// value shown, so it follows the orientation.
//
// Staleness: banks set rates on business days, and a rate may be dated a
// weekend or the next day (NBKR dates a rate by the day it takes effect; a
// rate published on Friday for Monday may carry Saturday's date). Before a
// bank publishes in the morning, yesterday's rate is the right one to show.
// So a rate is stale only when its date is before the last business day
// (Mon–Fri) strictly before today in loc: on Monday a Friday rate is current,
// on Tuesday it is stale. Public holidays are not known here, so the day
// after one shows "as of" — true, if cautious.
func BuildTicker(latest map[string][2]Observation, o Orientation, now time.Time, loc *time.Location) []TickerItem {
	if loc == nil {
		loc = time.UTC
	}
	cutoff := lastBusinessDayBefore(dateOnly(now.In(loc)))
	codes := make([]string, 0, len(latest))
	for code := range latest {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	items := make([]TickerItem, 0, len(codes))
	for _, code := range codes {
		cur, prev := latest[code][0], latest[code][1]
		if cur.Validate() != nil {
			continue
		}
		it := TickerItem{Pair: o.Pair(code), Code: code, Dir: "flat"}
		v := o.Value(cur)
		it.Rate = FormatRate(v)
		if prev.Validate() == nil && prev.BankDate.Before(cur.BankDate) {
			pv := o.Value(prev)
			it.Change, it.Dir = FormatChange((v - pv) / pv * 100)
		}
		if cur.BankDate.Before(cutoff) {
			it.Stale, it.BankDate, it.OldYear = true, cur.BankDate, cur.BankDate.Year() != now.In(loc).Year()
		}
		items = append(items, it)
	}
	return items
}

// DefaultTickerOrder is the reference newsroom's order of its currencies.
var DefaultTickerOrder = []string{"KGS", "KZT", "TJS", "UZS", "TMT"}

// OrderTicker puts items in order's order of currency codes; the ones
// order does not name keep their (alphabetical) order after them.
func OrderTicker(items []TickerItem, order []string) []TickerItem {
	rank := func(code string) int {
		for i, c := range order {
			if c == code {
				return i
			}
		}
		return len(order)
	}
	sort.SliceStable(items, func(i, j int) bool { return rank(items[i].Code) < rank(items[j].Code) })
	return items
}

func lastBusinessDayBefore(day time.Time) time.Time {
	d := day.AddDate(0, 0, -1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}
