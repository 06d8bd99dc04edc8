package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"dastan/internal/search"
)

// dialect holds what differs between SQLite and PostgreSQL. Everything else
// is written once, in SQL both accept.
type dialect interface {
	name() string
	// migrationsDir is the folder under migrations/ with this engine's files.
	migrationsDir() string
	// analyze turns a search document into what the engine's index stores;
	// it does no I/O, so a rebuild runs it on every core.
	analyze(d searchDoc) indexedDoc
	// analyzeAhead analyzes what of d does not depend on its tags, whose
	// names only the writing transaction knows; ok is false where the
	// engine analyzes a document as one whole (PostgreSQL).
	analyzeAhead(d searchDoc) (pre indexedDoc, ok bool)
	// withTags completes pre, from analyzeAhead, with d's tags and meta.
	withTags(pre indexedDoc, d searchDoc) indexedDoc
	// putSearchDoc replaces article id's search document inside tx.
	putSearchDoc(ctx context.Context, db *DB, tx *sql.Tx, id int64, d indexedDoc) error
	// putSearchDocs is putSearchDoc for many articles: ids[i]'s is docs[i].
	putSearchDocs(ctx context.Context, db *DB, tx *sql.Tx, ids []int64, docs []indexedDoc) error
	// searchMatch joins articles a to the index where q matches.
	searchMatch(q search.Query) searchMatch
	// optimizeSearch tidies the index after a rebuild.
	optimizeSearch(ctx context.Context, db *DB) error
	// optimize is the statement that refreshes the planner's statistics
	// (and tidies what a bulk import left, see bulkImport).
	optimize() string
	// bulkImport is the statement, if any, that readies a transaction
	// for writing thousands of new articles.
	bulkImport() string
	// longImport is the statement, if any, that readies the writer's
	// connection for an import of many transactions, and endImport the
	// one that sets it back.
	longImport() (begin, end string)
	// visibleArticles is the FROM of a count of the articles readers may
	// see (a.visible_from <= ?, and date ranges on it) that reads the
	// index articles_visible (migration 0007) and no article's row.
	visibleArticles() string
	// sitemapArticles is the FROM of a read of one sitemap page's range of
	// ids that reads the covering index articles_sitemap (migration 0008),
	// never the rows.
	sitemapArticles() string
	// translationsOf is the FROM of articles m found by their
	// translation_of, in the index articles_translation.
	translationsOf() string
	// linkLang, where set, is the language of a link's article (lt), read
	// by a probe of the article's row for each link: how an edition's
	// listing led by a link table tests the language without joining.
	// Empty: the listing joins the articles and tests a.lang.
	linkLang() string
	// keepsCounts says whether listing_counts (migration 0015) keeps the
	// readers' listings' counts in step with every write.
	keepsCounts() bool
	// mergeTagFacets is the statement, if any, that moves the search
	// documents' facets from one tag to another (args: from's facet,
	// into's, from's), when the tags are merged.
	mergeTagFacets() string
	// rankTerms is the SQL of a search ranked in Go from the records of
	// terms (search_rank.go).
	rankTerms() rankTermsSQL
	// jsonList is the aggregate of a JSON array of one object per row,
	// its keys and values the pairs of fields ('ID', au.id, …), in the
	// order of orderBy; an empty array for no rows.
	jsonList(fields, orderBy string) string
	// pack is a long text (a body, a revision's source) as the engine
	// stores it, and unpacked the SQL of column col's text (packed.go).
	pack(s string) any
	unpacked(col string) string
}

// rankTermsSQL is what differs between the engines in a search ranked in
// Go from the records of terms (search_rank.go).
type rankTermsSQL struct {
	// newest finds the id from which the newest articles are indexed
	// (its argument: how many, less one).
	newest string
	// hits counts one term's documents from a bound (its arguments: the
	// term as termArg writes it, and the bound).
	hits    string
	termArg func(term string) string
	// windowID orders a search's matches newest first, as the index
	// holds them.
	windowID string
}

