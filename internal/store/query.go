package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// This file is the only place the store talks to database/sql. Queries
// are written once with ? placeholders; every method here turns them into
// the engine's form (PostgreSQL wants $1, $2 …), so no caller can forget
// to. TestQueriesGoThroughTheRunner keeps it that way.
//
//	read, readRow        a read on the reader pool, through a prepared statement
//	write, writeRow      a statement on the writer, outside a transaction
//	tx, txOn             a write transaction, with txExec, txRow and txRead inside it
//	copyRows             PostgreSQL's COPY inside a transaction on one connection
//	readRecords          a search's window of records of terms, through pgx itself on PostgreSQL
//	txExecOnce, txReadOnce  in a transaction, unprepared: multi-row writes
//	execOn               a statement on the writer or in a transaction (an execer)
//	script, txScript,    SQL run exactly as written, without arguments:
//	connScript           migrations and maintenance statements
//	listenScript         PostgreSQL's LISTEN, on a connection of its own

// maxStmts bounds each prepared-statement cache; queries past it run
// unprepared rather than grow it without end.
const maxStmts = 512

// read runs a query on the reader pool through a prepared statement, so
// hot pages do not pay for parsing their SQL on every request.
func (db *DB) read(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = db.bound(ctx)
	if p := db.readPool(ctx); p != nil {
		return p.QueryContext(ctx, db.rebind(query), args...) // pgx prepares and keeps it per connection
	}
	if st := db.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.r.QueryContext(ctx, db.rebind(query), args...)
}

// readRow is read for a single row.
func (db *DB) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = db.bound(ctx)
	if p := db.readPool(ctx); p != nil {
		return p.QueryRowContext(ctx, db.rebind(query), args...)
	}
	if st := db.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, db.rebind(query), args...)
}

// readKind names reads that PostgreSQL plans better in sessions of their
// own; a context carries it (readingAs) to every read of the listing.
type readKind int

const (
	// readersListing is a page of what readers see, by date: a handful of
	// index range scans whose planning, redone for every request with
	// PostgreSQL's default custom plans, costs several times their running.
	// One generic plan per statement serves every section, tag and page.
	readersListing readKind = iota + 1
	// searchRead is a search's count and ranking. PostgreSQL's planner
	// does not know what unpacking a search document costs: for a common
	// word it would read every row, and for a rarer one walk the newest
	// articles by id, unpacking each to test the match, until it has the
	// ranking window (tens of thousands for a word in one article of
	// thirty). Sessions with neither sequential nor plain index scans read
	// the full-text index for the matches, and unpack a document only to
	// rank it.
	searchRead

	// denseWindow finds the ranking window of a search that matches much
	// of the archive: walking the newest articles by id, it meets the
	// window's matches after a few more rows than the window holds, sooner
	// than the full-text index lists every match. An early page of such a
	// search by date walks the date index the same way.
	denseWindow
)

// postgresReadSettings are the session settings of each kind's pool.
var postgresReadSettings = map[readKind]map[string]string{
	// A listing reads a handful of rows, but a generic plan's estimates
	// (a third of a range for "visible_from > $2") can pass jit_above_cost
	// at a few hundred thousand articles: 15–60 ms of compiling a page.
	readersListing: {"plan_cache_mode": "force_generic_plan", "jit": "off"},
	// A search is one request among many at once: PostgreSQL's parallel
	// workers, which it plans for a search's bitmap scans at a million
	// articles, only add processes to the cores' queue. Without them
	// /?s=pipeline on a million-article demo store answered 190–200
	// searches a second at c=32, not 59, with a p99 of 0.6–0.7 s, not
	// 1.7 s; a single search took 10–11 ms, not 12–29.
	searchRead:  {"enable_seqscan": "off", "enable_indexscan": "off", "max_parallel_workers_per_gather": "0"},
	denseWindow: {"enable_seqscan": "off", "max_parallel_workers_per_gather": "0"},
}

// windowRead is the context of the read of a search's ranking window
// (or of an early page by date), when matches of the archive's articles
// match: on PostgreSQL, a walk by id or date (denseWindow) when they are
// at least half of the index's rows.
func (db *DB) windowRead(ctx context.Context, matches int) context.Context {
	if !db.denseMatches(ctx, matches) {
		return ctx
	}
	return context.WithValue(ctx, readKindKey{}, denseWindow)
}

