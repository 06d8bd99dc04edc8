package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"dastan/internal/search"
)

// A search by relevance is ranked in Go (search.Ranking) from counts of
// each article's terms (on PostgreSQL, the records of terms the writer
// keeps, its migration 0029), by the same bm25 on both engines. On SQLite this
// replaced FTS5's bm25(), which finds each query term's document count by
// walking the term's whole list of documents on every query, a cost that
// grows with the archive and was most of a search's. On PostgreSQL it
// replaced ts_rank, which unpacked (detoasted) the tsvector of each of
// the window's documents to rank it; a record is kept in its row and
// read with the window. On SQLite the window reads no records: FTS5
// counts the same from the match it has just found (see fts_terms.go),
// and the tests prove the counts equal to the records search.DocTerms
// makes of the index's columns; SQLite keeps no records (its migration
// 0033). Either way the full-text index only finds the
// window of newest matches, in its own order; the counts come from
// termStats, which estimates them among the newest articles and keeps
// them a while. On a store smaller than that sample the counts, and so
// the scores, are exactly FTS5's bm25's, on both engines. Queries with
// phrases, which records without positions cannot rank, are still ranked
// by the engine (bm25, ts_rank).

const (
	// idfSample is how many of the newest articles a term's document
	// count is counted among, and scaled from to the whole archive: the
	// count's cost is bounded, however large the archive grows.
	idfSample = 10000
	// idfKeep is how long a term's count is kept before it is counted
	// again: an IDF changes slowly, and need not be exact.
	idfKeep = 10 * time.Minute
	// idfCheck is how often, at most, a search has the background look
	// whether articles were added since the sample was found (a cheap
	// read of two ids), and count it again if so: an import into a
	// running server, or a first article in an empty one, then weighs
	// in within about idfCheck rather than idfKeep. It is also the wait
	// after a background count failed before the next is tried.
	idfCheck = 30 * time.Second
	// idfTerms bounds the counts kept; when full, they start again.
	idfTerms = 50000
)

// termStats is the estimate of each term's document count that the Go
// ranking weighs terms by, shared by every search of one store.
type termStats struct {
	mu     sync.Mutex
	bound  int64     // the sample is the articles with ids from bound on (0: all)
	sample int       // how many articles the sample holds
	newest int64     // the newest article indexed when the sample was found
	gen    int       // how many times the sample was found: the terms' counts' key
	found  time.Time // when bound was found
	tried  time.Time // when the last count or look began
	// totals is PostgreSQL's estimate of the archive's totals, found
	// with bound (SQLite reads FTS5's own, exact, on every search).
	totals archiveTotals
	hits   map[string]termHits
	// counting is closed when the running count of the sample ends; nil
	// when none runs. wg holds a count in the background, which Close
	// cancels (stop) and waits for; once closed, none starts.
	counting chan struct{}
	wg       sync.WaitGroup
	closed   bool
	stopCtx  context.Context
	stop     context.CancelFunc
	tries    atomic.Int64  // counts and looks begun, for tests
	counts   atomic.Int64  // counts begun, for tests
	looks    atomic.Int64  // looks that found no article added, for tests
	hold     chan struct{} // when set, counts wait for it to close (tests)
	fail     error         // when set, counts fail with it (tests)
}

type termHits struct {
	hits int
	gen  int
	at   time.Time
}

// archiveTotals is what bm25 reads of the whole index: how many documents
// it holds, and their average length in terms.
type archiveTotals struct {
	rows      int
	avgLength float64
}

