package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
)

// ListQuery selects articles for a listing. Zero fields do not filter.
type ListQuery struct {
	Section    int64     // in this section or any below it (readers' listings)
	SectionIDs []int64   // in exactly one of these sections
	TagID      int64     // carrying this tag
	AuthorID   int64     // by this author
	From, To   time.Time // published in [From, To)
	Lang       string
	Statuses   []news.Status // for the newsroom; ignored when VisibleAt is set
	VisibleAt  time.Time     // only what readers may see at this time
	ExcludeID  int64
	NoCount    bool // skip counting, for blocks that show no totals
	NoBylines  bool // skip the authors, for blocks that show none
	Limit      int
	Offset     int
}

// Listing is one page of articles and how many there are in all.
type Listing struct {
	Articles []news.Article
	Total    int
}

// ListArticles returns a page of summaries, newest first, with authors.
func (db *DB) ListArticles(ctx context.Context, lq ListQuery) (Listing, error) {
	ctx, l, order := db.listQuery(ctx, lq)
	p, err := db.list(ctx, l, pageSpec{what: "articles", limit: lq.Limit, offset: lq.Offset,
		noCount: lq.NoCount, bylines: !lq.NoBylines, order: order})
	return p.Listing, err
}

// ListArticleIDs is ListArticles's page as ids, in order, with how many
// there are in all: for pages that keep their
// articles rendered, and read the summaries (Summaries) only of those
// they lack.
func (db *DB) ListArticleIDs(ctx context.Context, lq ListQuery) ([]int64, int, error) {
	ctx, l, order := db.listQuery(ctx, lq)
	p := pageSpec{limit: lq.Limit, offset: lq.Offset, order: order}
	if p.limit <= 0 {
		p.limit = 10
	}
	total, err := db.countListing(ctx, l, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("store: count articles: %w", err)
	}
	if total == 0 || p.offset >= total {
		return nil, total, nil
	}
	ids, err := db.pageIDs(ctx, l, p, total)
	if err != nil {
		return nil, 0, fmt.Errorf("store: article ids: %w", err)
	}
	return ids, total, nil
}

// Summaries returns the summaries of the articles with ids, with their
// bylines, in the order of ids; ids that are gone are left out.
func (db *DB) Summaries(ctx context.Context, ids []int64) ([]news.Article, error) {
	list, err := db.articlesByID(ctx, ids, summaryCols, scanSummaryRow)
	if err != nil {
		return nil, fmt.Errorf("store: summaries: %w", err)
	}
	return list, db.attachAuthors(ctx, list)
}

// listQuery is lq's listing and order, with the context its reads go in.
func (db *DB) listQuery(ctx context.Context, lq ListQuery) (context.Context, listingSQL, listOrder) {
	f := articleFilter{visibleAt: lq.VisibleAt, statuses: lq.Statuses, sectionTree: lq.Section, sectionIDs: lq.SectionIDs,
		lang: lq.Lang, from: lq.From, before: lq.To, excludeID: lq.ExcludeID}
	if lq.TagID != 0 {
		f.tagIDs = []int64{lq.TagID}
	}
	if lq.AuthorID != 0 {
		f.authorIDs = []int64{lq.AuthorID}
	}
	order := listOrder{key: byDate}
	if !lq.VisibleAt.IsZero() {
		ctx = readingAs(ctx, readersListing)
	}
	return ctx, f.articlesSQL(db.dialect, order), order
}

// APIQuery selects articles for the JSON API and its WordPress-compatible
// endpoints, which filter on more at once than the site's listings. Zero
// fields do not filter; lists match any of their values.
type APIQuery struct {
	SectionTree int64   // in this section or any below it
	SectionIDs  []int64 // directly in one of these sections
	TagIDs      []int64
	AuthorIDs   []int64
	After       time.Time // published after (exclusive, as WordPress's after)
	Before      time.Time // published before (exclusive)
	Lang        string
	Slugs       []string
	Search      string        // a reader's search query, matched by the full-text index
	Statuses    []news.Status // for staff; ignored when VisibleAt is set
	OwnerID     int64         // only articles this user started
	VisibleAt   time.Time     // only what readers may see at this time
	OrderBy     string        // "date" (default), "id", "title", "slug" or "modified"
	Asc         bool
	Limit       int
	Offset      int
}

