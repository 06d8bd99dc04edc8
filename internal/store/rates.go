package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dastan/internal/rates"
)

// A currency with any real observation never shows demo ones: mixing
// generated history into a real series would make up a change or a trend.
// Until the first real rate arrives, the demo series stands in whole.

// SaveObservations stores observations, replacing the value a source gave
// for the same day (a bank's correction). It implements rates.Sink. When
// anything changed, public pages are refreshed.
func (db *DB) SaveObservations(ctx context.Context, obs []rates.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		q := `INSERT INTO rates (currency, base, bank_date, units_per_usd, source, fetched_at, demo)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (currency, base, bank_date, source) DO UPDATE
			SET units_per_usd = excluded.units_per_usd, fetched_at = excluded.fetched_at, demo = excluded.demo
			WHERE rates.units_per_usd <> excluded.units_per_usd OR rates.demo <> excluded.demo`
		for _, o := range obs {
			if err := o.Validate(); err != nil {
				return fmt.Errorf("store: rate %s %s: %w", o.Currency, o.BankDate.Format(time.DateOnly), err)
			}
			res, err := db.txExec(ctx, tx, q, o.Currency, o.Base, unix(o.BankDate), o.UnitsPerUSD, o.Source, unix(o.FetchedAt), boolInt(o.Demo))
			if err != nil {
				return fmt.Errorf("store: save rate %s %s: %w", o.Currency, o.BankDate.Format(time.DateOnly), err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				*ch = ChangeAll // the ticker is on every page
			}
		}
		return nil
	})
	return err
}

// CountRates counts stored observations, real and demo.
func (db *DB) CountRates(ctx context.Context) (int, error) {
	var n int
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM rates`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count rates: %w", err)
	}
	return n, nil
}

// LatestRates returns, for every currency, its newest observation and the
// one of the bank's previous date (zero when there is none). For a day
// that more than one source answered, the latest fetched wins.
func (db *DB) LatestRates(ctx context.Context) (map[string][2]rates.Observation, error) {
	series, err := db.rateSeries(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make(map[string][2]rates.Observation, len(series))
	q := `SELECT currency, base, bank_date, units_per_usd, source, fetched_at, demo FROM rates
		WHERE currency = ? AND base = 'USD' AND demo = ?
		ORDER BY bank_date DESC, fetched_at DESC LIMIT 8`
	for code, demo := range series {
		obs, err := db.queryRates(ctx, q, code, demo)
		if err != nil {
			return nil, err
		}
		var pair [2]rates.Observation
		n := 0
		for _, o := range obs {
			if n > 0 && o.BankDate.Equal(pair[n-1].BankDate) {
				continue
			}
			pair[n] = o
			if n++; n == 2 {
				break
			}
		}
		if n > 0 {
			out[code] = pair
		}
	}
	return out, nil
}

// RateHistory returns one observation per bank date of code between from
// and to (inclusive dates), oldest first.
func (db *DB) RateHistory(ctx context.Context, code string, from, to time.Time) ([]rates.Observation, error) {
	if !validKey(code) {
		return nil, nil
	}
	series, err := db.rateSeries(ctx, code)
	if err != nil {
		return nil, err
	}
	demo, ok := series[code]
	if !ok {
		return nil, nil
	}
	obs, err := db.queryRates(ctx, `SELECT currency, base, bank_date, units_per_usd, source, fetched_at, demo FROM rates
		WHERE currency = ? AND base = 'USD' AND demo = ? AND bank_date >= ? AND bank_date <= ?
		ORDER BY bank_date, fetched_at DESC`, code, demo, unix(dayStart(from)), unix(dayStart(to)))
	if err != nil {
		return nil, err
	}
	out := obs[:0]
	for _, o := range obs {
		if len(out) > 0 && out[len(out)-1].BankDate.Equal(o.BankDate) {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// rateSeries says, per currency (or for one when code is set), which
// series is shown: 0 for real observations, 1 where there are only demo
// ones.
func (db *DB) rateSeries(ctx context.Context, code string) (map[string]int, error) {
	q, args := `SELECT currency, MIN(demo) FROM rates WHERE base = 'USD' GROUP BY currency`, []any{}
	if code != "" {
		q, args = `SELECT currency, MIN(demo) FROM rates WHERE base = 'USD' AND currency = ? GROUP BY currency`, []any{code}
	}
	rows, err := db.read(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: rate series: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var demo int
		if err := rows.Scan(&c, &demo); err != nil {
			return nil, fmt.Errorf("store: rate series: %w", err)
		}
		out[c] = demo
	}
	return out, rows.Err()
}

func (db *DB) queryRates(ctx context.Context, q string, args ...any) ([]rates.Observation, error) {
	rows, err := db.read(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: rates: %w", err)
	}
	defer rows.Close()
	var out []rates.Observation
	for rows.Next() {
		var o rates.Observation
		var date, fetched, demo int64
		if err := rows.Scan(&o.Currency, &o.Base, &date, &o.UnitsPerUSD, &o.Source, &fetched, &demo); err != nil {
			return nil, fmt.Errorf("store: rates: %w", err)
		}
		o.BankDate, o.FetchedAt, o.Demo = fromUnix(date), fromUnix(fetched), demo != 0
		out = append(out, o)
	}
	return out, rows.Err()
}

// dayStart is t's calendar day as UTC midnight, the form bank dates take.
func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