// ftsTotals reads FTS5's own record of the index's totals (the row of
// id 1 in its data table: the number of documents, then each column's
// total of terms, as SQLite varints), which bm25() reads too.
func (db *DB) ftsTotals(ctx context.Context) (archiveTotals, error) {
	var block []byte
	if err := db.readRow(ctx, `SELECT block FROM article_search_data WHERE id = 1`).Scan(&block); err != nil {
		return archiveTotals{}, err
	}
	var vals []uint64
	for len(block) > 0 {
		v, n := sqliteVarint(block)
		if n == 0 {
			break
		}
		vals, block = append(vals, v), block[n:]
	}
	if len(vals) != 5 {
		return archiveTotals{}, fmt.Errorf("index totals: %d values, want 5", len(vals))
	}
	t := archiveTotals{rows: int(vals[0])}
	if t.rows > 0 {
		t.avgLength = float64(vals[1]+vals[2]+vals[3]+vals[4]) / float64(t.rows)
	}
	return t, nil
}

// sqliteVarint decodes SQLite's big-endian varint (1 to 9 bytes) at the
// start of b; n is 0 when b ends first.
func sqliteVarint(b []byte) (v uint64, n int) {
	for i := 0; i < 8; i++ {
		if i >= len(b) {
			return 0, 0
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	if len(b) < 9 {
		return 0, 0
	}
	return v<<8 | uint64(b[8]), 9
}

// rankTotals returns the archive's totals that bm25 weighs by: FTS5's
// own on SQLite; on PostgreSQL, the documents counted and the average
// length of the records of the sample idfs counts terms in, kept as long
// as the sample.
func (db *DB) rankTotals(ctx context.Context) (archiveTotals, error) {
	if db.dialect.name() == "sqlite" {
		return db.ftsTotals(ctx)
	}
	if _, err := db.termSample(ctx); err != nil {
		return archiveTotals{}, err
	}
	db.terms.mu.Lock()
	defer db.terms.mu.Unlock()
	return db.terms.totals, nil
}

// sampleOf is what idfs needs of the sample: its bound and size (see
// idfSampleBound), and its generation, which the terms' counts are kept
// under.
type sampleOf struct {
	bound  int64
	sample int
	gen    int
}

// termSample returns the sample; on PostgreSQL it finds the archive's
// totals with it. Once found, they are served as they are while one
// count, in the background, finds them again: when older than idfKeep,
// or when articles were added (looked at every idfCheck). At a million
// articles on PostgreSQL the count takes about a second, which every
// search arriving meanwhile would otherwise wait for, each running its
// own. Until the first count ends, searches wait for that one.
func (db *DB) termSample(ctx context.Context) (sampleOf, error) {
	s := &db.terms
	s.mu.Lock()
	for s.found.IsZero() {
		if wait := s.counting; wait != nil {
			s.mu.Unlock()
			select {
			case <-wait:
			case <-ctx.Done():
				return sampleOf{}, ctx.Err()
			}
			s.mu.Lock()
			continue // a count that failed leaves found zero: this search counts
		}
		s.counting = make(chan struct{})
		s.tried = db.now()
		s.mu.Unlock()
		if err := db.countSample(ctx, false); err != nil {
			return sampleOf{}, err
		}
		s.mu.Lock()
	}
	defer s.mu.Unlock()
	if now := db.now(); s.counting == nil && now.Sub(s.tried) >= idfCheck {
		db.countInBackground(now.Sub(s.found) <= idfKeep)
	}
	return sampleOf{bound: s.bound, sample: s.sample, gen: s.gen}, nil
}

// WarmSearch counts, in the background, the totals that searches are
// ranked by, so that the first searches after a start do not wait for
// them: a server calls it once it has opened the store.
func (db *DB) WarmSearch() {
	s := &db.terms
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counting == nil && s.found.IsZero() && db.termRanking.Load() {
		db.countInBackground(false)
	}
}

// countInBackground starts a count of the sample that no search waits
// for, or, with ifAdded, a look that counts only when articles were
// added since the sample was found; db.terms.mu is held. A count that
// fails is logged, and tried again no sooner than idfCheck after it
// failed. None starts once the store is closing.
func (db *DB) countInBackground(ifAdded bool) {
	s := &db.terms
	if s.closed {
		return
	}
	if s.stop == nil {
		s.stopCtx, s.stop = context.WithCancel(context.Background())
	}
	s.counting = make(chan struct{})
	s.tried = db.now()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.stopCtx, time.Minute)
		defer cancel()
		if err := db.countSample(ctx, ifAdded); err != nil && s.stopCtx.Err() == nil {
			db.log.Warn("search: counting the archive's totals", "err", err)
		}
	}()
}