var apiOrder = map[string]sortKey{"date": byDate, "id": byID, "title": byTitle, "slug": bySlug, "modified": byUpdated}

// APIArticles returns a page of summaries with authors and tags, and how
// many match in all. Pages never appear; trashed articles only when asked
// for by status.
func (db *DB) APIArticles(ctx context.Context, q APIQuery) (Listing, error) {
	f := articleFilter{visibleAt: q.VisibleAt, statuses: q.Statuses, trash: trashHidden, sectionTree: q.SectionTree,
		sectionIDs: q.SectionIDs, tagIDs: q.TagIDs, authorIDs: q.AuthorIDs, lang: q.Lang, after: q.After, before: q.Before,
		slugs: q.Slugs, match: search.ParseQuery(q.Search), ownerID: q.OwnerID}
	order := listOrder{key: apiOrder[q.OrderBy], asc: q.Asc} // unknown orders are by date
	p, err := db.list(ctx, f.articlesSQL(db.dialect, order), pageSpec{what: "API articles", limit: q.Limit, offset: q.Offset,
		bylines: true, tags: true, order: order})
	return p.Listing, err
}

// APIPages returns a page of the pages readers may see at now (published,
// not in the future), with bylines, and how many match in all. Of q it
// reads Slugs, Search, AuthorIDs, After, Before, OrderBy, Asc, Limit and
// Offset.
func (db *DB) APIPages(ctx context.Context, q APIQuery, now time.Time) (Listing, error) {
	before := now.Add(time.Second) // published at or before now; times are stored in seconds
	if !q.Before.IsZero() && q.Before.Before(before) {
		before = q.Before
	}
	f := articleFilter{statuses: []news.Status{news.StatusPublished}, pagesOnly: true, authorIDs: q.AuthorIDs,
		after: q.After, before: before, slugs: q.Slugs, match: search.ParseQuery(q.Search)}
	order := listOrder{key: apiOrder[q.OrderBy], asc: q.Asc}
	p, err := db.list(ctx, f.articlesSQL(db.dialect, order), pageSpec{what: "API pages", limit: q.Limit, offset: q.Offset,
		bylines: true, order: order})
	return p.Listing, err
}

// NewsroomQuery selects articles for the newsroom's list. Zero fields do
// not filter; trashed articles appear only when Trash is set.
type NewsroomQuery struct {
	Status    news.Status
	SectionID int64
	AuthorID  int64
	Lang      string
	Search    string // words in the title
	Trash     bool
	// Viewer, when set, limits the list to what that user may see: the
	// articles they started, and others' only in the statuses OthersIn.
	Viewer   int64
	OthersIn []news.Status
	// CountLimit stops counting there (0: count all); Listing.Total is
	// then CountLimit+1 when more match, and pages say "more than".
	CountLimit int
	Limit      int
	Offset     int
}

// NewsroomArticles returns a page of summaries, most recently changed
// first, with authors, and how many match in all.
func (db *DB) NewsroomArticles(ctx context.Context, nq NewsroomQuery) (Listing, error) {
	f := articleFilter{trash: trashHidden, withPages: true, viewer: nq.Viewer, othersIn: nq.OthersIn, lang: nq.Lang,
		titleWords: strings.Fields(nq.Search), probeLinks: true}
	switch {
	case nq.Trash:
		f.trash = trashOnly
	case nq.Status != "":
		f.statuses = []news.Status{nq.Status}
	}
	if nq.SectionID != 0 {
		f.sectionIDs = []int64{nq.SectionID}
	}
	if nq.AuthorID != 0 {
		f.authorIDs = []int64{nq.AuthorID}
	}
	if nq.Limit <= 0 {
		nq.Limit = 25
	}
	order := listOrder{key: byUpdated}
	p, err := db.list(ctx, f.articlesSQL(db.dialect, order), pageSpec{what: "newsroom articles", limit: nq.Limit, offset: nq.Offset,
		countCap: nq.CountLimit, bylines: true, order: order})
	return p.Listing, err
}

