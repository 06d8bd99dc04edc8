package store

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"dastan/internal/search"
)

// On SQLite the window of a search by relevance reads each match's
// counts of the query's terms from FTS5 itself, through an auxiliary
// function of the index (ftsTermsSQL), instead of the match's record in
// article_terms: FTS5 has just read the match's position lists to find
// it, and its length is in the index's own small table of sizes. A
// record was a B-tree descent a match into a table of 1.4 KB rows, most
// of whose pages were not in the reader's cache: over half of a
// search's window. Read by nothing then, the records are no longer kept
// on SQLite (migration 0033). The function returns the record as Narrow would cut
// it (search.CountedRecord), so the ranking reads it unchanged.
//
// FTS5 registers auxiliary functions per connection, through its
// fts5_api, which only C can ask for; modernc's SQLite is C translated
// to Go, so the store registers the function from an automatic
// extension (run by every connection as it opens) with the translated
// API, calling FTS5's function pointers as the translation does.

// ftsTermsSQL is the auxiliary function: dastan_fts_terms(article_search,
// phrases), phrases being search.Ranking.Phrases of the query whose
// FTS5 expression the row matched.
const ftsTermsSQL = `dastan_fts_terms`

// ftsScoreSQL is the auxiliary function that scores a match of a
// search whose ranking is kept in windowRanks: dastan_fts_score(
// article_search, search, sizes, published_at, id).
const ftsScoreSQL = `dastan_fts_score`

// windowRanks holds the rankings of the searches whose windows are being
// read, by the handle their SQL passes to ftsScoreSQL (from
// windowRankSeq), for as long as the window's statement runs.
var (
	windowRanks   sync.Map // int64 → *windowRank
	windowRankSeq atomic.Int64
)

// registerFTSTerms makes ftsTermsSQL and ftsScoreSQL known to every
// SQLite connection opened after it.
var registerFTSTerms = sync.OnceValue(func() error {
	tls := libc.NewTLS()
	defer tls.Close()
	if rc := sqlite3.Xsqlite3_auto_extension(tls, cFuncPointer(ftsTermsInit)); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("register %s: code %d", ftsTermsSQL, rc)
	}
	return nil
})

// cFuncPointer is f as the translated C calls a function pointer: a
// pointer to the Go function value (modernc's own driver does the same).
func cFuncPointer[T any](f T) uintptr {
	return *(*uintptr)(unsafe.Pointer(&struct{ f T }{f}))
}

// at is the translated C's memory at address p, as a T.
func at[T any](p uintptr) *T {
	return (*T)(unsafe.Add(nil, p))
}

// cString is s as a C string the caller frees with libc.Xfree.
func cString(s string) uintptr {
	p, err := libc.CString(s)
	if err != nil {
		panic(err) // out of memory
	}
	return p
}

// ftsTermsInit is the automatic extension: it registers the auxiliary
// function on the connection db, as sqlite3_auto_extension's xInit.
func ftsTermsInit(tls *libc.TLS, db, pzErrMsg, pThunk uintptr) int32 {
	api, err := fts5API(tls, db)
	if err != nil {
		return sqlite3.SQLITE_ERROR
	}
	create := *(*func(*libc.TLS, uintptr, uintptr, uintptr, uintptr, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{at[sqlite3.Tfts5_api](api).FxCreateFunction}))
	for _, f := range []struct {
		name string
		fn   uintptr
	}{{ftsTermsSQL, cFuncPointer(ftsTerms)}, {ftsScoreSQL, cFuncPointer(ftsScore)}} {
		name := cString(f.name)
		rc := create(tls, api, name, 0, f.fn, 0)
		libc.Xfree(tls, name)
		if rc != sqlite3.SQLITE_OK {
			return rc
		}
	}
	return sqlite3.SQLITE_OK
}

