package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
)

// SetStatusForTest changes a status with a bare UPDATE, as a future
// caller outside SaveArticle might, to test that listings still follow.
func (db *DB) SetStatusForTest(ctx context.Context, id int64, s news.Status) error {
	_, err := db.write(ctx, `UPDATE articles SET status = ? WHERE id = ?`, s, id)
	return err
}

// SetWALRestartForTest makes a long import's writer wait for the log to be
// copied every frames pages (walRestartFrames) instead of every 64 MiB.
func (db *DB) SetWALRestartForTest(frames int64) { db.testWALRestart = frames }

// SQLitePathForTest is the store's SQLite file.
func (db *DB) SQLitePathForTest() string { return db.path }

// SetSearchPartsForTest makes PostgreSQL's parts of the search documents
// hold rows documents (search_part_rows, migration 0036) and has this
// instance ask for a split after every checkEvery documents it writes.
func (db *DB) SetSearchPartsForTest(ctx context.Context, rows int, checkEvery int64) error {
	db.parts.wg.Wait() // the split Open asked for, which would count with the new size
	db.parts.checkEvery = checkEvery
	return db.script(ctx, fmt.Sprintf(`CREATE OR REPLACE FUNCTION search_part_rows() RETURNS BIGINT
		LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT %d'`, rows))
}

// SplitSearchPartsForTest runs a split of the newest part, as the
// splitter does.
func (db *DB) SplitSearchPartsForTest(ctx context.Context) error { return db.splitSearchParts(ctx) }

// HoldSearchDocsForTest holds the search documents as a long read does
// (ACCESS SHARE) until release is called.
func (db *DB) HoldSearchDocsForTest(ctx context.Context) (release func(), err error) {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if err := db.txScript(ctx, tx, `LOCK TABLE article_search IN ACCESS SHARE MODE`); err != nil {
		tx.Rollback()
		return nil, err
	}
	return func() { tx.Rollback() }, nil
}

// WaitSearchSplitForTest waits for this instance's split under way.
func (db *DB) WaitSearchSplitForTest() { db.parts.wg.Wait() }