// FeedArticles returns the whole articles (body, image, authors, tags) a
// listing query selects, newest first, for feeds that carry full text.
func (db *DB) FeedArticles(ctx context.Context, lq ListQuery) ([]news.Article, error) {
	lq.NoCount, lq.NoBylines = true, true // the whole articles get them below
	l, err := db.ListArticles(ctx, lq)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(l.Articles))
	for i, a := range l.Articles {
		ids[i] = a.ID
	}
	return db.FeedArticlesByID(ctx, ids)
}

// FeedArticlesByID returns whole articles, with bylines and tags, in
// the order of ids (a search's results, for its feed); ids that are
// gone are left out.
func (db *DB) FeedArticlesByID(ctx context.Context, ids []int64) ([]news.Article, error) {
	out, err := db.articlesByID(ctx, ids, fullCols, scanFull)
	if err != nil {
		return nil, fmt.Errorf("store: feed articles: %w", err)
	}
	if err := db.attachAuthors(ctx, out); err != nil {
		return nil, err
	}
	return out, db.attachTags(ctx, out)
}

// NewsArticles returns the summaries of up to limit articles visible at
// now and published since, newest first, for the News sitemap.
func (db *DB) NewsArticles(ctx context.Context, now, since time.Time, limit int) ([]news.Article, error) {
	l, err := db.ListArticles(ctx, ListQuery{VisibleAt: now, From: since, Limit: limit, NoCount: true})
	return l.Articles, err
}

// Related returns up to n visible articles sharing a's tags or section,
// ranked by tags in common, then section, then recency. It reads only
// the newest few articles of each tag, so its cost does not grow with
// the archive.
func (db *DB) Related(ctx context.Context, a news.Article, n int, now time.Time) ([]news.Article, error) {
	const perTag = 12
	score := map[int64]int{}
	latest := map[int64]int64{}
	for _, t := range a.Tags {
		rows, err := db.read(ctx, (`SELECT lt.article_id, lt.visible_from, COALESCE(a.section_id, 0) FROM article_tags lt JOIN articles a ON a.id = lt.article_id
			WHERE lt.tag_id = ? AND lt.article_id <> ? AND lt.visible_from <= ? ORDER BY lt.visible_from DESC, lt.article_id DESC LIMIT ?`), t.ID, a.ID, unix(now), perTag)
		if err != nil {
			return nil, fmt.Errorf("store: related: %w", err)
		}
		for rows.Next() {
			var id, pub, sec int64
			if err := rows.Scan(&id, &pub, &sec); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: related: %w", err)
			}
			score[id] += 2
			if _, ok := latest[id]; !ok && sec == a.SectionID {
				score[id]++
			}
			latest[id] = pub
		}
		rows.Close()
	}
	if len(score) < n && a.SectionID != 0 {
		sl, err := db.ListArticles(ctx, ListQuery{Section: a.SectionID, VisibleAt: now, ExcludeID: a.ID, Limit: n, NoCount: true})
		if err != nil {
			return nil, err
		}
		for _, s := range sl.Articles {
			if _, ok := score[s.ID]; !ok {
				score[s.ID] = 1
				latest[s.ID] = unix(s.PublishedAt)
			}
		}
	}
	ids := make([]int64, 0, len(score))
	for id := range score {
		ids = append(ids, id)
	}
	sortByScore(ids, score, latest)
	if len(ids) > n {
		ids = ids[:n]
	}
	list, err := db.articlesByID(ctx, ids, summaryCols, scanSummaryRow)
	if err != nil {
		return nil, fmt.Errorf("store: related: %w", err)
	}
	return list, db.attachAuthors(ctx, list)
}

