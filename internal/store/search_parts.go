package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// On PostgreSQL the search documents are kept in parts of about 65,536
// articles each, by id (migration 0036), each with its own full-text
// indexes, so that a search reads only as many of the newest parts as
// its ranking window needs (readTermWindow). The newest part takes new
// documents without end; article_search_split closes it once it is
// full. A fill closes it as it goes, inside its own transaction; any
// other writer tries a split after every splitCheckEvery documents it
// writes, once its transaction has committed (splitIfDue), and leaves
// one that cannot have the table soon to a goroutine of this instance,
// which tries again (splitSearchParts).

const (
	// splitCheckEvery is how many search documents an instance writes
	// between asks whether the newest part is full. A part may so grow
	// past its size by this many for each instance writing, which no
	// search notices.
	splitCheckEvery = 8192
	// splitLockWait is how long a split waits for the table, which
	// searches and writers wait for in turn; a split that cannot have it
	// by then (an import's transaction holds it) is tried again after
	// splitRetry, up to splitTries times, and otherwise at the next ask.
	splitLockWait = "200ms"
	splitRetry    = time.Second
	splitTries    = 30
	// searchPartsKeep is how long the list of parts is trusted. One made
	// since by another instance only leaves a search's steps off the
	// parts' bounds for that long: the search finds the same matches.
	searchPartsKeep = 30 * time.Second
)

// searchParts is this instance's view of the parts and its splitter.
type searchParts struct {
	written    atomic.Int64 // documents written since the last ask
	checkEvery int64        // splitCheckEvery; tests set less
	due        atomic.Bool  // a split is to be asked for after the commit
	asked      atomic.Bool  // a split is asked for and has not begun

	run     sync.Mutex // guards running and closed, and wg.Add against Close's Wait
	running bool       // a splitter goroutine runs
	closed  bool
	wg      sync.WaitGroup
	stop    context.CancelFunc
	ctx     context.Context

	mu    sync.Mutex
	list  []searchPart // newest first
	found time.Time
}

// searchPart is one part: the first id it holds (math.MinInt64 for the
// oldest, which has no lower end) and how many documents it holds, as
// the planner's statistics last counted them (0 when never counted).
type searchPart struct {
	first int64
	rows  float64
}

// startSearchParts readies the splitter on PostgreSQL and asks for a
// split: the newest part may have filled while no instance ran.
func (db *DB) startSearchParts() {
	if db.dialect.name() != "postgres" {
		return
	}
	db.parts.ctx, db.parts.stop = context.WithCancel(context.Background())
	db.askSplit()
}

// stopSearchParts cancels a split under way (it rolls back whole),
// waits for it, and lets no other start.
func (db *DB) stopSearchParts() {
	p := &db.parts
	p.run.Lock()
	p.closed = true
	p.run.Unlock()
	if p.stop != nil {
		p.stop()
	}
	p.wg.Wait()
}

// searchDocsWritten counts n search documents written on ctx's behalf.
// In a fill, which holds every table until it commits, the newest part
// is split inside the fill's transaction (tx); otherwise, once
// splitCheckEvery documents have been written, the split is tried when
// tx commits (splitIfDue), so that it counts them.
func (db *DB) searchDocsWritten(ctx context.Context, tx *sql.Tx, n int) error {
	every := db.parts.checkEvery
	if every == 0 {
		every = splitCheckEvery
	}
	if db.dialect.name() != "postgres" || db.parts.written.Add(int64(n)) < every {
		return nil
	}
	db.parts.written.Store(0)
	if fillOf(ctx) != nil { // one split: the part it opens is empty
		if _, err := db.txExec(ctx, tx, `SELECT article_search_split()`); err != nil {
			return fmt.Errorf("store: split the search documents: %w", err)
		}
		return nil
	}
	db.parts.due.Store(true)
	return nil
}

// splitIfDue splits, after a commit that made it due, in the writer's
// own goroutine: a batched import's next transaction has not begun, so
// the split has the table at once. (Asked of another goroutine, the
// split waited for the import's batches: importing 80,000 WordPress
// posts, it gave up 15 times in 18 s, each time holding up the import
// and searches for its 200 ms.) A split that still cannot have the table
// soon is left to the splitter goroutine, which tries again.
func (db *DB) splitIfDue(ctx context.Context) {
	if !db.parts.due.Load() || !db.parts.due.CompareAndSwap(true, false) {
		return
	}
	if err := db.splitOnce(ctx); err != nil {
		db.askSplit()
	}
}

// askSplit asks for a split: the splitter goroutine starts unless one
// runs, and one that runs makes one more pass after its own, so that an
// ask made while it counted is not lost.
func (db *DB) askSplit() {
	p := &db.parts
	p.asked.Store(true)
	p.run.Lock()
	defer p.run.Unlock()
	if p.ctx == nil || p.closed || p.running {
		return
	}
	p.running = true
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			if p.asked.Swap(false) {
				if err := db.splitSearchParts(p.ctx); err != nil && p.ctx.Err() == nil {
					db.log.Warn("the newest part of the search documents was left whole", "err", err)
				}
			}
			p.run.Lock()
			if !p.asked.Load() || p.closed {
				p.running = false
				p.run.Unlock()
				return
			}
			p.run.Unlock()
		}
	}()
}

// splitSearchParts closes the newest part if it is full, trying again
// after splitRetry while the table is held (splitOnce).
func (db *DB) splitSearchParts(ctx context.Context) error {
	var err error
	for try := 0; try < splitTries; try++ {
		if err = db.splitOnce(ctx); err == nil || !isLockTimeout(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(splitRetry):
		}
	}
	return err
}

// splitOnce closes the newest part if it is full, in a short transaction
// that gives up on the table after splitLockWait. The cut is after the
// part's newest document, so a part one long transaction overfilled
// stays so (only a fill writes more than splitCheckEvery documents at
// once, and a fill splits as it goes).
func (db *DB) splitOnce(ctx context.Context) error {
	var cut bool
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.txScript(ctx, tx, `SET LOCAL lock_timeout = '`+splitLockWait+`'`); err != nil {
			return err
		}
		return db.txRow(ctx, tx, `SELECT article_search_split()`).Scan(&cut)
	})
	if err == nil && cut {
		db.parts.mu.Lock()
		db.parts.found = time.Time{}
		db.parts.mu.Unlock()
	}
	return err
}

// isLockTimeout reports whether err is PostgreSQL's lock_not_available
// (55P03), what a lock_timeout ends a statement with.
func isLockTimeout(err error) bool {
	var coded interface{ SQLState() string }
	return errors.As(err, &coded) && coded.SQLState() == "55P03"
}

// searchPartList returns the parts, newest first, read again when older
// than searchPartsKeep.
func (db *DB) searchPartList(ctx context.Context) ([]searchPart, error) {
	p := &db.parts
	p.mu.Lock()
	if !p.found.IsZero() && time.Since(p.found) < searchPartsKeep {
		defer p.mu.Unlock()
		return p.list, nil
	}
	p.mu.Unlock()
	rows, err := db.read(ctx, `SELECT CAST(substring(c.relname FROM '^article_search_(\d+)$') AS BIGINT), GREATEST(c.reltuples, 0)
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = CAST('article_search' AS regclass) ORDER BY 1 DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []searchPart
	for rows.Next() {
		var s searchPart
		if err := rows.Scan(&s.first, &s.rows); err != nil {
			return nil, err
		}
		if s.first == 0 {
			s.first = math.MinInt64
		}
		list = append(list, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.list, p.found = list, time.Now()
	p.mu.Unlock()
	return list, nil
}