// SearchPartsForTest lists the parts of PostgreSQL's search documents,
// oldest first, each as its first id (0 for the oldest) and how many
// documents it holds, counted.
func (db *DB) SearchPartsForTest(ctx context.Context) ([][2]int64, error) {
	db.parts.mu.Lock()
	db.parts.found = time.Time{}
	db.parts.mu.Unlock()
	list, err := db.searchPartList(ctx)
	if err != nil {
		return nil, err
	}
	var out [][2]int64
	for i := len(list) - 1; i >= 0; i-- {
		p := [2]int64{max(list[i].first, 0)}
		if err := db.readRow(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM article_search_%d`, p[0])).Scan(&p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// SetRankWindowForTest shrinks the search ranking window.
func (db *DB) SetRankWindowForTest(n int) { db.testRankWindow = n }

// RerunMigrationForTest runs one migration's statements again, so a test
// can check what it does to rows written before it.
func (db *DB) RerunMigrationForTest(ctx context.Context, name string) error {
	body, err := migrations.ReadFile(path.Join(db.dialect.migrationsDir(), name))
	if err != nil {
		return err
	}
	return db.script(ctx, string(body))
}

// ImportOneByOneForTest writes articles as ImportArticles did before it
// wrote in bulk, one writeArticle each, so a test can compare the two.
func (db *DB) ImportOneByOneForTest(ctx context.Context, list []*news.Article) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, a := range list {
			if a.CreatedAt.IsZero() {
				a.CreatedAt = a.UpdatedAt
			}
			if err := db.writeArticle(ctx, tx, a, 0, "imported", a.UpdatedAt); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportAheadForTest is ImportArticles of new articles with their search
// work done ahead, work[i] for list[i], as the WordPress import does.
func (db *DB) ImportAheadForTest(ctx context.Context, list []*news.Article, work []*SearchWork) error {
	return db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		*ch = ChangeAll
		return db.importFresh(ctx, tx, list, freshImport{note: "imported", search: work})
	})
}

// RowsForTest returns every row query reads, each as its columns' text
// joined by " | ", for a test to compare what two writes stored.
func (db *DB) RowsForTest(ctx context.Context, query string) ([]string, error) {
	rows, err := db.read(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, " | "))
	}
	return out, rows.Err()
}

// SearchRowsQueryForTest is the query of every search document, as
// RowsForTest reads it, on this store's engine.
func (db *DB) SearchRowsQueryForTest() string {
	if db.dialect.name() == "sqlite" {
		return `SELECT s.rowid, s.title, s.standfirst, s.tags, s.body, m.listed, m.published_at, m.lang, m.section_id
			FROM article_search s JOIN article_search_meta m ON m.article_id = s.rowid ORDER BY s.rowid`
	}
	return `SELECT article_id, CAST(tsv AS text), CAST(pairs AS text), listed, published_at, lang, section_id,
		facets = search_facets(article_id, section_id) AS facets_follow_links FROM article_search ORDER BY article_id`
}

// SchemaQueryForTest is the query of the definition of every index,
// foreign key and other constraint of the store's tables, as RowsForTest
// reads it, on this store's engine.
func (db *DB) SchemaQueryForTest() string {
	if db.dialect.name() == "sqlite" {
		return `SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name`
	}
	return `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
		UNION ALL SELECT CAST(CAST(conrelid AS regclass) AS text) || ' ' || conname, pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = CAST(current_schema() AS regnamespace)
		ORDER BY 1`
}

// SearchTermsForTest lists what the search index holds: on SQLite, whose
// index keeps no text, each term with its article, column and position
// (read through fts5vocab on the writer's connection); on PostgreSQL the
// rows of SearchRowsQueryForTest.
func (db *DB) SearchTermsForTest(ctx context.Context) ([]string, error) {
	if db.dialect.name() != "sqlite" {
		return db.RowsForTest(ctx, db.SearchRowsQueryForTest())
	}
	var out []string
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.txExec(ctx, tx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, article_search, instance)`); err != nil {
			return err
		}
		rows, err := db.txRead(ctx, tx, `SELECT doc, col, offset, term FROM temp.search_terms ORDER BY doc, col, offset`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var doc, offset int64
			var col, term string
			if err := rows.Scan(&doc, &col, &offset, &term); err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%d %s %d %s", doc, col, offset, term))
		}
		return rows.Err()
	})
	return out, err
}

// RowsReadAsForTest is RowsForTest for a read of a search ("search"), of
// a dense search's window or page by date ("dense") or of a readers'
// listing ("listing"), on the pool such reads use.
func (db *DB) RowsReadAsForTest(ctx context.Context, kind, query string) ([]string, error) {
	k := map[string]readKind{"search": searchRead, "listing": readersListing, "dense": denseWindow}[kind]
	return db.RowsForTest(readingAs(ctx, k), query)
}

// SearchCountPlanForTest is EXPLAIN of the statement that counts sq's
// matches as SearchArticles counts them (without a count limit), read
// on the pool searches use.
func (db *DB) SearchCountPlanForTest(ctx context.Context, sq SearchQuery) ([]string, error) {
	l, err := sq.listing(db.dialect.searchMatch(sq.Query))
	if err != nil {
		return nil, err
	}
	rows, err := db.read(readingAs(ctx, searchRead), `EXPLAIN SELECT COUNT(*) FROM `+l.from+l.where(), l.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		out = append(out, line)
	}
	return out, rows.Err()
}

// SetTermRankingForTest switches SQLite's ranking of searches in Go
// (search_rank.go) off, back to FTS5's bm25, or on again.
func (db *DB) SetTermRankingForTest(on bool) { db.termRanking.Store(on) }

