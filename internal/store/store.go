// Package store keeps Dastan's data in SQLite (the embedded default) or
// PostgreSQL. Queries are written once with ? placeholders and run through
// query.go, which puts them in the engine's form; the few real differences
// between the engines live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver, registered as "pgx"
	_ "modernc.org/sqlite"           // SQLite driver with FTS5
)

// ErrNotFound is returned when the thing asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a save was based on an older version.
var ErrConflict = errors.New("changed by someone else")

// DB is the store. On SQLite it holds one writer connection (writes are
// serialised there, with BEGIN IMMEDIATE) and a pool of readers; on
// PostgreSQL both point at one pool, and readers' listings and searches
// have small pools of their own (see readPool).
type DB struct {
	w, r    *sql.DB
	dialect dialect
	// tuned holds, on PostgreSQL, a pool for each kind of read whose
	// sessions plan it better than the defaults do; nil on SQLite.
	tuned map[readKind]*sql.DB

	mu       sync.Mutex
	onChange []func(Change)
	changes  *changeLog // generations heard, for the poll (watch.go)
	pgURL    string     // for connections of their own (LISTEN, the jobs' leader); empty on SQLite
	noListen bool       // hear other instances by polling alone (WithoutListen)
	// queryTimeout bounds each statement (WithQueryTimeout); zero, none.
	queryTimeout time.Duration
	reach        reachability // whether the database answers, asked at most once a second
	rebindMap    sync.Map     // query text -> engine text
	articleReads articleReads // the reads of one article (articleSQL)

	stmtMu  sync.RWMutex
	stmts   map[string]*sql.Stmt // prepared read queries, by text
	txStmts sync.Map             // *sql.Tx -> map[string]*sql.Stmt, for the life of a transaction

	testRankWindow int // tests shrink the search ranking window
	// terms estimates terms' document counts for the ranking of
	// searches in Go (search_rank.go); termRanking says it is used,
	// which it is once every article has its record (terms_fill.go).
	terms       termStats
	termRanking atomic.Bool
	fill        termFill
	merge       searchMerge // of SQLite's full-text index, after Open
	parts       searchParts // of PostgreSQL's search documents
	// log hears what background work (the fill of term records, the
	// rewriting of renamed tags' documents) could not do and retries:
	// nothing unless Open was given WithLogger.
	log *slog.Logger
	// tagDocs makes renamed and merged tags' search documents again in
	// the background (tag_docs.go).
	tagDocs tagDocs
	// pageMarks are where deep pages of listings start (page_marks.go).
	pageMarks pageMarkCache
	// searches lets searches into a SQLite store a few at a time, in the
	// order they came (search_gate.go).
	searches searchGate

	modeChanges []ModeChange // what Open made private in the data directory

	// path is the SQLite file; empty on PostgreSQL.
	path string
	// ckpt copies the log into the database during a long import on
	// SQLite (see LongImport and checkpoint.go); nil otherwise.
	ckpt           atomic.Pointer[checkpointer]
	testWALRestart int64 // tests shrink walRestartFrames

	// now is the clock of created and updated times, redirects and
	// search's recency: time.Now unless Open was given WithClock.
	now func() time.Time
}

// Option changes how Open sets up a store.
type Option func(*DB)

// WithClock makes the store tell the time by now instead of time.Now:
// the times it stamps on what it writes then agree with the rest of the
// program's, and tests can set them.
func WithClock(now func() time.Time) Option {
	return func(db *DB) { db.now = now }
}

// WithoutListen makes the store hear other instances' writes by polling
// alone, never by PostgreSQL's LISTEN: for a connection pooler in
// transaction mode, which cannot hold a LISTEN, and for comparisons.
func WithoutListen() Option {
	return func(db *DB) { db.noListen = true }
}

// WithQueryTimeout bounds every statement the store runs (a transaction
// as a whole is not bounded, each of its statements is), so that a hung
// database fails a request rather than holding it. serve sets it;
// commands that read a whole table at once (reindex, backup) do not.
func WithQueryTimeout(d time.Duration) Option {
	return func(db *DB) { db.queryTimeout = d }
}

