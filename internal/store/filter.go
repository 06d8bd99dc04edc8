package store

import (
	"errors"
	"strings"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
)

// articleFilter says which articles a listing shows. The site, the API,
// the newsroom and search all describe their listings with one; the
// methods below write it as SQL in one place, and list runs it.
// Zero fields do not filter; lists match any of their values.
type articleFilter struct {
	// Who is looking: readers see what is visible at visibleAt; staff
	// (visibleAt zero) see the statuses asked for, or what trash says.
	visibleAt time.Time
	statuses  []news.Status
	trash     trashRule
	// withPages lists pages too; otherwise they answer only at their own
	// address. Readers' visibility already leaves them out (migration 0007).
	withPages bool
	pagesOnly bool // pages alone, for the WordPress API's /pages (staff's rules: give statuses)

	sectionTree int64   // in this section or any below it
	sectionIDs  []int64 // directly in one of these sections
	tagIDs      []int64
	authorIDs   []int64
	lang        string
	from        time.Time    // published at or after
	after       time.Time    // published after
	before      time.Time    // published before
	slugs       []string     // with one of these slugs
	match       search.Query // matched by the full-text index
	ownerID     int64        // started by this user
	// viewer, when set, keeps what that user started and, of others'
	// articles, those in the statuses othersIn (none when it is empty).
	viewer     int64
	othersIn   []news.Status
	titleWords []string // each of these in the title, in any case
	excludeID  int64    // all but this article

	// probeLinks checks sections, tags and authors row by row through the
	// link tables' primary keys, so that a list walks the index of its
	// order (the newsroom's) rather than start from the links and sort.
	probeLinks bool
}

// trashRule says whether staff listings show the trash, when they ask
// for no status.
type trashRule int

const (
	trashShown  trashRule = iota // with everything else
	trashHidden                  // all but the trash
	trashOnly                    // the trash alone
)

// sortKey is what a listing is ordered by; ties go by id.
type sortKey int

const (
	byDate    sortKey = iota // publication: for readers, when they could first see it
	byID                     // order of writing
	byTitle                  // title, as stored
	bySlug                   // address
	byUpdated                // last change
)

// listOrder is a listing's order.
type listOrder struct {
	key sortKey
	asc bool
}

// Tables that link an article to what it is listed under. Each holds a
// copy of the article's visible_from, indexed after the linked id, and
// article_sections links a section and every one above it (migration 0007).
const (
	tagLinks     = `article_tags`
	authorLinks  = `article_authors`
	sectionLinks = `article_sections`
)

// listingSQL is a filter written as SQL over the table a listing reads first.
type listingSQL struct {
	from      string // the lead table, joined to the articles a where a page needs them
	countFrom string // what a count reads: as little as the conditions allow
	id        string // the article id as the lead holds it
	date      string // the lead's publication time, for date filters and order
	cond      []string
	args      []any
	// What the conditions read besides the range of the lead (its own
	// key, time and visibility): anything (narrowed), or the articles'
	// own rows (onRow).
	narrowed, onRow bool
	// count, when set, counts the same matches faster, with countArgs
	// (see searchMatch.countVisible).
	count     string
	countArgs []any
	// kept, when set, is the listing's count as listing_counts keeps it
	// (migration 0015), where the engine keeps one.
	kept *keptCount
}

// keptCount is a readers' listing's count as listing_counts keeps it:
// the row (kind, ref), which counts every article the listing shows now
// or will show, less those still to come, which future counts with
// futureArgs (few: the articles scheduled for later).
type keptCount struct {
	kind       string
	ref        int64
	future     string
	futureArgs []any
}

// where is the WHERE clause, or nothing.
func (l *listingSQL) where() string {
	if len(l.cond) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(l.cond, ` AND `)
}

// within adds a condition on the range of the lead: its own key (a
// link's id, a search's match), or its date column.
func (l *listingSQL) within(cond string, args ...any) {
	l.cond = append(l.cond, cond)
	l.args = append(l.args, args...)
}

// add adds a condition on the lead table.
func (l *listingSQL) add(cond string, args ...any) {
	l.within(cond, args...)
	l.narrowed = true
}

// onArticles adds a condition on the articles' own row.
func (l *listingSQL) onArticles(cond string, args ...any) {
	l.add(cond, args...)
	l.onRow = true
}

// in is "col = ?" for one value and "col IN (?, ?, …)" for more, with
// the values as arguments.
func in[T any](col string, vals []T) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	if len(vals) == 1 {
		return col + ` = ?`, args
	}
	return col + ` IN (` + placeholders(len(vals)) + `)`, args
}