// fts5API is the connection's fts5_api, as FTS5's documentation asks
// for it: SELECT fts5(?1), binding a pointer of type "fts5_api_ptr".
func fts5API(tls *libc.TLS, db uintptr) (uintptr, error) {
	query, ptrType := cString(`SELECT fts5(?1)`), cString("fts5_api_ptr")
	defer libc.Xfree(tls, query)
	defer libc.Xfree(tls, ptrType)
	bp := tls.Alloc(16) // the statement, then the API's pointer
	defer tls.Free(16)
	*at[uintptr](bp), *at[uintptr](bp + 8) = 0, 0
	if rc := sqlite3.Xsqlite3_prepare_v2(tls, db, query, -1, bp, 0); rc != sqlite3.SQLITE_OK {
		return 0, fmt.Errorf("fts5 api: code %d", rc)
	}
	stmt := *at[uintptr](bp)
	sqlite3.Xsqlite3_bind_pointer(tls, stmt, 1, bp+8, ptrType, 0)
	sqlite3.Xsqlite3_step(tls, stmt)
	sqlite3.Xsqlite3_finalize(tls, stmt)
	api := *at[uintptr](bp + 8)
	if api == 0 {
		return 0, errors.New("fts5 api: none")
	}
	return api, nil
}

// ftsTerms is the auxiliary function dastan_fts_terms(article_search,
// phrases, sizes), as FTS5 calls one (an fts5_extension_function): the
// record of the current row for phrases (search.Ranking.Phrases),
// counted as countedRecord counts it.
func ftsTerms(tls *libc.TLS, pAPI, pFts, pCtx uintptr, nVal int32, apVal uintptr) {
	if nVal != 2 {
		ftsError(tls, pCtx, ftsTermsSQL+": want the phrases and the sizes")
		return
	}
	phrases, sizes := valueBytes(tls, *at[uintptr](apVal)), valueBytes(tls, *at[uintptr](apVal + 8))
	rec, rc := countedRecord(tls, at[sqlite3.TFts5ExtensionApi](pAPI), pFts, phrases, sizes)
	if rc != sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
		return
	}
	buf := tls.Alloc(len(rec))
	defer tls.Free(len(rec))
	copy(unsafe.Slice(at[byte](buf), len(rec)), rec)
	sqlite3.Xsqlite3_result_blob(tls, pCtx, buf, int32(len(rec)), sqlite3.SQLITE_TRANSIENT)
}

// ftsScore is the auxiliary function dastan_fts_score(article_search,
// search, sizes, published_at, id): the current row's score
// (search.Score) in the search whose windowRank search is the handle of,
// from its record counted as countedRecord counts it. It counts the rows
// it scores, once each, and notes the oldest (ids come newest first), so
// that the window's count needs no second pass (see sqliteWindowPage).
func ftsScore(tls *libc.TLS, pAPI, pFts, pCtx uintptr, nVal int32, apVal uintptr) {
	if nVal != 4 {
		ftsError(tls, pCtx, ftsScoreSQL+": want the search, the sizes, the publication time and the id")
		return
	}
	arg := func(i uintptr) uintptr { return *at[uintptr](apVal + 8*i) }
	v, ok := windowRanks.Load(sqlite3.Xsqlite3_value_int64(tls, arg(0)))
	if !ok {
		ftsError(tls, pCtx, ftsScoreSQL+": no such search")
		return
	}
	w := v.(*windowRank)
	rel, matched, rc := countedRelevance(tls, at[sqlite3.TFts5ExtensionApi](pAPI), pFts, w, valueBytes(tls, arg(1)))
	if rc != sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
		return
	}
	if id := sqlite3.Xsqlite3_value_int64(tls, arg(3)); id < w.oldest {
		w.read, w.oldest = w.read+1, id
	}
	sqlite3.Xsqlite3_result_double(tls, pCtx, w.scored(rel, matched, sqlite3.Xsqlite3_value_int64(tls, arg(2))))
}

// countedRecord is the record of FTS5's current row for phrases, counted
// from FTS5's position lists (each occurrence weighing its column's
// search.FieldWeights), with the row's length summed from sizes, the
// row's sizes as FTS5 keeps them (article_search_docsize.sz: a varint a
// column). The window joins the sizes' small table, which stays in the
// reader's cache; FTS5's own xColumnSize would read the same row through
// a statement of its own a match, at twice the cost, and is asked only
// when the row has none.
func countedRecord(tls *libc.TLS, api *sqlite3.TFts5ExtensionApi, pFts uintptr, phrases, sizes []byte) ([]byte, int32) {
	row, rc := readFTSRow(tls, api, pFts, sizes)
	if rc != sqlite3.SQLITE_OK {
		return nil, rc
	}
	defer row.close()
	rec := search.CountedRecord(phrases, row.length, row.freq)
	return rec, row.failed
}

