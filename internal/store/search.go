package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"dastan/internal/news"
	"dastan/internal/search"
)

// searchDoc is what the search index holds of one article: its fields as
// text, analyzed by the dialect into the engine's form.
type searchDoc struct {
	title, standfirst, tags, body string
	meta                          searchMeta
}

// writeSearchDoc stores a's plain body text and replaces its search
// document, inside the article's write transaction, so the index never
// disagrees with the article.
func (db *DB) writeSearchDoc(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	rows, err := db.txRead(ctx, tx, `SELECT t.id, t.name FROM article_tags lt JOIN tags t ON t.id = lt.tag_id
		WHERE lt.article_id = ? ORDER BY t.name`, a.ID)
	if err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	var tags []string
	var tagIDs []int64
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return fmt.Errorf("search document: %w", err)
		}
		tags, tagIDs = append(tags, name), append(tagIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	rows, err = db.txRead(ctx, tx, `SELECT author_id FROM article_authors WHERE article_id = ? ORDER BY position`, a.ID)
	if err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	authorIDs, err := scanIDs(rows)
	if err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	body := news.SearchText(a.BodyHTML)
	if a.Password != "" {
		body = "" // a protected body is neither searched nor shown in snippets
	}
	if _, err := db.txExec(ctx, tx, `UPDATE articles SET body_text = ? WHERE id = ?`, db.dialect.pack(body), a.ID); err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	doc := searchDoc{title: a.Title, standfirst: a.Standfirst, tags: strings.Join(tags, "\n"), body: body,
		meta: searchMeta{listed: a.Status.Live(), publishedAt: unix(a.PublishedAt), lang: a.Lang, sectionID: a.SectionID,
			tagIDs: tagIDs, authorIDs: authorIDs}}
	if err := db.dialect.putSearchDoc(ctx, db, tx, a.ID, db.dialect.analyze(doc)); err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	return nil
}

// SearchQuery is one search. Zero filters do not filter.
type SearchQuery struct {
	Query      search.Query
	SectionIDs []int64 // any of these sections
	TagID      int64
	AuthorID   int64
	Lang       string
	From, To   time.Time // published in [From, To)
	SortByDate bool      // newest first instead of most relevant
	VisibleAt  time.Time // only what readers may see at this time; zero shows all
	Limit      int
	Offset     int
	Partial    bool // rank partial matches when full ones are fewer than Limit; see SearchArticles
	// CountLimit stops counting matches there (0: count all); Total is
	// then CountLimit+1 when more match. A word in most of the archive
	// matches a number of articles that grows with it, and counting them
	// all would cost more than the page; past a limit, the number tells
	// the reader nothing more.
	CountLimit int
}

// SearchResult is one matching article: its summary with bylines, and its
// body as plain text for a snippet.
type SearchResult struct {
	Article  news.Article
	BodyText string
	Score    float64 // relevance with the recency preference; 0 by date
}

// SearchResults is one page of results and how many match in all.
type SearchResults struct {
	Results []SearchResult
	Total   int // CountLimit+1 when more than CountLimit match
	Full    int // of Total, how many match every word (fewer when partial matches are ranked too)
	// CountLimit is where counting stopped (0: it did not): the query's,
	// or, by relevance, the ranking window's when that is smaller (see
	// searchByTerms).
	CountLimit int
}

// SearchArticles returns one page of the articles matching sq, ranked by
// search.Score (text relevance with a gentle preference for recent
// stories) or by date, and the exact number of matches. An empty query
// matches nothing.
//
// With Partial, when every-word matching finds fewer than a page (Limit)
// of a query of several words, ranked by relevance, the articles that
// match any of them
// are ranked instead, by how many of the words they match and then by
// relevance: the best partial matches come after the full ones, and the
// reader of a long question still finds the stories that answer it.
func (db *DB) SearchArticles(ctx context.Context, sq SearchQuery) (SearchResults, error) {
	leave, err := db.searches.enter(ctx)
	if err != nil {
		return SearchResults{}, err
	}
	defer leave()
	out, err := db.searchArticles(ctx, sq)
	out.Full = out.Total
	if err != nil || !sq.Partial || out.Total >= sq.Limit || sq.SortByDate || len(sq.Query.Parts()) < 2 {
		return out, err
	}
	loose := sq
	loose.Query = sq.Query.Loose()
	partial, err := db.searchArticles(ctx, loose)
	partial.Full = out.Total
	return partial, err
}