// countSample finds the sample's bound and PostgreSQL's totals, keeps
// them, and ends the count that termSample started: found is set only
// when they were found. With ifAdded it first looks whether articles were
// added since the sample was found, and counts nothing when none were.
func (db *DB) countSample(ctx context.Context, ifAdded bool) (err error) {
	s := &db.terms
	s.tries.Add(1)
	defer func() {
		s.mu.Lock()
		if err != nil { // the wait before the next try starts now: a count may fail after a minute
			s.tried = db.now()
		}
		close(s.counting)
		s.counting = nil
		s.mu.Unlock()
	}()
	s.mu.Lock()
	hold, fail := s.hold, s.fail
	s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if fail != nil {
		return fail
	}
	now := db.now()
	var newest int64
	if err := db.readRow(ctx, db.dialect.rankTerms().newest, 0).Scan(&newest); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	bound, sample, err := db.idfSampleBound(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	same := newest == s.newest && bound == s.bound && sample == s.sample
	s.mu.Unlock()
	if ifAdded && same {
		s.looks.Add(1)
		return nil
	}
	s.counts.Add(1)
	var totals archiveTotals
	if db.dialect.name() == "postgres" {
		if totals, err = db.pgTotals(ctx, bound); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bound, s.sample, s.newest, s.found, s.totals = bound, sample, newest, now, totals
	s.gen++
	return nil
}

// stopTermStats cancels a background count and waits for it, and starts
// no other: Close calls it before closing the connections counts use.
func (db *DB) stopTermStats() {
	s := &db.terms
	s.mu.Lock()
	s.closed = true
	if s.stop != nil {
		s.stop()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// recordLength is, in PostgreSQL's SQL, the length a record of terms
// starts with (search.TermCounts.Encode's uvarint, up to 2^21 terms).
const recordLength = `CASE WHEN get_byte(terms, 0) < 128 THEN get_byte(terms, 0)
	WHEN get_byte(terms, 1) < 128 THEN (get_byte(terms, 0) & 127) | (get_byte(terms, 1) << 7)
	ELSE (get_byte(terms, 0) & 127) | ((get_byte(terms, 1) & 127) << 7) | (get_byte(terms, 2) << 14) END`

// pgTotals counts the search documents, and averages the length of the
// records of those with ids from bound on (all, when bound is 0).
func (db *DB) pgTotals(ctx context.Context, bound int64) (archiveTotals, error) {
	var t archiveTotals
	var avg sql.NullFloat64
	err := db.readRow(ctx, `SELECT (SELECT COUNT(*) FROM article_search),
		(SELECT AVG(`+recordLength+`) FROM article_terms WHERE article_id >= ?)`, bound).Scan(&t.rows, &avg)
	t.avgLength = avg.Float64
	return t, err
}

// idfs returns the IDF of each of terms over an archive of rows documents.
func (db *DB) idfs(ctx context.Context, terms []string, rows int) ([]float64, error) {
	sam, err := db.termSample(ctx)
	if err != nil {
		return nil, err
	}
	s := &db.terms
	s.mu.Lock()
	now := db.now()
	out := make([]float64, len(terms))
	var missing []int
	for i, t := range terms {
		h, ok := s.hits[t]
		if !ok || h.gen != sam.gen || now.Sub(h.at) > idfKeep {
			missing = append(missing, i)
			continue
		}
		out[i] = search.IDF(float64(rows), scaledHits(h.hits, sam.sample, rows))
	}
	s.mu.Unlock()
	sqlOf := db.dialect.rankTerms()
	for _, i := range missing {
		var n int
		err := db.readRow(ctx, sqlOf.hits, sqlOf.termArg(terms[i]), sam.bound).Scan(&n)
		if err != nil {
			return nil, err
		}
		out[i] = search.IDF(float64(rows), scaledHits(n, sam.sample, rows))
		s.mu.Lock()
		if s.hits == nil || len(s.hits) >= idfTerms {
			s.hits = map[string]termHits{}
		}
		s.hits[terms[i]] = termHits{hits: n, gen: sam.gen, at: now}
		s.mu.Unlock()
	}
	return out, nil
}

// scaledHits is a count among sample documents scaled to rows; a sample
// of the whole archive (or more) is the count itself.
func scaledHits(hits, sample, rows int) float64 {
	if sample <= 0 || sample >= rows {
		return float64(hits)
	}
	return float64(hits) * float64(rows) / float64(sample)
}

// idfSampleBound finds the id from which the newest idfSample articles
// are indexed, and how many that is (all, with bound 0, on a smaller
// store).
func (db *DB) idfSampleBound(ctx context.Context) (bound int64, sample int, err error) {
	err = db.readRow(ctx, db.dialect.rankTerms().newest, idfSample-1).Scan(&bound)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return bound, idfSample, err
}

// rankedMatch is one match of a search being ranked in Go.
type rankedMatch struct {
	id    int64
	score float64
}

// searchByTerms is searchArticles by relevance: it ranks the window of
// newest matches with rk (windowPage: in Go from their records on
// PostgreSQL, inside SQLite from FTS5's counts on SQLite) and reads the
// page's articles. The window's read counts the
// matches too: exactly when they fit in it, and past it only when the
// query asks for every match to be counted (CountLimit 0); otherwise the
// count stops at the window, as searchArticles' does by relevance.
func (db *DB) searchByTerms(ctx context.Context, l listingSQL, sq SearchQuery, rk search.Ranking, now time.Time) (SearchResults, error) {
	var out SearchResults
	totals, err := db.rankTotals(ctx)
	if err != nil {
		return out, fmt.Errorf("store: search: %w", err)
	}
	idf, err := db.idfs(ctx, rk.Terms(), totals.rows)
	if err != nil {
		return out, fmt.Errorf("store: search: %w", err)
	}
	window := db.rankWindow()
	limit := sq.Limit
	if limit <= 0 {
		limit = 10
	}
	w := &windowRank{rk: rk, idf: idf, avgLength: totals.avgLength, now: now, loose: sq.Query.IsLoose()}
	matches, read, err := db.windowPage(ctx, l, window, w, sq.Offset, limit)
	if err != nil {
		return out, fmt.Errorf("store: search: %w", err)
	}
	out.Total, out.CountLimit = read, min(sq.CountLimit, window)
	if read > window && sq.CountLimit == 0 {
		if out.Total, err = db.countListing(ctx, l, 0); err != nil {
			return out, fmt.Errorf("store: count search: %w", err)
		}
	}
	if out.CountLimit > 0 && out.Total > out.CountLimit {
		out.Total = out.CountLimit + 1
	}
	if len(matches) == 0 {
		return out, nil
	}
	ids := make([]int64, len(matches))
	p := page{keys: map[int64]float64{}}
	for i, m := range matches {
		ids[i] = m.id
		p.keys[m.id] = m.score
	}
	if err := db.readRankedArticles(ctx, ids, true, &p); err != nil {
		return out, fmt.Errorf("store: search: %w", err)
	}
	if err := db.attachAuthors(ctx, p.Articles); err != nil {
		return out, err
	}
	for _, a := range p.Articles {
		out.Results = append(out.Results, SearchResult{Article: a, BodyText: p.bodies[a.ID], Score: p.keys[a.ID]})
	}
	return out, nil
}

// windowRank is how a search ranks its window's matches: rk's bm25
// relevance with the archive's IDFs and average length (coordinated,
// for a loose query), with the recency preference at now.
type windowRank struct {
	rk        search.Ranking
	idf       []float64
	avgLength float64
	now       time.Time
	loose     bool
	// On SQLite, the matches scored (each once, newest first) and the
	// oldest of them: see sqliteWindowPage.
	read   int
	oldest int64
}

// score is search.Score of the match published at published whose
// record of terms is rec.
func (w *windowRank) score(rec []byte, published int64) float64 {
	rel, matched := w.rk.Relevance(rec, w.idf, w.avgLength)
	return w.scored(rel, matched, published)
}

// scored is search.Score of a match published at published whose text
// relevance is rel, matching matched of the query's clauses.
func (w *windowRank) scored(rel float64, matched int, published int64) float64 {
	if w.loose {
		rel = coordinatedRelevance(rel, matched)
	}
	return search.Score(rel, time.Unix(published, 0), w.now)
}

// windowPage returns the page of limit matches from offset of the
// window of l's newest matches, ranked by w (best first, ties by the
// newer article), and how many matches the window's read found: window+1
// when there are more than the window holds.
func (db *DB) windowPage(ctx context.Context, l listingSQL, window int, w *windowRank, offset, limit int) ([]rankedMatch, int, error) {
	if db.dialect.name() == "sqlite" {
		return db.sqliteWindowPage(ctx, l, window, w, offset, limit)
	}
	var matches []rankedMatch
	err := db.readTermWindow(ctx, l, window+1, func(id, published int64, rec []byte) {
		matches = append(matches, rankedMatch{id: id, score: w.score(rec, published)})
	})
	if err != nil {
		return nil, 0, err
	}
	read := len(matches)
	matches = matches[:min(read, window)]
	slices.SortFunc(matches, func(a, b rankedMatch) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	if offset >= len(matches) {
		return nil, read, nil
	}
	return matches[offset:min(offset+limit, len(matches))], read, nil
}

// sqliteWindowPage is windowPage on SQLite, where the window is scored
// and ranked inside SQLite: FTS5 counts each match's terms and
// ftsScoreSQL scores it, and only the best offset+limit+1 rows reach Go;
// a thousand rows crossing into Go, through database/sql, cost as much
// as their counting. The window is the newest window+1 matches (the one
// more tells that there are more) less the oldest of them when it is
// there: the scoring counts them and notes the oldest (w.read,
// w.oldest), as SQLite must score every one to rank them.
func (db *DB) sqliteWindowPage(ctx context.Context, l listingSQL, window int, w *windowRank, offset, limit int) ([]rankedMatch, int, error) {
	handle := windowRankSeq.Add(1)
	windowRanks.Store(handle, w)
	defer windowRanks.Delete(handle)
	w.read, w.oldest = 0, math.MaxInt64
	windowID := db.dialect.rankTerms().windowID
	args := append(append([]any{handle}, l.args...), window+1, offset+limit+1)
	rows, err := db.read(db.bound(ctx), `SELECT id, score FROM (SELECT m.article_id AS id, `+ftsScoreSQL+
		`(article_search, ?, d.sz, m.published_at, m.article_id) AS score FROM `+l.from+
		` LEFT JOIN article_search_docsize d ON d.id = `+windowID+l.where()+` ORDER BY `+windowID+` DESC LIMIT ?)
		ORDER BY score DESC, id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var best []rankedMatch
	for rows.Next() {
		var m rankedMatch
		if err := rows.Scan(&m.id, &m.score); err != nil {
			return nil, 0, err
		}
		if w.read <= window || m.id != w.oldest {
			best = append(best, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if offset >= len(best) {
		return nil, w.read, nil
	}
	return best[offset:min(offset+limit, len(best))], w.read, nil
}

// readTermWindow reads, on PostgreSQL, the newest limit of l's matches,
// newest first, calling fn with each one's id, publication time and
// record of terms (valid only during the call), a step at a time, each
// step the matches in a run of the parts of the documents, newest first
// (search_parts.go). Each step reads as many parts as the words' density
// says the rest of the window needs, with a quarter more, or all that
// are left when they seem to match nothing: for the first, the density
// the planner estimates in the newest part (with the one before it when
// the newest holds less than half a part); for the next, the density of
// the matches found so far. A search whose window the newest parts fill
// never reads the older parts' indexes, nor plans their reads; one that
// matches few documents reads them all, in one step or two. Only the
// window's matches' records are read, each from its row.
//
// A step whose range the words mostly match walks the range's ids newest
// first (denseWindow), testing each document, and stops at the window:
// it meets the window's matches after a few more rows than the window
// holds, sooner than the full-text index lists every match.
func (db *DB) readTermWindow(ctx context.Context, l listingSQL, limit int, fn func(id, published int64, rec []byte)) error {
	parts, err := db.searchPartList(ctx)
	if err != nil {
		return err
	}
	if len(parts) == 0 { // no statistics yet: one step
		parts = []searchPart{{first: math.MinInt64}}
	}
	windowID := db.dialect.rankTerms().windowID
	need, end := limit, int64(math.MaxInt64)
	var found, scanned float64 // the matches read, and the documents of their parts
	for i := 0; need > 0 && i < len(parts); i++ {
		docs := parts[i].rows
		var density float64 // matches per document
		if scanned == 0 {
			if i+1 < len(parts) && parts[i].rows < parts[i+1].rows/2 {
				i++
				docs += parts[i].rows
			}
			planned := db.plannedMatches(ctx, l.from+l.where()+` AND `+windowID+` >= ?`, append(append([]any{}, l.args...), parts[i].first), 0)
			density = float64(planned) / max(docs, 1)
		} else {
			density = found / scanned
		}
		want := math.Inf(1)
		if density > 0 {
			want = float64(need) / density * 1.25
		}
		for i+1 < len(parts) && docs < want {
			i++
			docs += parts[i].rows
		}
		stepCtx := ctx
		if density >= 0.5 {
			stepCtx = context.WithValue(ctx, readKindKey{}, denseWindow)
		}
		n, err := db.readTermRange(stepCtx, l, parts[i].first, end, need, fn)
		if err != nil {
			return err
		}
		need -= n
		found += float64(n)
		scanned += docs
		end = parts[i].first
	}
	return nil
}

// readTermRange reads, newest first, up to limit of l's matches with
// ids from first up to (not including) end, and returns how many. A
// bound at the end of the ids' range is left out: with one bound, the
// plan PostgreSQL makes once for any (a generic plan, after five runs)
// prunes the parts the bound leaves out as it starts; with both, it
// would also read the primary key's whole range beside the full-text
// index's matches (a BitmapAnd), so that read is planned for its own
// bounds each time (planEach).
func (db *DB) readTermRange(ctx context.Context, l listingSQL, first, end int64, limit int, fn func(id, published int64, rec []byte)) (int, error) {
	windowID := db.dialect.rankTerms().windowID
	from, args := l.from+l.where(), append([]any{}, l.args...)
	if first != math.MinInt64 {
		from += ` AND ` + windowID + ` >= ?`
		args = append(args, first)
	}
	if end != math.MaxInt64 {
		from += ` AND ` + windowID + ` < ?`
		args = append(args, end)
	}
	planEach := first != math.MinInt64 && end != math.MaxInt64
	n := 0
	err := db.readRecords(ctx, `SELECT w.article_id, w.published_at, t.terms FROM (SELECT m.article_id, m.published_at FROM `+
		from+` ORDER BY `+windowID+` DESC LIMIT ?) w
		LEFT JOIN article_terms t ON t.article_id = w.article_id ORDER BY w.article_id DESC`, append(args, limit), planEach,
		func(id, published int64, rec []byte) {
			n++
			fn(id, published, rec)
		})
	return n, err
}

// coordinatedRelevance is searchMatch.coordinated's relevance of a loose
// query's match, in Go: the text relevance squashed into [1, 2), times
// coordinationStep for each of the query's clauses the article matches.
func coordinatedRelevance(rel float64, matched int) float64 {
	rel = 1 + rel/(1+rel)
	for range matched {
		rel *= coordinationStep
	}
	return rel
}