// StaleTermRecordsForTest lists the articles whose terms, as searches
// count them, are missing or differ from those made afresh from the
// article as it is stored now: on PostgreSQL its record of terms
// (migration 0029); on SQLite, which keeps no records and counts terms
// from FTS5's index (fts_terms.go), its full-text row's columns.
func (db *DB) StaleTermRecordsForTest(ctx context.Context) ([]int64, error) {
	var stale []int64
	var last int64
	for {
		batch, err := db.reindexBatch(ctx, last, 100)
		if err != nil || len(batch) == 0 {
			return stale, err
		}
		last = batch[len(batch)-1].id
		analyzeAll(db.dialect, batch, 1)
		for _, it := range batch {
			if db.dialect.name() == "sqlite" {
				cols, err := db.indexedColumnsForTest(ctx, it.id)
				if err != nil {
					return nil, err
				}
				for i, c := range it.out.columns {
					if cols[i] != strings.Join(strings.Fields(c), " ") {
						stale = append(stale, it.id)
						break
					}
				}
				continue
			}
			var rec []byte
			err := db.readRow(ctx, `SELECT terms FROM article_terms WHERE article_id = ?`, it.id).Scan(&rec)
			if err != nil || string(rec) != string(it.out.terms) {
				stale = append(stale, it.id)
			}
		}
	}
}

