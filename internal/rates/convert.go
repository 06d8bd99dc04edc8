package rates

import (
	"fmt"
	"math"
	"strings"
)

// Convert turns amount of one currency into another through their dollar
// rates; either may be "USD". latest holds each currency's newest observation.
func Convert(amount float64, from, to string, latest map[string]Observation) (float64, error) {
	if math.IsNaN(amount) || math.IsInf(amount, 0) {
		return 0, fmt.Errorf("rates: amount %v is not a number", amount)
	}
	perUSD := func(code string) (float64, error) {
		code = strings.ToUpper(code)
		if code == "USD" {
			return 1, nil
		}
		o, ok := latest[code]
		if !ok {
			return 0, fmt.Errorf("rates: no rate for %s", code)
		}
		if err := o.Validate(); err != nil {
			return 0, err
		}
		return o.UnitsPerUSD, nil
	}
	f, err := perUSD(from)
	if err != nil {
		return 0, err
	}
	t, err := perUSD(to)
	if err != nil {
		return 0, err
	}
	return amount / f * t, nil
}