// denseMatches reports whether matches are at least half of the search
// documents, as the planner's statistics count them (ANALYZE and
// autovacuum keep each part's count, migration 0036); never on SQLite.
func (db *DB) denseMatches(ctx context.Context, matches int) bool {
	if db.tuned == nil {
		return false
	}
	parts, err := db.searchPartList(ctx)
	if err != nil {
		return false
	}
	var rows float64
	for _, p := range parts {
		rows += p.rows
	}
	return float64(matches)*2 >= rows
}

// plannedMatches is, for a listing whose count stopped at its limit, the
// planner's estimate of the rows the conditions of from match (from the
// statistics ANALYZE keeps of the documents' words), and never fewer than
// counted: enough to tell windowRead a word in most of the archive from
// one in a tenth of it, which a count of "more than 10,000" does not.
func (db *DB) plannedMatches(ctx context.Context, from string, args []any, counted int) int {
	if db.tuned == nil {
		return counted
	}
	var plan string
	if err := db.readRow(ctx, `EXPLAIN (FORMAT JSON) SELECT 1 FROM `+from, args...).Scan(&plan); err != nil {
		return counted
	}
	var p []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if json.Unmarshal([]byte(plan), &p) != nil || len(p) == 0 {
		return counted
	}
	return max(counted, int(p[0].Plan.Rows))
}

type readKindKey struct{}

// readingAs marks ctx's reads as kind, unless they are marked already
// (a search's listing stays a search).
func readingAs(ctx context.Context, kind readKind) context.Context {
	if _, ok := ctx.Value(readKindKey{}).(readKind); ok {
		return ctx
	}
	return context.WithValue(ctx, readKindKey{}, kind)
}

// readPool is the pool of ctx's kind of read, or nil for the reader pool.
func (db *DB) readPool(ctx context.Context) *sql.DB {
	if db.tuned == nil {
		return nil
	}
	kind, _ := ctx.Value(readKindKey{}).(readKind)
	return db.tuned[kind]
}

// write runs a statement on the writer, outside any transaction.
func (db *DB) write(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(db.bound(ctx), db.rebind(query), args...)
}

// writeRow runs a statement that returns one row on the writer: an
// INSERT … RETURNING, or a read that must see the latest write.
func (db *DB) writeRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.w.QueryRowContext(db.bound(ctx), db.rebind(query), args...)
}

// tx runs fn in a write transaction and commits it, rolling back on error.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.txOn(ctx, db.w, fn)
}

// beginner is the writer pool, or one connection taken from it.
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// txOn is tx on b: on one connection of the writer pool when a fill
// needs the transaction's connection itself (see copyRows).
func (db *DB) txOn(ctx context.Context, b beginner, fn func(*sql.Tx) error) error {
	ckpt := db.ckpt.Load()
	if ckpt != nil && b == beginner(db.w) {
		ckpt.beforeWrite(ctx)
		defer ckpt.committed()
	}
	t, err := b.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	db.txStmts.Store(t, map[string]*sql.Stmt{})
	defer db.txStmts.Delete(t) // the statements close with the transaction
	if err := fn(t); err != nil {
		t.Rollback()
		return cancelledTx(ctx, err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", cancelledTx(ctx, err))
	}
	db.splitIfDue(ctx)
	return nil
}

// cancelledTx names the cancelled context as err's cause when ctx ended
// during the transaction: database/sql's own goroutine rolls it back as
// soon as ctx is done, and what comes after reports only that the
// transaction or its statement is closed. Callers (an interrupted import)
// must see context.Canceled to tell an interruption from a failure; err
// stays in the chain.
func cancelledTx(ctx context.Context, err error) error {
	if cause := ctx.Err(); cause != nil && !errors.Is(err, cause) {
		return fmt.Errorf("%w (%w)", cause, err)
	}
	return err
}

// txExec runs a write inside tx through a statement prepared once per
// transaction: bulk imports write thousands of rows with a handful of
// statements, and parsing each anew would cost more than the writes.
// (Statements cannot be prepared on the writer pool itself while a
// transaction holds its only connection.)
func (db *DB) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	ctx = db.bound(ctx)
	if st := db.txStmt(ctx, tx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, db.rebind(query), args...)
}

// txRow is txExec for a statement that returns one row.
func (db *DB) txRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	ctx = db.bound(ctx)
	if st := db.txStmt(ctx, tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, db.rebind(query), args...)
}

