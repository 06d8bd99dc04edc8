package store

import (
	"context"
	"fmt"
	"time"

	"dastan/internal/news"
)

// SitemapEntry is one URL of a sitemap: a slug (or section path) and when
// what it shows last changed.
type SitemapEntry struct {
	Slug    string
	LastMod time.Time
}

// sitemapVisible is visible written so that SQLite cannot filter with an
// index (the expressions hide the columns): it then scans the covering
// index articles_sitemap, which leads with id, instead of reading whole
// articles whose status and dates are stored after their bodies — and
// instead of letting listings' indexes, which would need a sort. PostgreSQL
// plans it from its statistics as usual.
const sitemapVisible = `a.status || '' IN ('published', 'scheduled') AND a.published_at + 0 <= ?`

// SitemapPage describes one page of the articles' sitemap.
type SitemapPage struct {
	Count   int
	LastMod time.Time
}

// SitemapPages splits the articles readers may see at now, oldest id
// first, into pages of size, and returns each page's size and newest
// update. Ordering by id keeps old pages stable as articles are added.
func (db *DB) SitemapPages(ctx context.Context, now time.Time, size int) ([]SitemapPage, error) {
	rows, err := db.read(ctx, `SELECT (n - 1) / ? AS page, COUNT(*), MAX(updated_at) FROM (
		SELECT a.updated_at, ROW_NUMBER() OVER (ORDER BY a.id) AS n FROM articles a WHERE `+sitemapVisible+`) v
		GROUP BY 1 ORDER BY 1`, size, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sitemap pages: %w", err)
	}
	defer rows.Close()
	var out []SitemapPage
	for rows.Next() {
		var page, n, upd int64
		if err := rows.Scan(&page, &n, &upd); err != nil {
			return nil, fmt.Errorf("store: sitemap pages: %w", err)
		}
		out = append(out, SitemapPage{Count: int(n), LastMod: fromUnix(upd)})
	}
	return out, rows.Err()
}

// SitemapArticles returns page (from 1) of the visible articles' slugs and
// update times, in the order SitemapPages counts them. It reads only the
// two columns a sitemap needs.
func (db *DB) SitemapArticles(ctx context.Context, now time.Time, page, size int) ([]SitemapEntry, error) {
	rows, err := db.read(ctx, `SELECT a.slug, a.updated_at FROM articles a WHERE `+sitemapVisible+`
		ORDER BY a.id LIMIT ? OFFSET ?`, unix(now), size, (page-1)*size)
	if err != nil {
		return nil, fmt.Errorf("store: sitemap articles: %w", err)
	}
	return scanEntries(rows, size)
}

// SectionsLastMod returns, for each section with visible articles, when
// its newest article last changed (not rolled up to parents).
func (db *DB) SectionsLastMod(ctx context.Context, now time.Time) (map[int64]time.Time, error) {
	rows, err := db.read(ctx, `SELECT COALESCE(a.section_id, 0), MAX(a.updated_at) FROM articles a
		WHERE `+sitemapVisible+` GROUP BY 1`, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sections' last changes: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id, upd int64
		if err := rows.Scan(&id, &upd); err != nil {
			return nil, fmt.Errorf("store: sections' last changes: %w", err)
		}
		if id != 0 {
			out[id] = fromUnix(upd)
		}
	}
	return out, rows.Err()
}

// SitemapTags returns the tags that carry visible articles, by id, with
// when their newest article changed.
func (db *DB) SitemapTags(ctx context.Context, now time.Time) ([]SitemapEntry, error) {
	return db.linkEntries(ctx, "tags", "article_tags", "tag_id", now)
}

// SitemapAuthors returns the authors with visible articles, by id, with
// when their newest article changed.
func (db *DB) SitemapAuthors(ctx context.Context, now time.Time) ([]SitemapEntry, error) {
	return db.linkEntries(ctx, "authors", "article_authors", "author_id", now)
}

func (db *DB) linkEntries(ctx context.Context, table, link, col string, now time.Time) ([]SitemapEntry, error) {
	// CROSS JOIN keeps SQLite walking the articles' covering index first.
	rows, err := db.read(ctx, `SELECT t.slug, MAX(a.updated_at)
		FROM articles a CROSS JOIN `+link+` lt CROSS JOIN `+table+` t
		WHERE lt.article_id = a.id AND t.id = lt.`+col+` AND `+sitemapVisible+`
		GROUP BY t.id, t.slug ORDER BY t.id`, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sitemap %s: %w", table, err)
	}
	return scanEntries(rows, 0)
}

type rowsScanner interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}

func scanEntries(rows rowsScanner, capacity int) ([]SitemapEntry, error) {
	defer rows.Close()
	out := make([]SitemapEntry, 0, capacity)
	for rows.Next() {
		var e SitemapEntry
		var upd int64
		if err := rows.Scan(&e.Slug, &upd); err != nil {
			return nil, fmt.Errorf("store: sitemap: %w", err)
		}
		e.LastMod = fromUnix(upd)
		out = append(out, e)
	}
	return out, rows.Err()
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

// Translation is one language version of an article.
type Translation struct {
	Slug string
	Lang string
}

// Translations returns the visible language versions of a's story — the
// original and every article that translates it, a included — or nothing
// when a has no translation.
func (db *DB) Translations(ctx context.Context, a news.Article, now time.Time) ([]Translation, error) {
	root := a.ID
	if a.TranslationOf != 0 {
		root = a.TranslationOf
	}
	// Two index lookups; an OR of the two conditions scans the table.
	rows, err := db.read(ctx, `SELECT slug, lang FROM (
		SELECT a.id, a.slug, a.lang FROM articles a WHERE a.id = ? AND `+visible+`
		UNION ALL
		SELECT a.id, a.slug, a.lang FROM articles a WHERE a.translation_of = ? AND `+visible+`) t ORDER BY id`,
		root, unix(now), root, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: translations of %d: %w", a.ID, err)
	}
	defer rows.Close()
	var out []Translation
	for rows.Next() {
		var t Translation
		if err := rows.Scan(&t.Slug, &t.Lang); err != nil {
			return nil, fmt.Errorf("store: translations of %d: %w", a.ID, err)
		}
		out = append(out, t)
	}
	if len(out) < 2 {
		return nil, rows.Err()
	}
	return out, rows.Err()
}
