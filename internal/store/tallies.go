package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"dastan/internal/ratelimit"
)

// tally is the rate limits' shared buckets of one kind of budget (scope).
type tally struct {
	db    *DB
	scope string
}

// Tally returns the token buckets that rate limits of scope ("api",
// "signin" …) share across instances on PostgreSQL, and nil on SQLite,
// where one process serves and its memory is enough.
func (db *DB) Tally(scope string) ratelimit.Tally {
	if db == nil || db.dialect.name() != "postgres" {
		return nil
	}
	return &tally{db: db, scope: scope}
}

// takeToken refills a bucket for the time since it was last used and
// takes a token when there is one, in one statement (the SET's
// expressions all read the row as it was), so instances racing for the
// last token cannot both get it.
const takeToken = `INSERT INTO rate_buckets AS b (key, tokens, last_at, burst, rate, allowed, expires)
	VALUES (?, ?, ?, ?, ?, TRUE, ?)
	ON CONFLICT (key) DO UPDATE SET
		allowed = LEAST(excluded.burst, b.tokens + GREATEST(excluded.last_at - b.last_at, 0) * excluded.rate) >= 1,
		tokens = LEAST(excluded.burst, b.tokens + GREATEST(excluded.last_at - b.last_at, 0) * excluded.rate)
			- CASE WHEN LEAST(excluded.burst, b.tokens + GREATEST(excluded.last_at - b.last_at, 0) * excluded.rate) >= 1 THEN 1 ELSE 0 END,
		last_at = GREATEST(excluded.last_at, b.last_at), burst = excluded.burst, rate = excluded.rate, expires = excluded.expires
	RETURNING allowed, tokens`

// Take takes one token from key's shared bucket, if it has one, and
// returns what is left. Now and then it also forgets buckets that have
// refilled, so the table stays small.
func (t *tally) Take(ctx context.Context, key string, bud ratelimit.Budget, now time.Time) (bool, float64, error) {
	at := float64(now.UnixNano()) / 1e9
	full := int64(3600)
	if bud.Rate > 0 {
		full = int64(float64(bud.Burst)/bud.Rate) + 1
	}
	var ok bool
	var left float64
	err := t.db.writeRow(ctx, takeToken, t.scope+":"+key, float64(bud.Burst)-1, at, float64(bud.Burst), bud.Rate, now.Unix()+full).Scan(&ok, &left)
	if err != nil {
		return false, 0, fmt.Errorf("store: rate bucket: %w", err)
	}
	if rand.IntN(1000) == 0 {
		t.db.write(ctx, `DELETE FROM rate_buckets WHERE expires < ?`, now.Unix())
	}
	return ok, left, nil
}

// Give gives key's shared bucket one token back.
func (t *tally) Give(ctx context.Context, key string) error {
	_, err := t.db.write(ctx, `UPDATE rate_buckets SET tokens = LEAST(burst, tokens + 1) WHERE key = ?`, t.scope+":"+key)
	return err
}