// sortByScore orders ids by score, then by the newest first, then by
// id, newest first: stories published in the same second (an import's,
// a wire's) keep one order, the same on every instance and after every
// restart, rather than the order of a map's keys.
func sortByScore(ids []int64, score map[int64]int, latest map[int64]int64) {
	slices.SortFunc(ids, func(a, b int64) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(latest[b], latest[a]), cmp.Compare(b, a))
	})
}

// VisibleCounts returns how many articles readers may see at now in each
// section (directly), with each tag and by each author.
func (db *DB) VisibleCounts(ctx context.Context, now time.Time) (sections, tags, authors map[int64]int, err error) {
	sections, tags, authors = map[int64]int{}, map[int64]int{}, map[int64]int{}
	for _, c := range []struct {
		kind string
		m    map[int64]int
	}{{"direct", sections}, {"tag", tags}, {"author", authors}} {
		rows, err := db.read(ctx, `SELECT id, n FROM (`+db.visibleCountsSQL(c.kind)+`) c WHERE n > 0`, unix(now))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("store: counts: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, nil, nil, fmt.Errorf("store: counts: %w", err)
			}
			c.m[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, nil, fmt.Errorf("store: counts: %w", err)
		}
	}
	return sections, tags, authors, nil
}

// countedLinks is, for each kind of listing VisibleCounts answers, where
// its articles' visibility is read: the table (aliased lt), its listing's
// id column, and the table as the few articles still to come are found
// in it (by the visibility index: SQLite is told, PostgreSQL plans it).
var countedLinks = map[string]struct{ table, col, future string }{
	"direct": {`articles lt`, `lt.section_id`, `articles lt INDEXED BY articles_visible`},
	"tag":    {`article_tags lt`, `lt.tag_id`, `article_tags lt`},
	"author": {`article_authors lt`, `lt.author_id`, `article_authors lt`},
}

// visibleCountsSQL is a query of (id, n): how many articles readers may
// see at a time (its one argument) in each listing of kind ("direct",
// "tag" or "author"). Where the engine keeps counts (migration 0015) it
// reads them, less each listing's few articles still to come; otherwise
// it counts the visible links, which grow with the archive.
func (db *DB) visibleCountsSQL(kind string) string {
	t := countedLinks[kind]
	if !db.dialect.keepsCounts() {
		return `SELECT ` + t.col + ` AS id, COUNT(*) AS n FROM ` + t.table + ` WHERE lt.visible_from <= ? AND ` + t.col + ` IS NOT NULL GROUP BY ` + t.col
	}
	future := t.future
	if _, pg := db.dialect.(postgresDialect); pg {
		future = t.table
	}
	return `SELECT c.ref AS id, c.n - (SELECT COUNT(*) FROM ` + future + ` WHERE ` + t.col + ` = c.ref AND lt.visible_from > ?) AS n
		FROM (` + keptCounts(`kind = '`+kind+`'`) + `) c`
}

// keptCounts is a query of (ref, n): the counts listing_counts keeps for
// the listings cond selects. A count is the sum of its listing's rows:
// SQLite keeps one a listing, PostgreSQL's writers add rows (migration
// 0027 there) that CompactListingCounts folds into one now and then.
func keptCounts(cond string) string {
	return `SELECT ref, SUM(n) AS n FROM listing_counts WHERE ` + cond + ` GROUP BY ref`
}

// pageSpec is which page of a listing to read, and what comes with it.
type pageSpec struct {
	what     string // names the listing in errors
	limit    int
	offset   int
	noCount  bool // for blocks that show no totals
	countCap int  // stop counting past this many (0: count all); Total is then countCap+1
	bylines  bool
	tags     bool
	order    listOrder // the page's order, unless
	rank     *ranking  // the page is ranked, and its articles read after
}

