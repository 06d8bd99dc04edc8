package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"dastan/internal/search"
)

// A PostgreSQL store made before the records of terms (migration 0029,
// which leaves a row in article_terms_fill) gets them
// after it opens, in the background: the first start after the upgrade
// used to write all of them before the store opened, minutes at 100,000
// articles. Until every article has its record, searches by relevance
// are ranked by the engine (FTS5's bm25, ts_rank), as they were before
// the migration, and not partly in Go: a score from a record and one
// from the engine are not on one scale (ts_rank's not at all), so a
// window of matches half with records could not be ranked as one. The
// writers keep writing records for what they save all along.
//
// The fill reads, a batch at a time in order of id, the articles that
// have no record, makes each record from what the store holds (title,
// standfirst, tags' names and the body's text, analyzed as the writer
// does, without the HTML or the full-text document), and writes the
// batch in one short transaction that leaves any record a writer wrote
// meanwhile as it is. A restart resumes where it stopped: the articles
// still without a record are the work left. On PostgreSQL one instance
// of a cluster fills, the one holding an advisory lock on a connection
// of its own (as the jobs' leader does, leader.go); the others check
// every retry whether it is done, and take over if it dies. SQLite keeps
// no records (its migration 0033): its searches count terms from FTS5
// (fts_terms.go), so they rank in Go from the start.

// termFillKey is the advisory lock the instance filling the records holds.
var termFillKey = lockKey("term records fill")

const (
	// termFillBatch is how many records one transaction writes.
	termFillBatch = 500
	// termFillRetry is how often an instance that does not fill checks
	// whether the fill is done, or is left for it to take over, and
	// tries again after an error.
	termFillRetry = 5 * time.Second
)

// termFill is the state of this instance's background fill.
type termFill struct {
	stop  context.CancelFunc
	done  chan struct{}
	batch int           // articles a batch (termFillBatch; tests set less)
	retry time.Duration // termFillRetry; tests set less
	// stopAfter, when set, stops the fill after that many batches, as a
	// restart would (tests).
	stopAfter int
	made      atomic.Int64 // records this instance made, for tests
}

// startTermFill makes searches rank in Go when every article has its
// record, and otherwise starts the fill in the background.
func (db *DB) startTermFill(ctx context.Context) error {
	if db.dialect.name() == "sqlite" {
		db.termRanking.Store(true)
		return nil
	}
	pending, err := db.termFillPending(ctx)
	if err != nil {
		return err
	}
	if !pending {
		db.termRanking.Store(true)
		return nil
	}
	f := &db.fill
	if f.batch <= 0 {
		f.batch = termFillBatch
	}
	if f.retry <= 0 {
		f.retry = termFillRetry
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	f.stop, f.done = stop, make(chan struct{})
	go func() {
		defer close(f.done)
		db.fillInBackground(bg)
	}()
	return nil
}

// stopTermFill stops the fill, if one runs, and waits for it: Close
// calls it before closing the connections the fill uses.
func (db *DB) stopTermFill() {
	if db.fill.stop != nil {
		db.fill.stop()
		<-db.fill.done
	}
}

// termFillPending says whether the records of terms are still to fill.
func (db *DB) termFillPending(ctx context.Context) (bool, error) {
	var n int
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM article_terms_fill`).Scan(&n); err != nil {
		return false, fmt.Errorf("store: fill terms: %w", err)
	}
	return n > 0, nil
}

// fillInBackground fills the records, or waits for another instance to,
// until they are done (searches then rank in Go) or ctx ends.
func (db *DB) fillInBackground(ctx context.Context) {
	f := &db.fill
	for {
		pending, err := db.termFillPending(ctx)
		if err == nil && !pending {
			db.termRanking.Store(true)
			return
		}
		if err == nil {
			stopped := false
			ran := db.leadOnce(ctx, termFillKey, f.retry, func(ctx context.Context) {
				stopped, err = db.fillArticleTerms(ctx)
			})
			if stopped {
				return
			}
			if ran && err == nil && ctx.Err() == nil {
				// Filled here, or found filled by the time this
				// instance could take its turn: check at once.
				continue
			}
		}
		if err != nil && ctx.Err() == nil {
			db.log.Warn("filling the records of terms failed; trying again", "in", f.retry, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(f.retry):
		}
	}
}

// fillArticleTerms writes the missing records of terms, batch by batch,
// and then marks the fill done. stopped is true when a test's stopAfter
// ended it early.
func (db *DB) fillArticleTerms(ctx context.Context) (stopped bool, err error) {
	f := &db.fill
	workers := max(1, runtime.NumCPU()/2) // the other half serves readers
	var last int64
	for batches := 0; ; batches++ {
		if f.stopAfter > 0 && batches == f.stopAfter {
			return true, nil
		}
		batch, err := db.articleDocs(ctx, db.read, false,
			`id > ? AND NOT EXISTS (SELECT 1 FROM article_terms t WHERE t.article_id = articles.id)`, []any{last}, f.batch)
		if err != nil {
			return false, fmt.Errorf("store: fill terms: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		last = batch[len(batch)-1].id
		var rows rowsBuilder
		records := termRecords(batch, workers)
		for i, it := range batch {
			rows.add(it.id, records[i])
		}
		// An article saved since it was read has the record its writer
		// made, which stays; one deleted since fails the batch, which the
		// next try (without it) writes again.
		err = db.tx(ctx, func(tx *sql.Tx) error {
			return rows.insertChunks(ctx, db, tx, `INSERT INTO article_terms (article_id, terms) VALUES `,
				` ON CONFLICT (article_id) DO NOTHING`)
		})
		if err != nil {
			return false, fmt.Errorf("store: fill terms: %w", err)
		}
		f.made.Add(int64(len(batch)))
	}
	if err := db.script(ctx, `DELETE FROM article_terms_fill`); err != nil {
		return false, fmt.Errorf("store: fill terms: %w", err)
	}
	return false, nil
}

// termRecords makes the record of terms of each of batch's stored
// documents (articleDocs without HTML), on workers goroutines.
func termRecords(batch []reindexItem, workers int) [][]byte {
	out := make([][]byte, len(batch))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				d := batch[i].doc
				out[i] = search.DocTerms([4]string{search.IndexText(d.title), search.IndexText(d.standfirst),
					search.IndexText(d.tags), search.IndexText(d.body)})
			}
		})
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// TermRecordsFilled says whether every article has its record of terms,
// so that searches by relevance are ranked in Go (search_rank.go); false
// while the fill after an upgrade runs.
func (db *DB) TermRecordsFilled() bool { return db.termRanking.Load() }

// WaitForTermRecords waits until every article has its record of terms
// (TermRecordsFilled), or ctx ends: for benchmarks that measure the
// ranking in Go, and tests.
func (db *DB) WaitForTermRecords(ctx context.Context) error {
	for !db.termRanking.Load() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}
