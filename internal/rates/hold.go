package rates

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Two answers a bank has really given, and Dastan must not show:
//
//   - one dated in the future (01.01.2099): the newest date wins the
//     ticker, so it stayed there for good, whatever the bank said after;
//   - a misplaced decimal point (4787.70 for 478.77): still inside the
//     plausible band, so it passed every check and showed a tenth of the
//     tenge's value.
//
// The first is refused outright. The second is held back until the bank
// says it again, because a real devaluation looks the same for a day.

// DefaultMaxJump is the largest day-over-day change, either way, that is
// shown at once: 25% up or its equal down (÷1.25). A misplaced decimal
// point is ×10 or ÷10, a nominal read wrong ×100; ordinary days move
// these currencies by well under 2%, and a devaluation (the tenge's +30% in
// August 2015) is held only until the next fetch confirms it.
const DefaultMaxJump = 0.25

// Holds is where the Fetcher keeps rates held back for a jump, and reads
// the last good rates it measures jumps from. The store implements it,
// so a hold outlives a restart and every instance, and `dastan rates
// fetch`, can confirm it.
type Holds interface {
	LatestRates(ctx context.Context) (map[string][2]Observation, error)
	HeldRates(ctx context.Context) (map[string]Observation, error)
	HoldRate(ctx context.Context, o Observation) error
	ReleaseHeldRate(ctx context.Context, currency string) error
}

// FutureDateError is an answer dated after tomorrow in the bank's own
// zone. Banks publish tomorrow's rate in the afternoon; nothing later is
// real.
type FutureDateError struct {
	Source   string
	BankDate time.Time // the date the answer carried
	Today    time.Time // the bank's today when it was fetched
	Zone     string
}

func (e *FutureDateError) Error() string {
	return fmt.Sprintf("%s: refused a rate dated %s, after tomorrow (today is %s in %s)",
		e.Source, e.BankDate.Format(time.DateOnly), e.Today.Format(time.DateOnly), e.Zone)
}

// HeldError is an answer that jumped too far from the last good rate; it
// is held, not shown, until a fetch answers the same value again.
type HeldError struct {
	Rate, Last Observation
	MaxJump    float64
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("%s: %s per USD on %s is %+.1f%% from the last good %s on %s, beyond ±%g%%; held until the bank answers it again",
		e.Rate.Source, FormatRate(e.Rate.UnitsPerUSD), e.Rate.BankDate.Format(time.DateOnly), change(e.Last, e.Rate),
		FormatRate(e.Last.UnitsPerUSD), e.Last.BankDate.Format(time.DateOnly), e.MaxJump*100)
}

// change is the percentage change from a to b.
func change(a, b Observation) float64 { return (b.UnitsPerUSD/a.UnitsPerUSD - 1) * 100 }

// checkDate refuses an answer dated after tomorrow in the bank's zone.
func (f *Fetcher) checkDate(p Provider, o Observation) error {
	loc := p.Location()
	today := dateOnly(f.now().In(loc))
	if !o.BankDate.After(today.AddDate(0, 0, 1)) {
		return nil
	}
	err := &FutureDateError{Source: p.ID(), BankDate: o.BankDate, Today: today, Zone: loc.String()}
	f.cfg.Logger.Warn("rates: refusing a rate dated after tomorrow in the bank's zone; the last good rate stays",
		"currency", o.Currency, "source", p.ID(), "bank_date", o.BankDate.Format(time.DateOnly),
		"bank_today", today.Format(time.DateOnly), "zone", loc.String(), "value", o.UnitsPerUSD)
	f.count("dastan_rates_future_refused_total", o.Currency)
	return err
}

// jumped reports a change from last to o beyond the bound, either way.
func (f *Fetcher) jumped(last, o Observation) bool {
	r := o.UnitsPerUSD / last.UnitsPerUSD
	if r < 1 {
		r = 1 / r
	}
	return r > 1+f.cfg.MaxJump
}

// sameRate reports two answers of one value, as the bank wrote it.
func sameRate(a, b Observation) bool {
	return a.Currency == b.Currency && math.Abs(a.UnitsPerUSD-b.UnitsPerUSD) <= 1e-9*a.UnitsPerUSD
}

// holdJumps holds back the answers of res that jumped beyond the bound
// from the last good rate, unless the held one is being confirmed. It
// returns the currencies whose held answer is settled (confirmed, or
// given up for a normal one) once the good answers are saved.
func (f *Fetcher) holdJumps(ctx context.Context, res *Result) (settled []string, err error) {
	if f.cfg.Holds == nil || f.cfg.MaxJump <= 0 || len(res.Observations) == 0 {
		return nil, nil
	}
	latest, err := f.cfg.Holds.LatestRates(ctx)
	if err != nil {
		return nil, fmt.Errorf("rates: reading the last good rates: %w", err)
	}
	held, err := f.cfg.Holds.HeldRates(ctx)
	if err != nil {
		return nil, fmt.Errorf("rates: reading held rates: %w", err)
	}
	log := f.cfg.Logger
	var keep []Observation
	for _, o := range res.Observations {
		last := latest[o.Currency][0]
		h, isHeld := held[o.Currency]
		switch {
		case last.BankDate.IsZero() || last.Demo || !f.jumped(last, o):
			keep = append(keep, o)
			if isHeld {
				log.Info("rates: the bank answered in line with the last good rate again; the held rate is dropped",
					"currency", o.Currency, "source", o.Source, "value", o.UnitsPerUSD, "held", h.UnitsPerUSD)
				f.count("dastan_rates_jumps_dropped_total", o.Currency)
				settled = append(settled, o.Currency)
			}
		case isHeld && sameRate(h, o):
			log.Info("rates: the bank answered a held rate again; it is confirmed and shown",
				"currency", o.Currency, "source", o.Source, "value", o.UnitsPerUSD, "bank_date", o.BankDate.Format(time.DateOnly),
				"change_pct", change(last, o), "last_good", last.UnitsPerUSD)
			f.count("dastan_rates_jumps_confirmed_total", o.Currency)
			if h.BankDate.Before(o.BankDate) {
				keep = append(keep, h) // its own day was real too
			}
			keep = append(keep, o)
			settled = append(settled, o.Currency)
		default:
			if err := f.cfg.Holds.HoldRate(ctx, o); err != nil {
				return nil, fmt.Errorf("rates: holding %s: %w", o.Currency, err)
			}
			he := &HeldError{Rate: o, Last: last, MaxJump: f.cfg.MaxJump}
			log.Warn("rates: holding a rate that jumped from the last good one; it is shown once the bank answers it again",
				"currency", o.Currency, "source", o.Source, "value", o.UnitsPerUSD, "bank_date", o.BankDate.Format(time.DateOnly),
				"last_good", last.UnitsPerUSD, "last_good_date", last.BankDate.Format(time.DateOnly),
				"change_pct", change(last, o), "max_jump_pct", f.cfg.MaxJump*100)
			f.count("dastan_rates_jumps_held_total", o.Currency)
			res.Errors[o.Currency] = he
		}
	}
	res.Observations = keep
	return settled, nil
}

// count adds one to a per-currency counter, when metrics are kept.
func (f *Fetcher) count(name, currency string) {
	if f.cfg.Metrics != nil {
		f.cfg.Metrics.Add(name+`{currency="`+currency+`"}`, 1)
	}
}