func (db *DB) searchArticles(ctx context.Context, sq SearchQuery) (SearchResults, error) {
	var out SearchResults
	if sq.Query.Empty() {
		return out, nil
	}
	ctx = readingAs(ctx, searchRead)
	m := db.dialect.searchMatch(sq.Query)
	l, err := sq.listing(m)
	if err != nil {
		return out, err
	}
	if rk, ok := sq.Query.Ranking(); ok && db.termRanking.Load() && !sq.SortByDate {
		now := sq.VisibleAt
		if now.IsZero() {
			now = db.now()
		}
		return db.searchByTerms(ctx, l, sq, rk, now)
	}
	out.CountLimit = sq.CountLimit
	if !sq.SortByDate && sq.CountLimit > db.rankWindow() {
		// Ranked by relevance, no page reaches past the window: counting
		// further would tell the reader only how many it cannot page to.
		out.CountLimit = db.rankWindow()
	}
	// The count visits every match without ranking it; the page ranks
	// them all, or the window, but keeps only the best few.
	r := &ranking{key: `0.0`, order: `m.published_at DESC, m.article_id DESC`, windowID: m.id, walk: true, withBody: true}
	if !sq.SortByDate {
		now := sq.VisibleAt
		if now.IsZero() {
			now = db.now()
		}
		// search.Score, written in SQL so the engine keeps only the page.
		r.key = m.rel + fmt.Sprintf(` * CASE WHEN m.published_at >= ? THEN %g
			ELSE 1 + %g * exp(CAST(m.published_at - ? AS DOUBLE PRECISION) / %g) END`,
			1+search.RecencyBoost, search.RecencyBoost, search.RecencyScale.Seconds())
		r.keyArgs = append(append([]any{}, m.relArgs...), unix(now), unix(now))
		r.order = `score DESC, m.article_id DESC`
		r.window, r.walk, r.once, r.windowCols = db.rankWindow(), false, m.once, m.window
	}
	p, err := db.list(ctx, l, pageSpec{what: "search", limit: sq.Limit, offset: sq.Offset, countCap: out.CountLimit, bylines: true, rank: r})
	out.Total = p.Total
	for _, a := range p.Articles {
		out.Results = append(out.Results, SearchResult{Article: a, BodyText: p.bodies[a.ID], Score: p.keys[a.ID]})
	}
	return out, err
}

// listing is the SQL of sq's matches over the full-text index m.
func (sq SearchQuery) listing(m searchMatch) (listingSQL, error) {
	f := articleFilter{visibleAt: sq.VisibleAt, withPages: true, match: sq.Query, sectionIDs: sq.SectionIDs,
		lang: sq.Lang, from: sq.From, before: sq.To}
	if sq.TagID != 0 {
		f.tagIDs = []int64{sq.TagID}
	}
	if sq.AuthorID != 0 {
		f.authorIDs = []int64{sq.AuthorID}
	}
	return f.searchSQL(m)
}

// defaultRankWindow is how many of a query's matches are ranked by
// relevance; see rankedPage.
const defaultRankWindow = 1000

func (db *DB) rankWindow() int {
	if db.testRankWindow > 0 {
		return db.testRankWindow
	}
	return defaultRankWindow
}