// indexedDoc is an analyzed search document: FTS5's four columns, or
// PostgreSQL's tsvector literal; and what searches filter on.
type indexedDoc struct {
	columns [4]string // title, standfirst, tags, body
	tsv     string
	pairs   string // PostgreSQL's word pairs, for phrases (migration 0024)
	// terms is the record of the document's terms (PostgreSQL's
	// migration 0029; search.TermCounts); nil on SQLite, which counts
	// them from FTS5's index (fts_terms.go).
	terms []byte
	meta  searchMeta
}

// searchMeta is what a search filters on besides the text.
type searchMeta struct {
	listed      bool // published or scheduled
	publishedAt int64
	lang        string
	sectionID   int64
	// The article's tags and authors, as its links hold them: PostgreSQL
	// keeps them with the section in the document's facets (migration 0026).
	tagIDs, authorIDs []int64
}

// facetsLiteral is m's section, tags and authors as the tsvector literal
// of article_search.facets (migration 0026): one lexeme each, s, t or a
// and the id, as search_facets writes them.
func (m searchMeta) facetsLiteral() string {
	var terms []string
	if m.sectionID != 0 {
		terms = append(terms, facet('s', m.sectionID))
	}
	for _, id := range m.tagIDs {
		terms = append(terms, facet('t', id))
	}
	for _, id := range m.authorIDs {
		terms = append(terms, facet('a', id))
	}
	return strings.Join(terms, " ")
}

// facet is the lexeme of a section ('s'), tag ('t') or author ('a').
func facet(kind byte, id int64) string {
	return string(kind) + strconv.FormatInt(id, 10)
}

// facetsQuery is the tsquery of article_search.facets that keeps the
// articles in one of sections (when given), with one of tags and by one
// of authors; "" when none is given.
func facetsQuery(sections, tags, authors []int64) string {
	var parts []string
	for _, f := range []struct {
		kind byte
		ids  []int64
	}{{'s', sections}, {'t', tags}, {'a', authors}} {
		if len(f.ids) == 0 {
			continue
		}
		any := make([]string, len(f.ids))
		for i, id := range f.ids {
			any[i] = facet(f.kind, id)
		}
		parts = append(parts, "("+strings.Join(any, " | ")+")")
	}
	return strings.Join(parts, " & ")
}

func (m searchMeta) listedInt() int {
	if m.listed {
		return 1
	}
	return 0
}