// WithLogger makes the store tell log what its background work could
// not do and will try again (a fill or rewrite whose batch failed).
func WithLogger(log *slog.Logger) Option {
	return func(db *DB) { db.log = log }
}

// Open connects to PostgreSQL when databaseURL is set, otherwise to the
// SQLite file dastan.db in dataDir, and applies pending migrations.
func Open(ctx context.Context, dataDir, databaseURL string, opts ...Option) (*DB, error) {
	var db *DB
	var err error
	if databaseURL != "" {
		db, err = openPostgres(databaseURL)
	} else {
		db, err = openSQLite(dataDir)
	}
	if err != nil {
		return nil, err
	}
	db.now = time.Now
	db.changes = newChangeLog()
	db.log = slog.New(slog.DiscardHandler)
	for _, o := range opts {
		o(db)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.startTermFill(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.resumeTagDocs(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.resumeAutomerge(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.startSearchMerge()
	db.startSearchParts()
	return db, nil
}

func openSQLite(dataDir string) (*DB, error) {
	changes, err := privateDataDir(dataDir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, "dastan.db")
	fileChanges, err := privateDBFile(path)
	if err != nil {
		return nil, err
	}
	changes = privateSidecars(append(changes, fileChanges...), path)
	// Page caches are per connection: 16 MB for the writer, 4 MB for each
	// reader, so a busy site stays well under 200 MB resident.
	if err := registerFTSTerms(); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=cache_size(-16000)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=cache_size(-4000)&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	r.SetConnMaxIdleTime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// WAL mode has made the -wal and -shm files by now: check them again.
	changes = privateSidecars(changes, path)
	db := &DB{w: w, r: r, dialect: sqliteDialect{}, modeChanges: changes, path: path}
	db.searches.open()
	return db, nil
}

func openPostgres(url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	p := postgresPool(cfg, 8, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	tuned := map[readKind]*sql.DB{}
	for kind, settings := range postgresReadSettings {
		tuned[kind] = postgresPool(cfg, 4, settings)
	}
	return &DB{w: p, r: p, dialect: postgresDialect{}, tuned: tuned, pgURL: url}, nil
}

// postgresPool opens a pool of at most size connections whose sessions
// start with settings. The machine's cores, not the connections, bound
// how many queries run at once: more connections than a few per core only
// make PostgreSQL's processes wait for each other.
func postgresPool(cfg *pgx.ConnConfig, size int, settings map[string]string) *sql.DB {
	cfg = cfg.Copy()
	for k, v := range settings {
		cfg.RuntimeParams[k] = v
	}
	p := stdlib.OpenDB(*cfg)
	p.SetMaxOpenConns(size)
	p.SetMaxIdleConns(size)
	p.SetConnMaxIdleTime(5 * time.Minute)
	return p
}

// Close releases the connections.
func (db *DB) Close() error {
	db.stopSearchMerge()
	db.stopSearchParts()
	db.tagDocs.close()
	db.stopTermFill()
	db.stopTermStats()
	db.closeStmts()
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	for _, p := range db.tuned {
		err = errors.Join(err, p.Close())
	}
	return err
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name() }

// OnChange registers fn to run after any write that changes what public
// pages show, this instance's at once and others' as WatchChanges hears
// of them; the page cache uses it to drop the pages a change touched.
func (db *DB) OnChange(fn func(Change)) {
	db.mu.Lock()
	db.onChange = append(db.onChange, fn)
	db.mu.Unlock()
}

func (db *DB) changed(ch Change) {
	db.pageMarks.purge()
	db.mu.Lock()
	fns := append([]func(Change){}, db.onChange...)
	db.mu.Unlock()
	for _, fn := range fns {
		fn(ch)
	}
}

// unix stores times as whole seconds since the epoch, UTC, on both engines.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// validKey reports whether s can name a row: readers' URLs may carry NUL
// bytes or broken UTF-8, which PostgreSQL rejects with an error rather
// than finding nothing.
func validKey(s string) bool {
	return s != "" && len(s) <= 1000 && utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
