package store

import (
	"context"
	"fmt"
	"sync"
)

// An import leaves SQLite's full-text index in many segments (each batch
// writes one, and FTS5 merges them four of a level at a time): 13 for
// the 100,000-post WordPress archive. A search looks each of its terms
// up in every segment and, to walk newest first, seeks the end of the
// term's list in each; with one segment that start cost a search about
// a tenth of its CPU less. A site's own writes keep adding segments
// slowly, which FTS5's automatic merges keep few.
//
// So the server (WithSearchMerge) merges the index in the background:
// into one segment after an import in this process (Optimize ends every
// one) and after another process (`dastan import wordpress`, `dastan demo`
// on the same file) has written and gone quiet, which the poll of the
// generation hears (WatchChanges); after the store opens, only when it
// holds more than searchSegmentsKept segments, so that a start does not
// rewrite the index for the few segments a site's own writes leave. (A
// million-article import leaves 7 segments; one pass merged them in 34 s.) One goroutine a store does the
// merging, so a merge asked for while one runs makes one more pass after
// it, never a second at once. It goes a step at a time, each FTS5's
// incremental 'merge' of about mergeStepPages pages in a short write of
// its own, so writers wait one step at most, until one segment is left.
// Readers see the index whole throughout; the articles it finds do not
// change. A merge cut short (the server stopped) loses nothing: each
// step done is committed, FTS5 records where its merge stands, and the
// next pass (at the next start or import) goes on from there.

const (
	// searchSegmentsKept is the most segments left unmerged.
	searchSegmentsKept = 8
	// mergeStepPages is the size of one step, in pages (4 MB).
	mergeStepPages = 1000
)

// searchMerge is the state of this instance's background merge.
type searchMerge struct {
	on   bool // WithSearchMerge
	kept int  // searchSegmentsKept; tests set less
	stop context.CancelFunc
	done chan struct{}
	// wake tells the merging goroutine a pass is asked for (a buffer of
	// one: asks while it is busy make one pass after).
	wake chan struct{}

	mu      sync.Mutex
	asked   bool // a pass is wanted and has not begun
	whole   bool // and it is to leave one segment (an import asked)
	running bool // a pass runs
}

// WithSearchMerge makes the store merge SQLite's full-text index in the
// background after it opens and after imports, when they have left it in
// many segments (see search_merge.go): what a server wants, and a
// one-off command need not do.
func WithSearchMerge() Option {
	return func(db *DB) { db.merge.on = true }
}

// startSearchMerge starts the merging goroutine, if asked for, on
// SQLite, and asks it for a first pass.
func (db *DB) startSearchMerge() {
	if !db.merge.on || db.dialect.name() != "sqlite" {
		return
	}
	bg, stop := context.WithCancel(context.Background())
	db.merge.stop, db.merge.done = stop, make(chan struct{})
	db.merge.wake = make(chan struct{}, 1)
	db.askSearchMerge(false)
	go func() {
		defer close(db.merge.done)
		db.runSearchMerges(bg)
	}()
}

// askSearchMerge asks for a pass of the merge, after what a pass running
// now has done; nothing on a store that does not merge. whole asks it to
// merge the index into one segment (after an import), rather than only
// when it holds more than searchSegmentsKept.
func (db *DB) askSearchMerge(whole bool) {
	if db.merge.wake == nil {
		return
	}
	db.merge.mu.Lock()
	db.merge.asked = true
	db.merge.whole = db.merge.whole || whole
	db.merge.mu.Unlock()
	select {
	case db.merge.wake <- struct{}{}:
	default: // already woken: the pass it wakes for sees this ask too
	}
}

// runSearchMerges makes a pass each time one is asked for, until ctx ends.
func (db *DB) runSearchMerges(ctx context.Context) {
	m := &db.merge
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		}
		m.mu.Lock()
		if !m.asked {
			m.mu.Unlock()
			continue
		}
		whole := m.whole
		m.asked, m.whole, m.running = false, false, true
		m.mu.Unlock()
		if err := db.mergeSearchIndex(ctx, whole); err != nil && ctx.Err() == nil {
			db.log.Warn("the search index was left unmerged", "err", err)
		}
		m.mu.Lock()
		m.running = false
		m.mu.Unlock()
	}
}

// busy reports whether a pass of the merge runs or is asked for.
func (m *searchMerge) busy() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.asked || m.running
}

// stopSearchMerge stops the merge, if one runs, and waits for it.
func (db *DB) stopSearchMerge() {
	if db.merge.stop != nil {
		db.merge.stop()
		<-db.merge.done
	}
}

// mergeSearchIndex merges the index's segments into one, a step at a
// time, when there are more than searchSegmentsKept, or more than one
// when whole. The steps are bounded by the store file's size, should FTS5
// stop short of one segment.
func (db *DB) mergeSearchIndex(ctx context.Context, whole bool) error {
	n, err := db.searchSegments(ctx)
	kept := db.merge.kept
	if kept <= 0 {
		kept = searchSegmentsKept
	}
	if whole {
		kept = 1
	}
	if err != nil || n <= kept {
		return err
	}
	// The whole file's pages bound the index's: counting the index's own
	// rows read all of it (gigabytes at a million articles, past the
	// statements' time limit), where the file's count is in its header.
	var pages int
	if err := db.readRow(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		return err
	}
	from := n
	for steps := 2*pages/mergeStepPages + 10; n > 1 && steps > 0; steps-- {
		// A negative size merges segments of every level together.
		if err := db.script(ctx, fmt.Sprintf(`INSERT INTO article_search (article_search, rank) VALUES ('merge', %d)`, -mergeStepPages)); err != nil {
			return err
		}
		if n, err = db.searchSegments(ctx); err != nil {
			return err
		}
	}
	db.log.Info("search index merged", "segments", from, "left", n)
	return nil
}

// searchSegments counts the segments of SQLite's full-text index.
func (db *DB) searchSegments(ctx context.Context) (int, error) {
	var n int
	err := db.readRow(ctx, `SELECT COUNT(DISTINCT segid) FROM article_search_idx`).Scan(&n)
	return n, err
}