// ranking orders a page by a computed key (search's relevance), selected
// with each match's id over the lead; the page's articles are then read
// by id, so no article row is read for a match that is not shown.
type ranking struct {
	key     string // SQL of each match's key, which Listing reports
	keyArgs []any
	order   string
	// window, when more match, ranks only this many most recently added
	// (by windowID, which grows as articles are added); 0 ranks all.
	window   int
	windowID string
	// walk says that an index holds order (search by date, migration
	// 0025): an early page of matches that are much of the archive lies
	// among its first few dozen entries (see windowRead).
	walk bool
	// once, where set, ranks from a derived table of these columns of
	// the matches (searchMatch.once), kept from being merged into the
	// ranking query (OFFSET 0) so that each is computed once a match.
	once string
	// windowCols, where set, are the columns of each match the key
	// reads (searchMatch.window): the window is then found and ranked
	// in one query, instead of finding its last id first.
	windowCols string
	withBody   bool // read each article's plain body text too
}

// page is one page of a listing, with what a ranking adds.
type page struct {
	Listing
	keys   map[int64]float64 // each ranked article's key
	bodies map[int64]string  // each article's plain body, when asked for
}

// list runs a listing: it counts the matches (unless told not to), stops
// early past the last one, reads the page, and attaches bylines and tags.
// Every listing of articles ends here.
func (db *DB) list(ctx context.Context, l listingSQL, p pageSpec) (page, error) {
	var out page
	if p.limit <= 0 {
		p.limit = 10
	}
	if !p.noCount {
		total, err := db.countListing(ctx, l, p.countCap)
		if err != nil {
			return out, fmt.Errorf("store: count %s: %w", p.what, err)
		}
		out.Total = total
		capped := p.countCap > 0 && total > p.countCap
		if total == 0 || (!capped && p.offset >= total) {
			return out, nil
		}
	}
	var err error
	if p.rank != nil {
		err = db.rankedPage(ctx, l, p, out.Total, &out)
	} else {
		out.Articles, err = db.orderedPage(ctx, l, p, out.Total)
	}
	if err != nil {
		return out, fmt.Errorf("store: %s: %w", p.what, err)
	}
	if p.bylines {
		if err := db.attachAuthors(ctx, out.Articles); err != nil {
			return out, err
		}
	}
	if p.tags {
		return out, db.attachTags(ctx, out.Articles)
	}
	return out, nil
}

// countListing counts l's matches, stopping past countCap when it is set.
func (db *DB) countListing(ctx context.Context, l listingSQL, countCap int) (int, error) {
	query, args := `SELECT COUNT(*) FROM `+l.countFrom+l.where(), l.args
	switch {
	case l.kept != nil && db.dialect.keepsCounts():
		query = `SELECT COALESCE((SELECT n FROM (` + keptCounts(`kind = ? AND ref = ?`) + `) c), 0) - (` + l.kept.future + `)`
		args = append([]any{l.kept.kind, l.kept.ref}, l.kept.futureArgs...)
	case countCap > 0: // a few thousand rows, before a faster way to count them all
		query = `SELECT COUNT(*) FROM (SELECT 1 FROM ` + l.from + l.where() + ` LIMIT ?) c`
		args = append(append([]any{}, l.args...), countCap+1)
	case l.count != "":
		query, args = l.count, l.countArgs
	}
	var n int
	err := db.readRow(ctx, query, args...).Scan(&n)
	return n, err
}