// txRead is txExec for a statement that returns rows.
func (db *DB) txRead(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	ctx = db.bound(ctx)
	if st := db.txStmt(ctx, tx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, db.rebind(query), args...)
}

// txExecOnce runs a statement inside tx without preparing or caching it:
// for multi-row writes, whose text changes with their number of rows and
// would only fill the caches.
func (db *DB) txExecOnce(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, db.rebindOnce(query), args...)
}

// txReadOnce is txExecOnce for a statement that returns rows.
func (db *DB) txReadOnce(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(ctx, db.rebindOnce(query), args...)
}

// copyRows writes rows, in COPY's text format, into table's columns
// with PostgreSQL's COPY … FROM STDIN, inside the transaction open on
// conn. A fill writes a hundred thousand articles: COPY costs PostgreSQL
// a fraction of parsing and planning multi-row INSERTs of thousands of
// parameters, and Go of encoding them. database/sql has no COPY, so this
// reaches pgx's own connection through conn.Raw, between the
// transaction's statements.
func copyRows(ctx context.Context, conn *sql.Conn, table, columns string, rows []byte) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		_, err := c.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(rows), "COPY "+table+" ("+columns+") FROM STDIN")
		return err
	})
}

// readRecords runs a read of rows of an id, a time and a byte string
// (a search's window of records of terms, search_rank.go), calling fn
// with each row's values; rec is valid only until fn returns. On
// PostgreSQL it reads through pgx itself, on a connection of ctx's
// reader pool: database/sql handles every value of every row (a lock,
// a conversion to a driver.Value, and a copy of each byte string, twice),
// which for a window's thousand records of half a kilobyte each cost
// more of the client's CPU than ranking them. pgx hands over each
// record where it was read, in binary. With planEach, PostgreSQL plans
// the query for its arguments each time, rather than once for any after
// five runs (a generic plan), which costs each run its planning (0.3 ms
// for a search's step at a million demo articles) but may suit some
// arguments far better (readTermRange).
func (db *DB) readRecords(ctx context.Context, query string, args []any, planEach bool, fn func(id, at int64, rec []byte)) error {
	ctx = db.bound(ctx)
	if db.dialect.name() != "postgres" {
		rows, err := db.read(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return eachRecord[sql.RawBytes](rows, fn)
	}
	p := db.readPool(ctx)
	if p == nil {
		p = db.r
	}
	conn, err := p.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("read records: not a pgx connection")
		}
		var pc pgxQuerier = c.Conn()
		if planEach { // an unnamed statement, whose description alone is cached
			args = append([]any{pgx.QueryExecModeCacheDescribe}, args...)
		}
		rows, err := pc.Query(ctx, db.rebind(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return eachRecord[pgtype.DriverBytes](rows, fn)
	})
}

// recordRows is database/sql's rows or pgx's.
type recordRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// eachRecord calls fn with each row of rows, its record scanned as B:
// a type whose bytes stay the driver's, valid until the next row.
func eachRecord[B ~[]byte](rows recordRows, fn func(id, at int64, rec []byte)) error {
	for rows.Next() {
		var id, at int64
		var rec B
		if err := rows.Scan(&id, &at, &rec); err != nil {
			return err
		}
		fn(id, at, []byte(rec))
	}
	return rows.Err()
}

// pgxQuerier is pgx's own connection, as readRecords reads through it.
type pgxQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// execer is the writer pool or a transaction, for a statement that runs
// alone or as part of a larger write (an audit entry, a session); or a
// pool of its own (a backup's).
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// execOn runs a statement on x: inside a transaction as txExec does,
// otherwise as write does.
func (db *DB) execOn(ctx context.Context, x execer, query string, args ...any) (sql.Result, error) {
	if tx, ok := x.(*sql.Tx); ok {
		return db.txExec(ctx, tx, query, args...)
	}
	return x.ExecContext(ctx, db.rebind(query), args...)
}

// script runs SQL on the writer exactly as written. It takes no
// arguments, so it has no placeholders to rebind; migrations may hold a
// question mark in a comment, which rebinding would break.
func (db *DB) script(ctx context.Context, sqlText string) error {
	_, err := db.w.ExecContext(ctx, sqlText)
	return err
}

// txScript is script inside a transaction.
func (db *DB) txScript(ctx context.Context, tx *sql.Tx, sqlText string) error {
	_, err := tx.ExecContext(ctx, sqlText)
	return err
}

