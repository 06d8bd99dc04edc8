package store

import (
	"context"
	"database/sql"
	"fmt"
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
// still finds.
//
// The work left is kept in the store (tag_doc_rewrites: the tag and the
// last article made, written in the rename's transaction and in each
// batch's), so an instance stopped in the middle resumes when it, or any
// instance of the cluster, opens the store again. Two instances making
// one tag's documents at once do no harm: each batch moves the mark on
// only from where it read it, and a document is made from what its
// transaction reads.

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
	// stopAfter, when above 0, ends each rewriting after that many
	// batches, as a stop of the instance would (tests).
	stopAfter int
}

// askTagDocs records, in the transaction that renames or merges into
// tag, that its articles' documents are to be made again from the
// first: a second rename while the first one's rewriting runs starts
// it over, since the articles already made hold the first new name.
func (db *DB) askTagDocs(ctx context.Context, tx *sql.Tx, tag int64) error {
	_, err := db.txExec(ctx, tx, `INSERT INTO tag_doc_rewrites (tag_id, after_id) VALUES (?, 0)
		ON CONFLICT (tag_id) DO UPDATE SET after_id = 0`, tag)
	return err
}

// dropTagDocs forgets the rewriting of a tag deleted in tx (merged into
// another, whose rewriting covers its articles).
func (db *DB) dropTagDocs(ctx context.Context, tx *sql.Tx, tag int64) error {
	_, err := db.txExec(ctx, tx, `DELETE FROM tag_doc_rewrites WHERE tag_id = ?`, tag)
	return err
}

// resumeTagDocs starts again the rewritings a stopped instance left,
// when the store opens.
func (db *DB) resumeTagDocs(ctx context.Context) error {
	rows, err := db.read(ctx, `SELECT tag_id FROM tag_doc_rewrites ORDER BY tag_id`)
	if err != nil {
		return fmt.Errorf("store: tags' search documents left to make: %w", err)
	}
	var tags []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		tags = append(tags, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range tags {
		db.tagDocs.rewrite(db, id)
	}
	return nil
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
		// batches already made stay made, and what is left is kept
		// for the next start.
		for try := 0; try < 5; try++ {
			err := db.rewriteTagDocs(d.ctx, tag)
			if err == nil || d.ctx.Err() != nil {
				return
			}
			db.log.Warn("making a renamed tag's search documents again failed; trying again", "tag", tag, "try", try+1, "err", err)
			select {
			case <-d.ctx.Done():
				return
			case <-time.After(time.Second << try):
			}
		}
		db.log.Error("a renamed tag's search documents keep its old name until the store opens again", "tag", tag)
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
// what the store holds (the bodies' text stays as it is), a batch at a
// time from the mark in tag_doc_rewrites, each batch read and written in
// one write transaction that moves the mark on. The last, empty batch
// deletes the mark.
func (db *DB) rewriteTagDocs(ctx context.Context, tag int64) error {
	size := db.tagDocs.batch
	if size <= 0 {
		size = tagDocsBatch
	}
	for batches := 0; db.tagDocs.stopAfter <= 0 || batches < db.tagDocs.stopAfter; batches++ {
		done := false
		err := db.tx(ctx, func(tx *sql.Tx) (err error) {
			done, err = db.tagDocsBatch(ctx, tx, tag, size)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: search documents of tag %d: %w", tag, err)
		}
		if done {
			return nil
		}
	}
	return nil
}

// tagDocsBatch makes, in tx, the documents of the next size articles of
// tag after its mark, and moves the mark past them; done says none was
// left (or the tag was merged away).
func (db *DB) tagDocsBatch(ctx context.Context, tx *sql.Tx, tag int64, size int) (done bool, err error) {
	var after int64
	err = db.txRow(ctx, tx, `SELECT after_id FROM tag_doc_rewrites WHERE tag_id = ?`, tag).Scan(&after)
	if err == sql.ErrNoRows {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	batch, err := db.articleDocs(ctx, db.txReader(tx), false,
		`id > ? AND id IN (SELECT article_id FROM article_tags WHERE tag_id = ?)`, []any{after, tag}, size)
	if err != nil {
		return false, err
	}
	if len(batch) == 0 {
		// Unless a rename set the mark back since it was read: that
		// rename's rewriting starts over and needs it.
		_, err := db.txExec(ctx, tx, `DELETE FROM tag_doc_rewrites WHERE tag_id = ? AND after_id = ?`, tag, after)
		return true, err
	}
	n := len(batch)
	ids, docs := make([]int64, n), make([]indexedDoc, n)
	eachParallel(n, func(i int) {
		ids[i], docs[i] = batch[i].id, db.dialect.analyze(batch[i].doc)
	})
	if err := db.dialect.putSearchDocs(ctx, db, tx, ids, docs); err != nil {
		return false, err
	}
	// Only from where it was read: if another instance moved it on, or
	// a rename set it back, this batch's documents are still right (made
	// from what this transaction read), and the mark stays theirs.
	_, err = db.txExec(ctx, tx, `UPDATE tag_doc_rewrites SET after_id = ? WHERE tag_id = ? AND after_id = ?`, ids[n-1], tag, after)
	return false, err
}