// indexedColumnsForTest reads back from SQLite's contentless full-text
// index (through fts5vocab, in a transaction of the writer's) the terms
// it holds of article id, column by column, in order, separated by spaces.
func (db *DB) indexedColumnsForTest(ctx context.Context, id int64) (cols [4]string, err error) {
	var terms [4][]string
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.txExecOnce(ctx, tx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.article_search_instances
			USING fts5vocab(main, article_search, instance)`); err != nil {
			return err
		}
		rows, err := db.txReadOnce(ctx, tx, `SELECT term, col FROM temp.article_search_instances WHERE doc = ? ORDER BY col, offset`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		index := map[string]int{"title": 0, "standfirst": 1, "tags": 2, "body": 3}
		for rows.Next() {
			var term, col string
			if err := rows.Scan(&term, &col); err != nil {
				return err
			}
			terms[index[col]] = append(terms[index[col]], term)
		}
		return rows.Err()
	})
	for i, t := range terms {
		cols[i] = strings.Join(t, " ")
	}
	return cols, err
}

// ForgetTermRecordsForTest makes a PostgreSQL store look as one made
// before migration 0029 does after it: no records, and the fill asked for.
func (db *DB) ForgetTermRecordsForTest(ctx context.Context) error {
	return db.script(ctx, `DELETE FROM article_terms; INSERT INTO article_terms_fill (pending) VALUES (1)`)
}

// TermRecordsForTest counts the articles whose terms searches count: the
// records of terms on PostgreSQL (migration 0029), the full-text rows on
// SQLite.
func (db *DB) TermRecordsForTest(ctx context.Context) (int, error) {
	q := `SELECT COUNT(*) FROM article_terms`
	if db.dialect.name() == "sqlite" {
		q = `SELECT COUNT(*) FROM article_search_docsize`
	}
	var n int
	err := db.readRow(ctx, q).Scan(&n)
	return n, err
}

// TermFillForTest makes the fill of records of terms (terms_fill.go)
// write batch articles a transaction, check every retry, and, when
// stopAfter is above 0, stop after that many batches, as a restart would.
func TermFillForTest(batch, stopAfter int, retry time.Duration) Option {
	return func(db *DB) { db.fill.batch, db.fill.stopAfter, db.fill.retry = batch, stopAfter, retry }
}

// TermFillEndedForTest waits until this instance's fill has ended (done,
// stopped, or never started).
func (db *DB) TermFillEndedForTest() {
	if db.fill.done != nil {
		<-db.fill.done
	}
}

// TermRecordsMadeForTest is how many records this instance's fill made.
func (db *DB) TermRecordsMadeForTest() int64 { return db.fill.made.Load() }

// SitemapTranslationsPlanForTest is SQLite's plan of SitemapTranslations'
// query for a page of 50,000 ids: EXPLAIN QUERY PLAN's steps, one line each.
func (db *DB) SitemapTranslationsPlanForTest(ctx context.Context) ([]string, error) {
	rows, err := db.read(ctx, `EXPLAIN QUERY PLAN `+db.sitemapTranslationsSQL(),
		0, 50000, 0, 0, 0, 50000, 0, 0, 0, 50000, 0, 0)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		steps = append(steps, detail)
	}
	return steps, rows.Err()
}

// TagDocsMadeForTest waits until the search documents of every tag
// renamed or merged so far are made again (tag_docs.go).
func (db *DB) TagDocsMadeForTest() { db.tagDocs.wait() }

// TagDocsBatchForTest makes a renamed tag's documents n a transaction.
func TagDocsBatchForTest(n int) Option { return func(db *DB) { db.tagDocs.batch = n } }

// TagDocsStopAfterForTest ends each rewriting of a renamed tag's
// documents after n batches, as a stop of the instance would.
func TagDocsStopAfterForTest(n int) Option { return func(db *DB) { db.tagDocs.stopAfter = n } }

// PageMarksForTest makes deep pages' marks stride entries apart.
func PageMarksForTest(stride int) Option { return func(db *DB) { db.pageMarks.stride = stride } }

// PageMarksKeptForTest is how many marks are kept, over every listing.
func (db *DB) PageMarksKeptForTest() int {
	db.pageMarks.mu.Lock()
	defer db.pageMarks.mu.Unlock()
	n := 0
	for _, l := range db.pageMarks.lists {
		n += len(l.marks)
	}
	return n
}

// CountedRecordsForTest returns, on SQLite, for each article matching
// q (which must have a search.Ranking): the record of q's terms the
// window counts from FTS5 with the row's sizes joined, the one it counts
// without them (FTS5's own xColumnSize), and the record of terms, whole,
// that search.DocTerms makes of the terms the index holds of the article
// (what SQLite stored in article_terms before its migration 0033).
func (db *DB) CountedRecordsForTest(ctx context.Context, q search.Query) (joined, own, stored map[int64][]byte, err error) {
	rk, _ := q.Ranking()
	rows, err := db.read(ctx, `SELECT article_search.rowid, `+ftsTermsSQL+`(article_search, ?, d.sz), `+ftsTermsSQL+`(article_search, ?, NULL)
		FROM article_search LEFT JOIN article_search_docsize d ON d.id = article_search.rowid
		WHERE article_search MATCH ?`, rk.Phrases(), rk.Phrases(), q.FTS5())
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	joined, own, stored = map[int64][]byte{}, map[int64][]byte{}, map[int64][]byte{}
	for rows.Next() {
		var id int64
		var j, o []byte
		if err := rows.Scan(&id, &j, &o); err != nil {
			return nil, nil, nil, err
		}
		joined[id], own[id] = j, o
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	for id := range joined {
		cols, err := db.indexedColumnsForTest(ctx, id)
		if err != nil {
			return nil, nil, nil, err
		}
		stored[id] = search.DocTerms(cols)
	}
	return joined, own, stored, nil
}

// SearchMergeForTest asks for the background merge of the full-text
// index when it holds more than kept segments.
func SearchMergeForTest(kept int) Option {
	return func(db *DB) { db.merge.on, db.merge.kept = true, kept }
}

// SearchMergedForTest waits until the background merge has no pass to
// run or asked for, and returns how many segments the index holds.
func (db *DB) SearchMergedForTest(ctx context.Context) (int, error) {
	for db.merge.busy() {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return db.searchSegments(ctx)
}

// SearchSegmentsForTest is how many segments the full-text index holds.
func (db *DB) SearchSegmentsForTest(ctx context.Context) (int, error) {
	return db.searchSegments(ctx)
}

// SearchesAtOnceForTest is the most searches that were inside the store
// at once, and how many it lets in at once (0: no gate).
func (db *DB) SearchesAtOnceForTest() (most, slots int) {
	return int(db.searches.most.Load()), cap(db.searches.slots)
}

// DeadlockedForTest is deadlocked: err is PostgreSQL's deadlock.
func DeadlockedForTest(err error) bool { return deadlocked(err) }

// PageMarkFindsForTest is how many times a listing's marks were looked
// for, and how many requests wait for a finding under way.
func (db *DB) PageMarkFindsForTest() (finds, waiting int) {
	db.pageMarks.mu.Lock()
	defer db.pageMarks.mu.Unlock()
	for _, f := range db.pageMarks.finding {
		waiting += f.waiting
	}
	return db.pageMarks.finds, waiting
}

// HoldPageMarksForTest makes each finding of marks call hold before it
// reads the listing's keys.
func (db *DB) HoldPageMarksForTest(hold func()) { db.pageMarks.hold = hold }

// ListenAgainForTest is what WatchChanges does when its LISTEN
// connection comes back after a drop: it listens on a new connection
// and looks for what was written while it could not. The connection is
// closed again before it returns.
func (db *DB) ListenAgainForTest(ctx context.Context) error {
	conn, err := db.subscribe(ctx)
	if err != nil {
		return err
	}
	db.changes.setListening(false)
	return conn.Close(ctx)
}

// AutomergeForTest is the full-text index's automerge setting, and
// whether the store holds one (FTS5 keeps none until it is set).
func (db *DB) AutomergeForTest(ctx context.Context) (int, bool, error) {
	var n int
	err := db.readRow(ctx, `SELECT v FROM article_search_config WHERE k = 'automerge'`).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, err
}

// CommitAfterCancelForTest runs a write transaction whose context is
// cancelled inside it, and waits until database/sql has rolled it back
// before letting it commit (the order an interrupted import can meet).
// With statement set, the transaction runs one more statement instead of
// returning straight to the commit.
func (db *DB) CommitAfterCancelForTest(statement bool) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.txExec(ctx, tx, `UPDATE redirects SET to_path = to_path WHERE id = 0`); err != nil {
			return err
		}
		cancel()
		deadline := time.Now().Add(10 * time.Second)
		for {
			// A fresh context: the transaction fails a statement only
			// once its own goroutine has rolled it back.
			_, err := db.txExec(context.Background(), tx, `SELECT 1`)
			if err != nil {
				break
			}
			if time.Now().After(deadline) {
				return errors.New("the cancelled transaction was never rolled back")
			}
			time.Sleep(time.Millisecond)
		}
		if statement {
			_, err := db.txExec(ctx, tx, `SELECT 1`)
			return err
		}
		return nil
	})
}

// SetBodyColumnsForTest stores an article's body columns as given, bare,
// as a store written before packing (or a damaged one) holds them.
func (db *DB) SetBodyColumnsForTest(ctx context.Context, id int64, source, html, text any) error {
	_, err := db.write(ctx, `UPDATE articles SET body_source = ?, body_html = ?, body_text = ? WHERE id = ?`, source, html, text, id)
	return err
}

// PackForTest is s as this store's engine stores a long text.
func (db *DB) PackForTest(s string) any { return db.dialect.pack(s) }

// RecordMigrationForTest records migration version as applied, as a
// newer binary would have.
func (db *DB) RecordMigrationForTest(ctx context.Context, version int) error {
	_, err := db.write(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, 'from a newer release')`, version)
	return err
}