// articlesSQL writes f as SQL over the articles, for a listing in order o.
// A readers' listing by date with one tag, one author or a section tree
// reads that link table first, in its index's order: neither the page nor
// its count then sorts or joins more rows than it shows.
func (f articleFilter) articlesSQL(d dialect, o listOrder) listingSQL {
	readers := !f.visibleAt.IsZero()
	l := listingSQL{from: `articles a`, id: `a.id`, date: `a.published_at`}
	if readers {
		l.date = `a.visible_from` // published_at, for what readers may see
	}
	lead, leadKind, leadCol, leadID := "", "", "", int64(0)
	if readers && o.key == byDate {
		switch {
		case len(f.tagIDs) == 1:
			lead, leadKind, leadCol, leadID = tagLinks, "tag", "tag_id", f.tagIDs[0]
		case len(f.authorIDs) == 1:
			lead, leadKind, leadCol, leadID = authorLinks, "author", "author_id", f.authorIDs[0]
		case f.sectionTree != 0:
			lead, leadKind, leadCol, leadID = sectionLinks, "section", "section_id", f.sectionTree
		}
	}
	if lead != "" {
		l.within(`lt.`+leadCol+` = ?`, leadID)
	}
	if lead != "" {
		l.from = lead + ` lt JOIN articles a ON a.id = lt.article_id`
		l.id, l.date = `lt.article_id`, `lt.visible_from`
	}
	// Under a leading link table, walked in its order, other links are
	// probed row by row; so they are in the newsroom, walked by its own
	// indexes. Elsewhere the planner may start from them.
	probe := lead != "" || f.probeLinks
	if f.sectionTree != 0 && lead != sectionLinks {
		linkedTo(&l, probe, sectionLinks, `section_id`, []int64{f.sectionTree})
	}
	if len(f.sectionIDs) > 0 {
		cond, args := in(`a.section_id`, f.sectionIDs)
		l.onArticles(cond, args...)
	}
	if lead != tagLinks {
		linkedTo(&l, probe, tagLinks, `tag_id`, f.tagIDs)
	}
	if lead != authorLinks {
		linkedTo(&l, probe, authorLinks, `author_id`, f.authorIDs)
	}
	f.dates(&l)
	if len(f.slugs) > 0 {
		cond, args := in(`a.slug`, f.slugs)
		l.onArticles(cond, args...)
	}
	if !f.match.Empty() {
		// The same full-text index, analyzer and query syntax as the
		// site's search: stems, both scripts, phrases, exclusions.
		m := d.searchMatch(f.match)
		l.add(l.id+` IN (SELECT `+m.id+` FROM `+m.from+` WHERE `+m.cond+`)`, m.condArgs...)
	}
	if f.ownerID != 0 {
		l.onArticles(`a.created_by = ?`, f.ownerID)
	}
	if f.viewer != 0 {
		mine, args := `a.created_by = ?`, []any{f.viewer}
		if len(f.othersIn) > 0 {
			others, more := in(`a.status`, f.othersIn)
			mine, args = `(`+mine+` OR `+others+`)`, append(args, more...)
		}
		l.onArticles(mine, args...)
	}
	for _, w := range f.titleWords {
		w = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(w))
		l.onArticles(`LOWER(a.title) LIKE ? ESCAPE '\'`, "%"+w+"%")
	}
	if f.excludeID != 0 {
		l.add(l.id+` <> ?`, f.excludeID)
	}
	// What a count may be kept for: one link's range, the whole site, or
	// one language, with no other condition but visibility.
	plain := readers && !l.narrowed && f.from.IsZero() && f.after.IsZero() && f.before.IsZero()
	switch {
	case plain && lead != "" && f.lang == "":
		l.kept = &keptCount{kind: leadKind, ref: leadID, future: `SELECT COUNT(*) FROM ` + lead + ` lt WHERE lt.` + leadCol + ` = ? AND lt.visible_from > ?`,
			futureArgs: []any{leadID, unix(f.visibleAt)}}
	case plain && lead != "": // an edition's listing (migration 0019)
		future := `SELECT COUNT(*) FROM ` + lead + ` lt JOIN articles a ON a.id = lt.article_id
			WHERE lt.` + leadCol + ` = ? AND lt.visible_from > ? AND a.lang = ?`
		if probe := d.linkLang(); probe != "" {
			future = `SELECT COUNT(*) FROM ` + lead + ` lt WHERE lt.` + leadCol + ` = ? AND lt.visible_from > ? AND ` + probe + ` = ?`
		}
		l.kept = &keptCount{kind: leadKind + ":" + f.lang, ref: leadID, future: future, futureArgs: []any{leadID, unix(f.visibleAt), f.lang}}
	case plain && lead == "" && f.lang == "":
		l.kept = &keptCount{kind: "site", future: `SELECT COUNT(*) FROM ` + d.visibleArticles() + ` WHERE a.visible_from > ?`,
			futureArgs: []any{unix(f.visibleAt)}}
	case plain && lead == "":
		l.kept = &keptCount{kind: "lang:" + f.lang, future: `SELECT COUNT(*) FROM articles a WHERE a.lang = ? AND a.visible_from > ?`,
			futureArgs: []any{f.lang, unix(f.visibleAt)}}
	}
	switch {
	case f.lang != "" && lead != "" && d.linkLang() != "":
		l.add(d.linkLang()+` = ?`, f.lang) // the links alone, then: see linkLang
	case f.lang != "":
		l.onArticles(`a.lang = ?`, f.lang)
	}
	switch {
	case readers:
		l.within(l.date+` <= ?`, unix(f.visibleAt)) // the visible_from of the lead
	case len(f.statuses) > 0:
		cond, args := in(`a.status`, f.statuses)
		l.onArticles(cond, args...)
	case f.trash == trashHidden:
		l.onArticles(`a.status <> 'trash'`)
	case f.trash == trashOnly:
		l.onArticles(`a.status = 'trash'`) // known to the planner: rare
	}
	switch {
	case !readers && f.pagesOnly:
		l.onArticles(`a.kind = 'page'`)
	case !readers && !f.withPages:
		l.onArticles(`a.kind = 'article'`)
	}
	// The count reads as little as the conditions allow: the leading link
	// table alone while none needs the articles' rows; for readers'
	// listings of every article (in a time range or not), the visibility
	// index alone.
	switch {
	case lead != "" && !l.onRow:
		l.countFrom = lead + ` lt`
	case lead == "" && readers && !l.narrowed:
		l.countFrom = d.visibleArticles()
	default:
		l.countFrom = l.from
	}
	return l
}