// orderedPage reads a page of summaries in the index's order. The first
// page reads them in one query; a later one finds its ids first (see
// pageIDs), so the rows it skips are index entries, never articles.
func (db *DB) orderedPage(ctx context.Context, l listingSQL, p pageSpec, total int) ([]news.Article, error) {
	if p.offset > 0 {
		ids, err := db.pageIDs(ctx, l, p, total)
		if err != nil {
			return nil, err
		}
		return db.articlesByID(ctx, ids, summaryCols, scanSummaryRow)
	}
	rows, err := db.read(ctx, `SELECT `+summaryCols+` FROM `+l.from+l.where()+` ORDER BY `+l.orderBy(p.order)+` LIMIT ?`,
		append(append([]any{}, l.args...), p.limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []news.Article
	for rows.Next() {
		var a news.Article
		if err := scanSummary(rows, &a); err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// pageIDs returns the ids of a later page, in order. By date, it reads
// only what the count reads (the lead's index, when the conditions need
// no article row). A page past the middle of a listing whose total is
// known is read from the other end, backwards, so the last page costs
// what the first does however long the listing grows; a deep page in
// between starts from the listing's mark before it (page_marks.go).
func (db *DB) pageIDs(ctx context.Context, l listingSQL, p pageSpec, total int) ([]int64, error) {
	from := l.from
	if p.order.key == byDate {
		from = l.countFrom
	}
	order, limit, offset, reversed := p.order, p.limit, p.offset, false
	if total > 0 && !(p.countCap > 0 && total > p.countCap) && offset > total/2 {
		order.asc, reversed = !order.asc, true
		offset = total - p.offset - p.limit
		if offset < 0 {
			limit, offset = limit+offset, 0
		}
	}
	if limit <= 0 {
		return nil, nil
	}
	q := l
	if mark, rest, ok, err := db.fromMark(ctx, l, from, order, total, offset); err != nil {
		return nil, err
	} else if ok {
		q, offset = l.after(mark, order), rest
	}
	rows, err := db.read(ctx, `SELECT `+l.id+` FROM `+from+q.where()+` ORDER BY `+l.orderBy(order)+` LIMIT ? OFFSET ?`,
		append(append([]any{}, q.args...), limit, offset)...)
	if err != nil {
		return nil, err
	}
	ids, err := scanIDs(rows)
	if reversed {
		slices.Reverse(ids)
	}
	return ids, err
}

// rankedPage ranks l's matches, keeps the page, and reads its articles.
func (db *DB) rankedPage(ctx context.Context, l listingSQL, p pageSpec, total int, out *page) error {
	r := p.rank
	from, args := l.from+l.where(), l.args
	matches := total
	if p.countCap > 0 && total > p.countCap && (r.walk || r.window > 0) {
		matches = db.plannedMatches(ctx, from, args, total)
	}
	pageCtx := ctx
	if r.walk && p.offset+p.limit <= db.rankWindow() {
		pageCtx = db.windowRead(ctx, matches)
	}
	if r.window > 0 && total > r.window {
		// Ranking computes a key for every match, which for a word in
		// much of the archive costs more than a reader should wait. Such
		// a listing is ranked among its window most recently added
		// matches, where search's recency preference puts its best
		// results anyway and a date filter reaches older ones; the count
		// stays exact.
		pageCtx = db.windowRead(ctx, matches)
		if r.windowCols != "" {
			from = `(SELECT ` + r.windowCols + ` FROM ` + from + ` ORDER BY ` + r.windowID + ` DESC LIMIT ?) m`
			args = append(append([]any{}, args...), r.window)
		} else {
			var cutoff int64
			err := db.readRow(pageCtx, `SELECT `+r.windowID+` FROM `+from+` ORDER BY `+r.windowID+` DESC LIMIT 1 OFFSET ?`,
				append(append([]any{}, args...), r.window-1)...).Scan(&cutoff)
			if err != nil {
				return fmt.Errorf("window: %w", err)
			}
			from += ` AND ` + r.windowID + ` >= ?`
			args = append(append([]any{}, args...), cutoff)
			pageCtx = ctx
		}
	}
	if r.once != "" {
		from = `(SELECT ` + r.once + ` FROM ` + from + ` OFFSET 0) m`
	}
	qargs := append(append(append([]any{}, r.keyArgs...), args...), p.limit, p.offset)
	rows, err := db.read(pageCtx, `SELECT `+l.id+`, `+r.key+` AS score FROM `+from+` ORDER BY `+r.order+` LIMIT ? OFFSET ?`, qargs...)
	if err != nil {
		return err
	}
	var ids []int64
	out.keys = map[int64]float64{}
	for rows.Next() {
		var id int64
		var key float64
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
		out.keys[id] = key
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return db.readRankedArticles(ctx, ids, r.withBody, out)
}

// readRankedArticles reads the summaries of a ranked page's ids, in their
// order, into out, with each one's plain body text when withBody is set.
func (db *DB) readRankedArticles(ctx context.Context, ids []int64, withBody bool, out *page) error {
	var err error
	if !withBody {
		out.Articles, err = db.articlesByID(ctx, ids, summaryCols, scanSummaryRow)
		return err
	}
	out.bodies = map[int64]string{}
	out.Articles, err = db.articlesByID(ctx, ids, summaryCols+`, a.body_text`, func(s scanner) (news.Article, error) {
		var a news.Article
		var body string
		err := scanSummary(s, &a, unpacked{&body})
		out.bodies[a.ID] = body
		return a, err
	})
	return err
}

func scanSummaryRow(s scanner) (news.Article, error) {
	var a news.Article
	err := scanSummary(s, &a)
	return a, err
}

// articlesByID reads the articles with ids, in the order given, as cols
// (summaryCols or fullCols, and any more columns scan reads); ids that
// are gone are left out.
func (db *DB) articlesByID(ctx context.Context, ids []int64, cols string, scan func(scanner) (news.Article, error)) ([]news.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.read(ctx, `SELECT `+cols+` FROM articles a WHERE a.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]news.Article, len(ids))
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, err
		}
		byID[a.ID] = a
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]news.Article, 0, len(ids))
	for _, id := range ids {
		if a, ok := byID[id]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}

func idsOf(list []news.Article) ([]any, map[int64][]int) {
	ids := make([]any, 0, len(list))
	index := make(map[int64][]int, len(list))
	for i, a := range list {
		if _, ok := index[a.ID]; !ok {
			ids = append(ids, a.ID)
		}
		index[a.ID] = append(index[a.ID], i)
	}
	return ids, index
}

// compactCounts folds each listing's rows of PostgreSQL's listing_counts
// into one (or none, where they sum to nothing). Rows other writers add
// meanwhile are outside its snapshot and stay; a second compaction at the
// same time skips the rows the first deleted (READ COMMITTED).
const compactCounts = `WITH gone AS (
		DELETE FROM listing_counts WHERE (kind, ref) IN (SELECT kind, ref FROM listing_counts GROUP BY kind, ref HAVING COUNT(*) > 1 OR SUM(n) = 0)
		RETURNING kind, ref, n)
	INSERT INTO listing_counts (kind, ref, n) SELECT kind, ref, SUM(n) FROM gone GROUP BY kind, ref HAVING SUM(n) <> 0`

// CompactListingCounts folds each listing's count into one row. On
// PostgreSQL writers add a row for each statement that changes a count
// (migration 0027), so without it a count would read more rows the more
// is written; SQLite updates one row a listing and has nothing to fold.
// It returns how many rows the counts had before.
func (db *DB) CompactListingCounts(ctx context.Context) (int64, error) {
	if db.dialect.name() != "postgres" {
		return 0, nil
	}
	var rows int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.txRow(ctx, tx, `SELECT COUNT(*) FROM listing_counts`).Scan(&rows); err != nil {
			return err
		}
		_, err := db.txExec(ctx, tx, compactCounts)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: compact listing counts: %w", err)
	}
	return rows, nil
}
