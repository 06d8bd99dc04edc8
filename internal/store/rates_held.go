package store

import (
	"context"
	"fmt"

	"dastan/internal/rates"
)

// HeldRates returns, per currency, the answer held back for jumping too
// far from the last good rate. With LatestRates, HoldRate and
// ReleaseHeldRate it implements rates.Holds.
func (db *DB) HeldRates(ctx context.Context) (map[string]rates.Observation, error) {
	obs, err := db.queryRates(ctx, `SELECT currency, base, bank_date, units_per_usd, source, fetched_at, 0 FROM rates_held`)
	if err != nil {
		return nil, fmt.Errorf("store: held rates: %w", err)
	}
	out := make(map[string]rates.Observation, len(obs))
	for _, o := range obs {
		out[o.Currency] = o
	}
	return out, nil
}

// HoldRate keeps o as its currency's held answer, replacing any other.
func (db *DB) HoldRate(ctx context.Context, o rates.Observation) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("store: hold rate: %w", err)
	}
	_, err := db.write(ctx, `INSERT INTO rates_held (currency, base, bank_date, units_per_usd, source, fetched_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (currency, base) DO UPDATE SET bank_date = excluded.bank_date, units_per_usd = excluded.units_per_usd,
		source = excluded.source, fetched_at = excluded.fetched_at`,
		o.Currency, o.Base, unix(o.BankDate), o.UnitsPerUSD, o.Source, unix(o.FetchedAt))
	if err != nil {
		return fmt.Errorf("store: hold rate %s: %w", o.Currency, err)
	}
	return nil
}

// ReleaseHeldRate forgets currency's held answer, confirmed or not.
func (db *DB) ReleaseHeldRate(ctx context.Context, currency string) error {
	if _, err := db.write(ctx, `DELETE FROM rates_held WHERE currency = ?`, currency); err != nil {
		return fmt.Errorf("store: release held rate %s: %w", currency, err)
	}
	return nil
}