// searchSQL writes f as SQL over the full-text index m, which leads:
// ranking needs every match, and the index's side table holds what
// searches filter on (section, language, date, visibility). The index
// holds pages too, and knows no status but listed or not.
func (f articleFilter) searchSQL(m searchMatch) (listingSQL, error) {
	if !f.withPages || len(f.statuses) > 0 || f.trash != trashShown || f.sectionTree != 0 || len(f.slugs) > 0 ||
		f.ownerID != 0 || f.viewer != 0 || len(f.titleWords) > 0 || f.excludeID != 0 || f.probeLinks {
		return listingSQL{}, errors.New("store: search filters on sections, tags, authors, language, dates and visibility only")
	}
	l := listingSQL{from: m.from, countFrom: m.from, id: `m.article_id`, date: `m.published_at`}
	l.within(m.cond, m.condArgs...)
	switch {
	case m.facets != "":
		if q := facetsQuery(f.sectionIDs, f.tagIDs, f.authorIDs); q != "" {
			l.add(m.facets, q)
		}
	default:
		if len(f.sectionIDs) > 0 {
			cond, args := in(`m.section_id`, f.sectionIDs)
			l.add(cond, args...)
		}
		linkedTo(&l, false, tagLinks, `tag_id`, f.tagIDs)
		linkedTo(&l, false, authorLinks, `author_id`, f.authorIDs)
	}
	if f.lang != "" {
		l.add(`m.lang = ?`, f.lang)
	}
	f.dates(&l)
	if f.visibleAt.IsZero() {
		return l, nil
	}
	l.within(`m.listed = 1 AND m.published_at <= ?`, unix(f.visibleAt)) // as visible
	if m.countVisible != "" && !l.narrowed && f.from.IsZero() && f.after.IsZero() && f.before.IsZero() {
		q := m.condArgs[0]
		l.count, l.countArgs = m.countVisible, []any{q, q, unix(f.visibleAt), q}
	}
	return l, nil
}

// linkedTo keeps the articles linked to one of ids through the link
// table: with probe, by a primary-key lookup for each row the listing
// walks; otherwise by a subquery the planner may start from.
func linkedTo(l *listingSQL, probe bool, table, col string, ids []int64) {
	if len(ids) == 0 {
		return
	}
	if probe {
		cond, args := in(`k.`+col, ids)
		l.add(`EXISTS (SELECT 1 FROM `+table+` k WHERE k.article_id = `+l.id+` AND `+cond+`)`, args...)
		return
	}
	cond, args := in(col, ids)
	l.add(l.id+` IN (SELECT article_id FROM `+table+` WHERE `+cond+`)`, args...)
}

// dates adds the publication-time filters, on the lead's date column.
func (f articleFilter) dates(l *listingSQL) {
	if !f.from.IsZero() {
		l.within(l.date+` >= ?`, unix(f.from))
	}
	if !f.after.IsZero() {
		l.within(l.date+` > ?`, unix(f.after))
	}
	if !f.before.IsZero() {
		l.within(l.date+` < ?`, unix(f.before))
	}
}

// orderBy is the ORDER BY clause of o over l.
func (l *listingSQL) orderBy(o listOrder) string {
	dir := ` DESC`
	if o.asc {
		dir = ` ASC`
	}
	col := l.date
	switch o.key {
	case byID:
		return l.id + dir
	case byTitle:
		col = `a.title`
	case bySlug:
		col = `a.slug`
	case byUpdated:
		col = `a.updated_at`
	}
	// Ties go by the id as the lead holds it, which its index (migration
	// 0015) orders too: a page then reads the index's order, unsorted.
	return col + dir + `, ` + l.id + dir
}
