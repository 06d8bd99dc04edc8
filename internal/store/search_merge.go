package store

import (
	"context"
	"fmt"
)

// An import leaves SQLite's full-text index in many segments (each batch
// writes one, and FTS5 merges them four of a level at a time): 13 for
// the 100,000-post WordPress archive. A search looks each of its terms
// up in every segment and, to walk newest first, seeks the end of the
// term's list in each; with one segment that start cost a search about
// a tenth of its CPU less. A site's own writes keep adding segments
// slowly, which FTS5's automatic merges keep few.
//
// So the server (WithSearchMerge) merges the index after the store
// opens, in the background, when it holds more than searchSegmentsKept
// segments: a step at a time, each FTS5's incremental 'merge' of about
// mergeStepPages pages in a short write of its own, so writers wait one
// step at most, until one segment is left. Readers see the index whole
// throughout; the articles it finds do not change.

const (
	// searchSegmentsKept is the most segments left unmerged at start.
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
}

// WithSearchMerge makes the store merge SQLite's full-text index in the
// background after it opens, when an import has left it in many
// segments (see search_merge.go): what a server wants, and a one-off
// command need not do.
func WithSearchMerge() Option {
	return func(db *DB) { db.merge.on = true }
}

// startSearchMerge starts the background merge, if asked for, on SQLite.
func (db *DB) startSearchMerge() {
	if !db.merge.on || db.dialect.name() != "sqlite" {
		return
	}
	bg, stop := context.WithCancel(context.Background())
	db.merge.stop, db.merge.done = stop, make(chan struct{})
	go func() {
		defer close(db.merge.done)
		if err := db.mergeSearchIndex(bg); err != nil && bg.Err() == nil {
			db.log.Warn("the search index was left unmerged", "err", err)
		}
	}()
}

// stopSearchMerge stops the merge, if one runs, and waits for it.
func (db *DB) stopSearchMerge() {
	if db.merge.stop != nil {
		db.merge.stop()
		<-db.merge.done
	}
}

// mergeSearchIndex merges the index's segments into one, a step at a
// time, when there are more than searchSegmentsKept. The steps are
// bounded by the store file's size, should FTS5 stop short of one segment.
func (db *DB) mergeSearchIndex(ctx context.Context) error {
	n, err := db.searchSegments(ctx)
	kept := db.merge.kept
	if kept <= 0 {
		kept = searchSegmentsKept
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