// walCheckpoint runs a PASSIVE checkpoint of SQLite's log on conn (the
// checkpointer's own, see checkpoint.go) and returns how many frames the
// log holds. It is SQLite's alone: nothing to rebind.
func walCheckpoint(ctx context.Context, conn *sql.DB) (logged int64, err error) {
	var busy, copied int64
	err = conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied)
	return logged, err
}

// connScript is script on one connection, for session-level statements
// (PostgreSQL's advisory locks belong to the connection that took them).
func connScript(ctx context.Context, conn *sql.Conn, sqlText string) error {
	_, err := conn.ExecContext(ctx, sqlText)
	return err
}

// bound gives one statement the store's query timeout. Its cancel is
// not called: rows outlive this call, and the timer goes when it fires or
// when ctx, a request's, ends, whichever is first.
func (db *DB) bound(ctx context.Context) context.Context {
	if db.queryTimeout <= 0 {
		return ctx
	}
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= db.queryTimeout {
		return ctx
	}
	ctx, cancel := context.WithTimeout(ctx, db.queryTimeout)
	_ = cancel
	return ctx
}

// listenScript subscribes conn, a PostgreSQL connection of its own
// outside database/sql (whose pools cannot wait for notifications), to
// channel. (It goes through the wire protocol's own call, which takes
// no arguments to rebind.)
func listenScript(ctx context.Context, conn *pgx.Conn, channel string) error {
	return conn.PgConn().ExecParams(ctx, "LISTEN "+channel, nil, nil, nil, nil).Read().Err
}

// tryLockOn takes PostgreSQL's session-level advisory lock key on conn,
// a connection of its own, and says whether it was free.
func tryLockOn(ctx context.Context, conn *pgx.Conn, key int64) (bool, error) {
	res := conn.PgConn().ExecParams(ctx, "SELECT pg_try_advisory_lock("+strconv.FormatInt(key, 10)+")", nil, nil, nil, nil).Read()
	if res.Err != nil {
		return false, res.Err
	}
	return len(res.Rows) == 1 && string(res.Rows[0][0]) == "t", nil
}

func (db *DB) stmt(ctx context.Context, query string) *sql.Stmt {
	db.stmtMu.RLock()
	st, ok := db.stmts[query]
	db.stmtMu.RUnlock()
	if ok {
		return st
	}
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if st, ok := db.stmts[query]; ok {
		return st
	}
	if len(db.stmts) >= maxStmts {
		return nil
	}
	st, err := db.r.PrepareContext(ctx, db.rebind(query))
	if err != nil {
		return nil // the unprepared path reports the error
	}
	if db.stmts == nil {
		db.stmts = map[string]*sql.Stmt{}
	}
	db.stmts[query] = st
	return st
}

func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	v, ok := db.txStmts.Load(tx)
	if !ok {
		return nil
	}
	cache := v.(map[string]*sql.Stmt) // a transaction is used by one goroutine
	if st, ok := cache[query]; ok {
		return st
	}
	if len(cache) >= maxStmts {
		return nil
	}
	st, err := tx.PrepareContext(ctx, db.rebind(query))
	if err != nil {
		return nil
	}
	cache[query] = st
	return st
}

// closeStmts closes the prepared reads, when the store closes.
func (db *DB) closeStmts() {
	db.stmtMu.Lock()
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = nil
	db.stmtMu.Unlock()
}

// rebind turns a query written with ? placeholders into the engine's form.
func (db *DB) rebind(query string) string {
	if db.dialect.name() == "sqlite" {
		return query
	}
	if v, ok := db.rebindMap.Load(query); ok {
		return v.(string)
	}
	out := rebindDollar(query)
	db.rebindMap.Store(query, out)
	return out
}

// rebindOnce is rebind without remembering the query.
func (db *DB) rebindOnce(query string) string {
	if db.dialect.name() == "sqlite" {
		return query
	}
	return rebindDollar(query)
}

// rebindDollar numbers ? placeholders as $1, $2 … outside quoted strings.
func rebindDollar(query string) string {
	var b strings.Builder
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c == '\'' {
			inQuote = !inQuote
		}
		if c == '?' && !inQuote {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// deadlocked says err is PostgreSQL's answer to a deadlock (SQLSTATE
// 40P01): it ended this statement's transaction so that the other could
// go on, and the statement may be run again.
func deadlocked(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "40P01"
}
