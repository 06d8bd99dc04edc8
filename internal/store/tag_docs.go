package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// A search document holds its tags' names as words to search (and, on
// PostgreSQL, their ids as facets to filter on), so a renamed or merged
// tag's articles need their documents made again. A country's tag can
// carry half the archive (48,610 of 100,000 posts for "Kazakhstan" in the
// WordPress archive): made inside the rename's transaction, they held the
// writer, and every editor's save behind it, for as long as the whole
// tag took, and at a million articles past the server's 60 s answer.
//
// So the rename or merge commits at once (with, on PostgreSQL, the
// merge's facets moved in the same transaction: filters are exact at
// once), and the documents are made again afterwards in the background,
// tagDocsBatch articles a write transaction. Each batch reads its
// articles inside its own transaction, so a save of one of them between
// batches is never overwritten by a document read before it. Until the
// last batch, a search by the new name may miss an article the old name
// still finds. A stop (Close) in the middle leaves the rest with the old
// name's words until they are saved or `dastan reindex` runs.

// tagDocsBatch is how many documents one transaction makes: a few
// tenths of a second of the writer, which saves wait behind at most.
const tagDocsBatch = 500

// tagDocs runs the background rewriting of renamed and merged tags'
// search documents for one store.
type tagDocs struct {
	mu      sync.Mutex
	ctx     context.Context
	stop    context.CancelFunc
	closed  bool
	running sync.WaitGroup
	batch   int // articles a transaction: tagDocsBatch, tests set less
}

// rewrite starts making tag's articles' search documents again, unless
// the store is closing.
func (d *tagDocs) rewrite(db *DB, tag int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	if d.ctx == nil {
		d.ctx, d.stop = context.WithCancel(context.Background())
	}
	d.running.Add(1)
	go func() {
		defer d.running.Done()
		// A failed batch (the writer busy past its timeout, a lost
		// PostgreSQL connection) is tried again a few times; the
		// batches already made stay made.
		for try := 0; try < 5; try++ {
			if err := db.rewriteTagDocs(d.ctx, tag); err == nil || d.ctx.Err() != nil {
				return
			}
			select {
			case <-d.ctx.Done():
				return
			case <-time.After(time.Second << try):
			}
		}
	}()
}

// wait returns when no rewriting runs.
func (d *tagDocs) wait() { d.running.Wait() }

// close stops the rewriting under way and waits for it to stop.
func (d *tagDocs) close() {
	d.mu.Lock()
	d.closed = true
	if d.stop != nil {
		d.stop()
	}
	d.mu.Unlock()
	d.running.Wait()
}

// rewriteTagDocs makes the search documents of tag's articles again from
// what the store holds (the bodies' text stays as it is), a batch of ids
// at a time, each batch read and written in one write transaction.
func (db *DB) rewriteTagDocs(ctx context.Context, tag int64) error {
	size := db.tagDocs.batch
	if size <= 0 {
		size = tagDocsBatch
	}
	var after int64
	for {
		var n int
		err := db.tx(ctx, func(tx *sql.Tx) error {
			batch, err := db.articleDocs(ctx, db.txReader(tx), false,
				`id > ? AND id IN (SELECT article_id FROM article_tags WHERE tag_id = ?)`, []any{after, tag}, size)
			if err != nil || len(batch) == 0 {
				return err
			}
			n = len(batch)
			ids, docs := make([]int64, n), make([]indexedDoc, n)
			eachParallel(n, func(i int) {
				ids[i], docs[i] = batch[i].id, db.dialect.analyze(batch[i].doc)
			})
			if err := db.dialect.putSearchDocs(ctx, db, tx, ids, docs); err != nil {
				return err
			}
			after = ids[n-1]
			return nil
		})
		if err != nil || n == 0 {
			return err
		}
	}
}