// countedRelevance is the relevance (and the clauses matched) of FTS5's
// current row in the ranking rk, counted as countedRecord counts, but
// scored without making the record (search.Ranking.CountedRelevance).
func countedRelevance(tls *libc.TLS, api *sqlite3.TFts5ExtensionApi, pFts uintptr, w *windowRank, sizes []byte) (float64, int, int32) {
	row, rc := readFTSRow(tls, api, pFts, sizes)
	if rc != sqlite3.SQLITE_OK {
		return 0, 0, rc
	}
	defer row.close()
	rel, matched := w.rk.CountedRelevance(row.length, row.freq, w.idf, w.avgLength)
	return rel, matched, row.failed
}

// ftsRow reads FTS5's current row for an auxiliary function: its length
// and its phrases' weighted frequencies (freq).
type ftsRow struct {
	tls                *libc.TLS
	pFts               uintptr
	bp, iter, col, off uintptr // out-parameters, in bp
	length, phrases    int
	first              func(*libc.TLS, uintptr, int32, uintptr, uintptr, uintptr) int32
	next               func(*libc.TLS, uintptr, uintptr, uintptr, uintptr)
	failed             int32 // the first error freq met
}

// readFTSRow starts reading the current row, whose sizes are sizes (see
// countedRecord); the caller closes it.
func readFTSRow(tls *libc.TLS, api *sqlite3.TFts5ExtensionApi, pFts uintptr, sizes []byte) (ftsRow, int32) {
	// Out-parameters: the size (int), the iterator (two pointers), the
	// column and the offset (ints).
	bp := tls.Alloc(32)
	r := ftsRow{tls: tls, pFts: pFts, bp: bp, iter: bp + 8, col: bp + 24, off: bp + 28}
	length, ok := docLength(sizes)
	if !ok {
		columnSize := *(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{api.FxColumnSize}))
		if rc := columnSize(tls, pFts, -1, bp); rc != sqlite3.SQLITE_OK {
			tls.Free(32)
			return ftsRow{}, rc
		}
		length = int(*at[int32](bp))
	}
	r.length = length
	phraseCount := *(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{api.FxPhraseCount}))
	r.first = *(*func(*libc.TLS, uintptr, int32, uintptr, uintptr, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{api.FxPhraseFirst}))
	r.next = *(*func(*libc.TLS, uintptr, uintptr, uintptr, uintptr))(unsafe.Pointer(&struct{ uintptr }{api.FxPhraseNext}))
	r.phrases = int(phraseCount(tls, pFts))
	return r, sqlite3.SQLITE_OK
}

// freq is the weighted frequency of the row's phrase i: each occurrence
// weighs its column's search.FieldWeights.
func (r *ftsRow) freq(i int) int {
	if i >= r.phrases || r.failed != 0 {
		return 0
	}
	if rc := r.first(r.tls, r.pFts, int32(i), r.iter, r.col, r.off); rc != sqlite3.SQLITE_OK {
		r.failed = rc
		return 0
	}
	f := 0
	for c := *at[int32](r.col); c >= 0; c = *at[int32](r.col) {
		if int(c) < len(search.FieldWeights) {
			f += search.FieldWeights[c]
		}
		r.next(r.tls, r.pFts, r.iter, r.col, r.off)
	}
	return f
}

func (r *ftsRow) close() { r.tls.Free(32) }

// valueBytes is the bytes of an argument, where SQLite keeps them (valid
// during the call only); nil for NULL or empty.
func valueBytes(tls *libc.TLS, v uintptr) []byte {
	n := sqlite3.Xsqlite3_value_bytes(tls, v)
	if n <= 0 {
		return nil
	}
	return unsafe.Slice(at[byte](sqlite3.Xsqlite3_value_blob(tls, v)), n)
}

// docLength sums a row's sizes as FTS5 keeps them, one varint for each
// of the index's four columns; false when sizes holds fewer.
func docLength(sizes []byte) (int, bool) {
	length := 0
	for range len(search.FieldWeights) {
		v, n := sqliteVarint(sizes)
		if n == 0 {
			return 0, false
		}
		length, sizes = length+int(v), sizes[n:]
	}
	return length, true
}

// ftsError makes msg the function's error.
func ftsError(tls *libc.TLS, pCtx uintptr, msg string) {
	p := cString(msg)
	defer libc.Xfree(tls, p)
	sqlite3.Xsqlite3_result_error(tls, pCtx, p, -1)
}
