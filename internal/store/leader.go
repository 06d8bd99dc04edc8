package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
)

// leaderKey is the advisory lock the instance that runs the background
// jobs holds (migrations hold 7212026).
var leaderKey = lockKey("jobs leader")

// leaderPingTimeout is how long the leader's connection may take to
// answer its check before the leader steps down.
const leaderPingTimeout = 5 * time.Second

// lockKey turns a name into an advisory lock's number.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("dastan: " + name))
	return int64(h.Sum64() >> 1)
}

// Lead runs lead while this instance is the one that runs the background
// jobs, until ctx ends. On SQLite, where one process serves the store,
// it always is. On PostgreSQL the leader holds an advisory lock on a
// connection of its own: when it dies, or its connection does, the lock
// goes with it and another instance, trying every retry, takes over.
// lead's context ends when this instance stops leading (its connection
// failed), and Lead waits for lead to return before trying again.
func (db *DB) Lead(ctx context.Context, retry time.Duration, lead func(ctx context.Context)) {
	if db.pgURL == "" {
		lead(ctx)
		return
	}
	for {
		db.leadOnce(ctx, leaderKey, retry, lead)
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}

// leadOnce runs lead if this instance takes the advisory lock key, which
// a connection of its own holds while lead runs, checked every check
// (lead's context ends when the connection fails); when another instance
// holds it, it returns at once. On SQLite it just runs lead. It says
// whether lead ran.
func (db *DB) leadOnce(ctx context.Context, key int64, check time.Duration, lead func(ctx context.Context)) bool {
	if db.pgURL == "" {
		lead(ctx)
		return true
	}
	conn, err := db.takeLock(ctx, key)
	if err != nil || conn == nil {
		return false
	}
	db.holdLead(ctx, conn, check, lead)
	return true
}

// takeLock returns a connection holding the advisory lock key, or nil
// when another instance holds it.
func (db *DB) takeLock(ctx context.Context, key int64) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, db.pgURL)
	if err != nil {
		return nil, err
	}
	ok, err := tryLockOn(ctx, conn, key)
	if err != nil || !ok {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return conn, nil
}

// holdLead runs lead while conn, holding the lock, answers; closing the
// connection gives the lock up.
func (db *DB) holdLead(ctx context.Context, conn *pgx.Conn, check time.Duration, lead func(ctx context.Context)) {
	defer conn.Close(context.WithoutCancel(ctx))
	leading, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		lead(leading)
	}()
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		select {
		case <-done:
			stop()
			return
		case <-t.C:
			// A ping that is only slow (a busy machine, a database under
			// load) is no sign the lock was lost: the lock lives as long as
			// the connection. Only a connection that does not answer for
			// leaderPingTimeout gives the lead up.
			pctx, cancel := context.WithTimeout(ctx, max(check, leaderPingTimeout))
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				stop() // the lock may be another's by now
				<-done
				return
			}
		}
	}
}

// Exclusive runs fn while no other instance runs an Exclusive of the same
// name, waiting its turn: so that instances starting together fill an
// empty store once. On SQLite it just runs fn.
func (db *DB) Exclusive(ctx context.Context, name string, fn func() error) error {
	if db.dialect.name() != "postgres" {
		return fn()
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: lock %s: %w", name, err)
	}
	defer conn.Close()
	key := lockKey(name)
	if err := connScript(ctx, conn, fmt.Sprintf(`SELECT pg_advisory_lock(%d)`, key)); err != nil {
		return fmt.Errorf("store: lock %s: %w", name, err)
	}
	defer connScript(context.WithoutCancel(ctx), conn, fmt.Sprintf(`SELECT pg_advisory_unlock(%d)`, key))
	return fn()
}