// TitleWords calls fn with the titles of the newest limit articles
// readers may see at now, newest first; the speller's vocabulary is made
// from them. They are read through the index of what readers see, so a
// rebuild of the vocabulary costs limit titles on any archive, not the
// whole archive's.
func (db *DB) TitleWords(ctx context.Context, now time.Time, limit int, fn func(title string)) error {
	rows, err := db.read(ctx, `SELECT a.title FROM articles a WHERE `+visible+` ORDER BY a.visible_from DESC LIMIT ?`, unix(now), limit)
	if err != nil {
		return fmt.Errorf("store: titles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return fmt.Errorf("store: titles: %w", err)
		}
		fn(t)
	}
	return rows.Err()
}

// reindexItem is one article on its way through Reindex.
type reindexItem struct {
	id   int64
	doc  searchDoc
	html string
	out  indexedDoc
}

// Reindex rebuilds every article's search document and plain body text,
// in batches of one transaction each, analyzing on workers goroutines.
// Readers keep searching meanwhile: each document is replaced in place.
// progress, if set, is called after each batch with the articles done.
func (db *DB) Reindex(ctx context.Context, workers int, progress func(done, total int)) error {
	const batchSize = 500
	workers = max(workers, 1)
	total, err := db.CountArticles(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []reindexItem, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		var last int64
		for {
			batch, err := db.reindexBatch(ctx, last, batchSize)
			if err != nil || len(batch) == 0 {
				readErr <- err
				return
			}
			last = batch[len(batch)-1].id
			analyzeAll(db.dialect, batch, workers)
			select {
			case batches <- batch:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
		}
	}()
	done := 0
	for batch := range batches {
		err := db.tx(ctx, func(tx *sql.Tx) error {
			for _, it := range batch {
				if _, err := db.txExec(ctx, tx, `UPDATE articles SET body_text = ? WHERE id = ?`, db.dialect.pack(it.doc.body), it.id); err != nil {
					return err
				}
				if err := db.dialect.putSearchDoc(ctx, db, tx, it.id, it.out); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			cancel()
			for range batches { // the reader stops before the caller may close the store
			}
			<-readErr
			return fmt.Errorf("store: reindex: %w", err)
		}
		done += len(batch)
		if progress != nil {
			progress(done, total)
		}
	}
	if err := <-readErr; err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	if err := db.dialect.optimizeSearch(ctx, db); err != nil {
		return fmt.Errorf("store: reindex: optimize: %w", err)
	}
	return nil
}

// reindexBatch reads up to n articles with ids above after, with their
// tags and authors, and their bodies as HTML, to be made into text again.
func (db *DB) reindexBatch(ctx context.Context, after int64, n int) ([]reindexItem, error) {
	return db.articleDocs(ctx, db.read, true, `id > ?`, []any{after}, n)
}

// rowsReader runs a read: the reader pool's (db.read), or a transaction's.
type rowsReader func(ctx context.Context, query string, args ...any) (*sql.Rows, error)

// txReader reads inside tx, so that what tx wrote is read back.
func (db *DB) txReader(tx *sql.Tx) rowsReader {
	return func(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
		return db.txRead(ctx, tx, query, args...)
	}
}

// articleDocs reads, by rd, the search documents of up to n articles
// where the condition where (with args) holds, by id, with their tags
// and authors. With fromHTML each item holds its body as HTML, to be
// made into text again (analyzeAll); otherwise its document holds the
// body's text as stored (articles.body_text, empty for a protected
// body), and only the analysis is left to do: what a change that leaves
// bodies alone (a tag's name, a missing record of terms) needs.
func (db *DB) articleDocs(ctx context.Context, rd rowsReader, fromHTML bool, where string, args []any, n int) ([]reindexItem, error) {
	body := `body_text`
	if fromHTML {
		body = `CASE WHEN password = '' THEN body_html ELSE '' END`
	}
	rows, err := rd(ctx, `SELECT id, title, standfirst, `+body+`, status, published_at, lang, COALESCE(section_id, 0) FROM articles
		WHERE `+where+` ORDER BY id LIMIT ?`, append(append([]any{}, args...), n)...)
	if err != nil {
		return nil, err
	}
	var batch []reindexItem
	index := map[int64]int{}
	for rows.Next() {
		var it reindexItem
		var status news.Status
		var text string
		if err := rows.Scan(&it.id, &it.doc.title, &it.doc.standfirst, unpacked{&text}, &status, &it.doc.meta.publishedAt, &it.doc.meta.lang, &it.doc.meta.sectionID); err != nil {
			rows.Close()
			return nil, err
		}
		if fromHTML {
			it.html = text
		} else {
			it.doc.body = text
		}
		it.doc.meta.listed = status.Live()
		index[it.id] = len(batch)
		batch = append(batch, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(batch) == 0 {
		return nil, err
	}
	// The links of the batch's range of ids: a batch is most of its
	// range, and a range reads the links' primary keys in order.
	rows, err = rd(ctx, `SELECT lt.article_id, t.id, t.name FROM article_tags lt JOIN tags t ON t.id = lt.tag_id
		WHERE lt.article_id BETWEEN ? AND ? ORDER BY lt.article_id, t.name`, batch[0].id, batch[len(batch)-1].id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, tagID int64
		var name string
		if err := rows.Scan(&id, &tagID, &name); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := index[id]; ok {
			if batch[i].doc.tags != "" {
				batch[i].doc.tags += "\n"
			}
			batch[i].doc.tags += name
			batch[i].doc.meta.tagIDs = append(batch[i].doc.meta.tagIDs, tagID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = rd(ctx, `SELECT article_id, author_id FROM article_authors
		WHERE article_id BETWEEN ? AND ? ORDER BY article_id, position`, batch[0].id, batch[len(batch)-1].id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, authorID int64
		if err := rows.Scan(&id, &authorID); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			batch[i].doc.meta.authorIDs = append(batch[i].doc.meta.authorIDs, authorID)
		}
	}
	return batch, rows.Err()
}

// analyzeAll fills each item's plain body and analyzed document, on
// workers goroutines.
func analyzeAll(d dialect, batch []reindexItem, workers int) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				it := &batch[i]
				it.doc.body = news.SearchText(it.html)
				it.out = d.analyze(it.doc)
			}
		})
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
}

// suggestWindow is how many of the newest articles suggestions read.
const suggestWindow = 5000

// TitlesStarting returns up to limit articles readers may see at now
// whose titles start with prefix, newest first: the search box's
// suggestions as the reader types. Titles start with a capital, so the
// prefix is tried as typed and with its first letter in capitals; LIKE's
// own case rules differ between the engines, and this way both find the
// same titles.
func (db *DB) TitlesStarting(ctx context.Context, prefix string, now time.Time, limit int) ([]news.Article, error) {
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(prefix)
	r, size := utf8.DecodeRuneInString(esc)
	upper := string(unicode.ToUpper(r)) + esc[size:]
	// Only the newest suggestWindow articles are looked at: a title
	// prefix cannot use an index, and each keystroke must cost the same
	// on a million articles as on a thousand (readers are offered
	// recent stories; search finds the rest).
	rows, err := db.read(ctx, `SELECT r.id, r.slug, r.title FROM (
		SELECT a.id, a.slug, a.title, a.visible_from FROM articles a WHERE `+visible+`
		ORDER BY a.visible_from DESC LIMIT ?) r
		WHERE r.title LIKE ? ESCAPE '\' OR r.title LIKE ? ESCAPE '\' ORDER BY r.visible_from DESC, r.id DESC LIMIT ?`,
		unix(now), suggestWindow, esc+"%", upper+"%", limit)
	if err != nil {
		return nil, fmt.Errorf("store: titles starting: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var a news.Article
		if err := rows.Scan(&a.ID, &a.Slug, &a.Title); err != nil {
			return nil, fmt.Errorf("store: titles starting: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