// RankTotalsForTest returns the number of documents the ranking of
// searches in Go weighs by.
func (db *DB) RankTotalsForTest(ctx context.Context) (int, error) {
	t, err := db.rankTotals(ctx)
	return t.rows, err
}

// TermCountsForTest says how many counts of the terms' sample began.
func (db *DB) TermCountsForTest() int64 { return db.terms.counts.Load() }

// HoldTermCountsForTest makes counts of the terms' sample wait until the
// returned release is called; WaitTermCountsForTest waits for one running
// in the background.
func (db *DB) HoldTermCountsForTest() (release func()) {
	hold := make(chan struct{})
	db.terms.mu.Lock()
	db.terms.hold = hold
	db.terms.mu.Unlock()
	return func() { close(hold) }
}

// WaitTermCountsForTest waits for a count of the terms' sample running in
// the background.
func (db *DB) WaitTermCountsForTest() { db.terms.wg.Wait() }

// TermTriesForTest says how many counts or looks of the terms' sample
// began, failed or not.
func (db *DB) TermTriesForTest() int64 { return db.terms.tries.Load() }

// idfCheckForTest is how often a search looks for added articles.
const IDFCheckForTest = idfCheck

// TermLooksForTest says how many looks for added articles found none.
func (db *DB) TermLooksForTest() int64 { return db.terms.looks.Load() }

// FailTermCountsForTest makes counts of the terms' sample fail with err,
// until it is called with nil.
func (db *DB) FailTermCountsForTest(err error) {
	db.terms.mu.Lock()
	db.terms.fail = err
	db.terms.mu.Unlock()
}