// searchMatch is the SQL of one search: FROM (the index, and m, its
// searchMeta columns),
// the WHERE condition, and rel, the text relevance (larger is better),
// each with its arguments.
type searchMatch struct {
	from string
	id   string // the matched article's id, as the index can range over it
	// countVisible, where set, counts the matches readers may see at a
	// time (args: match, match, time, match) faster than a join of every
	// match to its filters: all matches less the few hidden ones.
	countVisible string
	cond         string
	condArgs     []any
	rel          string
	relArgs      []any
	// once, where set, is the select list (aliased as m's columns) of a
	// derived table that unpacks each ranked document once, for a rel
	// that reads the document several times (see ranking.once).
	once string
	// window, where set, is the select list (aliased as m's columns) of
	// a ranking window's matches, which the engine then finds and ranks
	// in one query (see rankedPage).
	window string
	// facets, where set, is the condition (its one argument a
	// facetsQuery) that filters on sections, tags and authors in the
	// full-text index itself; otherwise they are joined (see searchSQL).
	facets string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string          { return "sqlite" }
func (sqliteDialect) migrationsDir() string { return "migrations/sqlite" }

func (s sqliteDialect) analyze(d searchDoc) indexedDoc {
	pre, _ := s.analyzeAhead(d)
	return s.withTags(pre, d)
}

// analyzeAhead analyzes all but the tags, on the preparing worker: the
// one writer then analyzes only the tags' few words. SQLite keeps no
// record of terms: a search counts them from FTS5's own position lists
// (fts_terms.go), so the columns are the whole analysis.
func (sqliteDialect) analyzeAhead(d searchDoc) (indexedDoc, bool) {
	return indexedDoc{columns: [4]string{search.IndexText(d.title), search.IndexText(d.standfirst), "", search.IndexText(d.body)}}, true
}

func (sqliteDialect) withTags(pre indexedDoc, d searchDoc) indexedDoc {
	pre.columns[2], pre.meta = search.IndexText(d.tags), d.meta
	return pre
}

func (sqliteDialect) putSearchDoc(ctx context.Context, db *DB, tx *sql.Tx, id int64, d indexedDoc) error {
	if _, err := db.txExec(ctx, tx, `DELETE FROM article_search WHERE rowid = ?`, id); err != nil {
		return err
	}
	_, err := db.txExec(ctx, tx, `INSERT INTO article_search (rowid, title, standfirst, tags, body) VALUES (?, ?, ?, ?, ?)`,
		id, d.columns[0], d.columns[1], d.columns[2], d.columns[3])
	if err != nil {
		return err
	}
	_, err = db.txExec(ctx, tx, `INSERT INTO article_search_meta (article_id, listed, published_at, lang, section_id) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET listed = excluded.listed, published_at = excluded.published_at,
		lang = excluded.lang, section_id = excluded.section_id`,
		id, d.meta.listedInt(), d.meta.publishedAt, d.meta.lang, d.meta.sectionID)
	return err
}

// putArticleTerms replaces article id's record of terms (PostgreSQL's
// migration 0029; SQLite keeps none since its 0033).
func putArticleTerms(ctx context.Context, db *DB, tx *sql.Tx, id int64, terms []byte) error {
	_, err := db.txExec(ctx, tx, `INSERT INTO article_terms (article_id, terms) VALUES (?, ?)
		ON CONFLICT (article_id) DO UPDATE SET terms = excluded.terms`, id, terms)
	return err
}

// putSearchDocs on SQLite writes the documents' metadata first, then
// their full-text rows in one statement. FTS5 writes the terms it holds
// in memory out as a new segment of the index at the start of every
// later statement of the transaction that may need undoing (its
// xSavepoint): written one by one, interleaved with the metadata's
// upserts, every document became a segment of its own, and the import
// spent its time merging them. Together, a batch is one segment. The
// deletes are the same as putSearchDoc's (a new article has nothing to
// delete); the ids are distinct, so deleting all before inserting all
// leaves what one by one would.
func (sqliteDialect) putSearchDocs(ctx context.Context, db *DB, tx *sql.Tx, ids []int64, docs []indexedDoc) error {
	for start := 0; start < len(ids); start += bulkRows {
		end := min(start+bulkRows, len(ids))
		var meta, text rowsBuilder
		del := make([]any, 0, end-start)
		for i := start; i < end; i++ {
			d := docs[i]
			meta.add(ids[i], d.meta.listedInt(), d.meta.publishedAt, d.meta.lang, d.meta.sectionID)
			text.add(ids[i], d.columns[0], d.columns[1], d.columns[2], d.columns[3])
			del = append(del, ids[i])
		}
		if _, err := db.txExecOnce(ctx, tx, `INSERT INTO article_search_meta (article_id, listed, published_at, lang, section_id) VALUES `+meta.values()+`
			ON CONFLICT (article_id) DO UPDATE SET listed = excluded.listed, published_at = excluded.published_at,
			lang = excluded.lang, section_id = excluded.section_id`, meta.args...); err != nil {
			return err
		}
		if _, err := db.txExecOnce(ctx, tx, `DELETE FROM article_search WHERE rowid IN (`+placeholders(len(del))+`)`, del...); err != nil {
			return err
		}
		if _, err := db.txExecOnce(ctx, tx, `INSERT INTO article_search (rowid, title, standfirst, tags, body) VALUES `+text.values(), text.args...); err != nil {
			return err
		}
	}
	return nil
}

// searchMatch on SQLite ranks by bm25 with the column weights of
// search's field order: title 10, standfirst 4, tags 6, body 1.
func (sqliteDialect) searchMatch(q search.Query) searchMatch {
	return searchMatch{
		from: `article_search CROSS JOIN article_search_meta m ON m.article_id = article_search.rowid`, // the index leads
		id:   `article_search.rowid`,
		// Both counts read only the indexes, never a row per match.
		// Drafts and embargoed articles are few: walk them by index and
		// ask the full-text index about each.
		countVisible: `SELECT (SELECT COUNT(*) FROM article_search WHERE article_search MATCH ?) -
			(SELECT COUNT(*) FROM article_search_meta m WHERE m.listed = 0
				AND EXISTS (SELECT 1 FROM article_search WHERE article_search MATCH ? AND rowid = m.article_id)) -
			(SELECT COUNT(*) FROM article_search_meta m WHERE m.listed = 1 AND m.published_at > ?
				AND EXISTS (SELECT 1 FROM article_search WHERE article_search MATCH ? AND rowid = m.article_id))`,
		cond:     `article_search MATCH ?`,
		condArgs: []any{q.FTS5()},
		rel:      `-bm25(article_search, 10.0, 4.0, 6.0, 1.0)`,
	}.coordinated(q, // uncorrelated, so SQLite reads each clause's matches once, not once per article
		`article_search.rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)`, search.Query.FTS5)
}

// coordinationStep is what each matched clause of a loose query multiplies
// relevance by: more than the most the engine's rank (squashed into
// [1, 2)) times the recency preference can make up, so that an article
// matching more of the query's words always comes first.
const coordinationStep = 4.0

// coordinated makes m's relevance, for a loose query, count the clauses
// of q each article matches (each tested by matched, with its argument
// written by arg) before the engine's rank. Other queries are unchanged.
func (m searchMatch) coordinated(q search.Query, matched string, arg func(search.Query) string) searchMatch {
	if !q.IsLoose() {
		return m
	}
	rel := `(1.0 + (` + m.rel + `) / (1.0 + abs(` + m.rel + `)))`
	args := append(append([]any{}, m.relArgs...), m.relArgs...)
	for _, p := range q.Parts() {
		rel += fmt.Sprintf(` * CASE WHEN %s THEN %g ELSE 1.0 END`, matched, coordinationStep)
		args = append(args, arg(p))
	}
	m.rel, m.relArgs = rel, args
	return m
}

func (sqliteDialect) rankTerms() rankTermsSQL {
	return rankTermsSQL{
		newest:   `SELECT article_id FROM article_search_meta ORDER BY article_id DESC LIMIT 1 OFFSET ?`,
		hits:     `SELECT COUNT(*) FROM article_search WHERE article_search MATCH ? AND rowid >= ?`,
		termArg:  search.FTS5Term,
		windowID: `article_search.rowid`,
	}
}

// optimizeSearch merges FTS5's segments into one, which queries read fastest.
func (sqliteDialect) optimizeSearch(ctx context.Context, db *DB) error {
	return db.script(ctx, `INSERT INTO article_search (article_search) VALUES ('optimize')`)
}

// visibleArticles names the index: SQLite's planner does not see that an
// index on a generated column covers a count, and would rather read every
// article (1.4 GB, seconds, at 100,000 articles) than look each one up.
func (sqliteDialect) visibleArticles() string { return `articles a INDEXED BY articles_visible` }

// sitemapArticles names the index: given a range of ids, SQLite's planner
// may walk the table's rows, bodies and all, instead.
func (sqliteDialect) sitemapArticles() string { return `articles a INDEXED BY articles_sitemap` }

// translationsOf names the index: where few articles are translations
// (none, in a store made by the demo), SQLite's statistics make a lookup
// of translation_of look no better than a scan, and the planner walks
// every article, or a sitemap page's range, once for each candidate.
func (sqliteDialect) translationsOf() string { return `articles m INDEXED BY articles_translation` }

// linkLang: SQLite's planner already walks the link's index and probes
// each article (in articles_id_lang, migration 0019).
func (sqliteDialect) linkLang() string { return "" }

// keepsCounts: SQLite's one writer updates the counts without waiting.
func (sqliteDialect) keepsCounts() bool { return true }

// mergeTagFacets: SQLite's searches join the tags' links.
func (sqliteDialect) mergeTagFacets() string { return "" }

// 0x10002 analyzes every table that needs it, however large, as SQLite
// advises after a bulk load (plain optimize limits its work per table).
func (sqliteDialect) optimize() string { return "PRAGMA optimize=0x10002" }

func (sqliteDialect) bulkImport() string { return "" }

// longImport turns the writer's own checkpoints off: each stopped the
// one writer while the disk flushed. LongImport's checkpointer copies the
// WAL on a connection of its own instead (checkpoint.go). When
// checkpoints run changes neither what is committed nor what survives a
// crash.
//
// It also holds the full-text index's automatic merges off (FTS5's
// automerge; its crisis merges, at 16 segments a level, still run): the
// single writer is an import's bottleneck, and merging every fourth
// batch's segment was a tenth of its work. The index is merged once the
// import ends (search_merge.go). The setting is kept in the store, so
// an import that dies leaves it off; opening the store sets it back
// (resumeAutomerge).
func (sqliteDialect) longImport() (string, string) {
	return "PRAGMA wal_autocheckpoint = 0; " + setAutomerge(0),
		"PRAGMA wal_autocheckpoint = 1000; " + setAutomerge(ftsAutomerge)
}

// ftsAutomerge is FTS5's own automerge: merge a level's segments once it
// holds four.
const ftsAutomerge = 4

// setAutomerge is the statement that sets the full-text index's
// automerge to n.
func setAutomerge(n int) string {
	return fmt.Sprintf("INSERT INTO article_search(article_search, rank) VALUES('automerge', %d)", n)
}

func (sqliteDialect) jsonList(fields, orderBy string) string {
	return `json_group_array(json_object(` + fields + `) ORDER BY ` + orderBy + `)`
}

// SQLite packs long texts itself (packed.go).
func (sqliteDialect) pack(s string) any          { return packText(s) }
func (sqliteDialect) unpacked(col string) string { return "unpacked(" + col + ")" }

type postgresDialect struct{}

// PostgreSQL compresses long values itself (TOAST).
func (postgresDialect) pack(s string) any          { return s }
func (postgresDialect) unpacked(col string) string { return col }

func (postgresDialect) jsonList(fields, orderBy string) string {
	return `COALESCE(json_agg(json_build_object(` + fields + `) ORDER BY ` + orderBy + `), '[]')`
}

func (postgresDialect) name() string          { return "postgres" }
func (postgresDialect) migrationsDir() string { return "migrations/postgres" }

func (postgresDialect) analyze(d searchDoc) indexedDoc {
	tsv, pairs := search.TSVectors(d.title, d.standfirst, d.tags, d.body)
	terms := search.DocTerms([4]string{search.IndexText(d.title), search.IndexText(d.standfirst),
		search.IndexText(d.tags), search.IndexText(d.body)})
	return indexedDoc{tsv: tsv, pairs: pairs, terms: terms, meta: d.meta}
}

// analyzeAhead: a tsvector is made of the whole document at once.
func (postgresDialect) analyzeAhead(searchDoc) (indexedDoc, bool) { return indexedDoc{}, false }

func (d postgresDialect) withTags(_ indexedDoc, doc searchDoc) indexedDoc { return d.analyze(doc) }

func (postgresDialect) longImport() (string, string) { return "", "" }

func (postgresDialect) putSearchDoc(ctx context.Context, db *DB, tx *sql.Tx, id int64, d indexedDoc) error {
	_, err := db.txExec(ctx, tx, `INSERT INTO article_search (article_id, tsv, pairs, listed, published_at, lang, section_id, facets)
		VALUES (?, CAST(CAST(? AS text) AS tsvector), CAST(CAST(? AS text) AS tsvector), ?, ?, ?, ?, CAST(CAST(? AS text) AS tsvector))
		ON CONFLICT (article_id) DO UPDATE SET tsv = excluded.tsv, pairs = excluded.pairs, listed = excluded.listed,
		published_at = excluded.published_at, lang = excluded.lang, section_id = excluded.section_id, facets = excluded.facets`,
		id, d.tsv, d.pairs, d.meta.listedInt(), d.meta.publishedAt, d.meta.lang, d.meta.sectionID, d.meta.facetsLiteral())
	if err != nil {
		return err
	}
	if err := putArticleTerms(ctx, db, tx, id, d.terms); err != nil {
		return err
	}
	return db.searchDocsWritten(ctx, tx, 1)
}

// putSearchDocs on PostgreSQL writes every document in one statement;
// in a fill, whose articles are all new, by COPY.
func (postgresDialect) putSearchDocs(ctx context.Context, db *DB, tx *sql.Tx, ids []int64, docs []indexedDoc) error {
	var b, terms rowsBuilder
	for i, id := range ids {
		d := docs[i]
		b.add(id, d.tsv, d.pairs, d.meta.listedInt(), d.meta.publishedAt, d.meta.lang, d.meta.sectionID, d.meta.facetsLiteral())
		terms.add(id, d.terms)
	}
	if b.rows == 0 {
		return nil
	}
	if conn := copyConn(ctx, tx); conn != nil {
		if err := b.copy(ctx, conn, `article_search`, `article_id, tsv, pairs, listed, published_at, lang, section_id, facets`); err != nil {
			return err
		}
		if err := terms.copy(ctx, conn, `article_terms`, `article_id, terms`); err != nil {
			return err
		}
		return db.searchDocsWritten(ctx, tx, b.rows)
	}
	if err := terms.insertChunks(ctx, db, tx, `INSERT INTO article_terms (article_id, terms) VALUES `,
		` ON CONFLICT (article_id) DO UPDATE SET terms = excluded.terms`); err != nil {
		return err
	}
	row := `(?, CAST(CAST(? AS text) AS tsvector), CAST(CAST(? AS text) AS tsvector), ?, ?, ?, ?, CAST(CAST(? AS text) AS tsvector))`
	_, err := db.txExecOnce(ctx, tx, `INSERT INTO article_search (article_id, tsv, pairs, listed, published_at, lang, section_id, facets)
		VALUES `+strings.TrimSuffix(strings.Repeat(row+`, `, b.rows), `, `)+`
		ON CONFLICT (article_id) DO UPDATE SET tsv = excluded.tsv, pairs = excluded.pairs, listed = excluded.listed,
		published_at = excluded.published_at, lang = excluded.lang, section_id = excluded.section_id, facets = excluded.facets`, b.args...)
	if err != nil {
		return err
	}
	return db.searchDocsWritten(ctx, tx, b.rows)
}

// searchMatch on PostgreSQL ranks by ts_rank with weights in the same
// proportions as FTS5's (D body 1, C standfirst 4, B tags 6, A title 10),
// normalized by document length. The literal is cast as is: to_tsquery
// would re-parse the name keys.
//
// A query with phrases is matched on the word pairs first (migration
// 0024): GIN finds a phrase's words in tsv but not their order, and
// testing it there unpacks every document holding the words. A query of
// two-word phrases only is matched on the pairs alone.
func (postgresDialect) searchMatch(q search.Query) searchMatch {
	tsq := q.TSQuery()
	cond, condArgs := `m.tsv @@ CAST(CAST(? AS text) AS tsquery)`, []any{tsq}
	switch pairs, exact := q.PairsTSQuery(); {
	case exact:
		cond, condArgs = `m.pairs @@ CAST(CAST(? AS text) AS tsquery)`, []any{pairs}
	case pairs != "":
		cond, condArgs = `m.pairs @@ CAST(CAST(? AS text) AS tsquery) AND `+cond, []any{pairs, tsq}
	}
	m := searchMatch{
		from:     `article_search m`,
		id:       `m.article_id`,
		cond:     cond,
		condArgs: condArgs,
		// With the last id of the window as a bound, the planner would
		// rather range over the primary key and test (unpack) every
		// document of the range than combine the range with GIN's
		// matches; as a window of one query it reads GIN's matches
		// (or, when they are dense, walks the ids: windowRead) and
		// unpacks only the window's documents, to rank them.
		window:  `m.article_id, m.published_at, m.tsv`,
		rel:     `ts_rank('{0.1, 0.4, 0.6, 1.0}', m.tsv, CAST(CAST(? AS text) AS tsquery), 1)`,
		relArgs: []any{tsq},
		// The facets are the second column of the full-text index
		// (migration 0026): a filtered search reads only the matches in
		// the section, tag or author, where a join of the links visited
		// every match of the words and every link.
		facets: `m.facets @@ CAST(CAST(? AS text) AS tsquery)`,
	}.coordinated(q, `m.tsv @@ CAST(CAST(? AS text) AS tsquery)`, search.Query.TSQuery)
	if q.IsLoose() {
		// A loose query's relevance reads the document twice for ts_rank
		// and once for each clause, and PostgreSQL fetches and unpacks it
		// from the TOAST table (migration 0025) each time. Concatenating
		// nothing to it unpacks it once, into a value the rest read.
		m.once = `m.article_id, m.published_at, m.tsv || CAST('' AS tsvector) AS tsv`
	}
	return m
}

func (postgresDialect) rankTerms() rankTermsSQL {
	return rankTermsSQL{
		newest:   `SELECT article_id FROM article_search ORDER BY article_id DESC LIMIT 1 OFFSET ?`,
		hits:     `SELECT COUNT(*) FROM article_search WHERE tsv @@ CAST(CAST(? AS text) AS tsquery) AND article_id >= ?`,
		termArg:  search.TSTerm,
		windowID: `m.article_id`,
	}
}

// optimizeSearch refreshes the planner's statistics of the rebuilt index.
func (postgresDialect) optimizeSearch(ctx context.Context, db *DB) error {
	return db.script(ctx, `ANALYZE article_search`)
}

// optimize also moves the full-text indexes' pending entries (each
// part's, migration 0036) into the indexes proper, which searches read
// faster (see bulkImport).
func (postgresDialect) optimize() string {
	return `SELECT gin_clean_pending_list(x.indexrelid) FROM pg_inherits p JOIN pg_index x ON x.indrelid = p.inhrelid
		JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
		WHERE p.inhparent = CAST('article_search' AS regclass) AND a.amname = 'gin'; ANALYZE`
}

// bulkImport lets new documents gather in the full-text index's pending
// list up to 64 MB, not 4 MB, before they are merged into the index: a
// merge of more entries at once costs less for each (a quarter less of
// the demo's time), and Optimize merges what is left after the import.
func (postgresDialect) bulkImport() string { return "SET LOCAL gin_pending_list_limit = '64MB'" }

// visibleArticles: PostgreSQL plans an index-only scan from its statistics.
func (postgresDialect) visibleArticles() string { return `articles a` }

// sitemapArticles: PostgreSQL plans from its statistics.
func (postgresDialect) sitemapArticles() string { return `articles a` }

func (postgresDialect) translationsOf() string { return `articles m` }

// linkLang: with the articles joined, PostgreSQL's plan for an edition's
// page 2 or its scheduled articles (generic, on the listings' pool) may
// hash every article of the language: 20–40 ms and 80–150 ms at 300,000
// articles, growing with the archive. A probe of each link's article
// reads only the links the page or count reaches.
func (postgresDialect) linkLang() string {
	return `(SELECT la.lang FROM articles la WHERE la.id = lt.article_id)`
}

// keepsCounts: on PostgreSQL writers add rows to listing_counts rather
// than update a shared counter row (migration 0027), so concurrent
// writers neither queue nor deadlock on it.
func (postgresDialect) keepsCounts() bool { return true }

// mergeTagFacets finds the documents of the merged tag in the full-text
// index, by their facets (migration 0026).
func (postgresDialect) mergeTagFacets() string {
	return `UPDATE article_search SET facets = ts_delete(facets, CAST(? AS text)) || CAST(CAST(? AS text) AS tsvector)
		WHERE facets @@ CAST(CAST(? AS text) AS tsquery)`
}
