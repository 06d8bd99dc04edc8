package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
)

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

// ArticleVisible reports whether readers may see the article at now.
func (db *DB) ArticleVisible(ctx context.Context, id int64, now time.Time) (bool, error) {
	var n int
	err := db.readRow(ctx, `SELECT COUNT(*) FROM articles a WHERE a.id = ? AND a.kind = 'article' AND a.visible_from <= ?`, id, unix(now)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: article %d: %w", id, err)
	}
	return n > 0, nil
}

// WPLocalID returns the local id of the WordPress object of kind ("post",
// "category", "tag", "author", "attachment") with that WordPress id.
func (db *DB) WPLocalID(ctx context.Context, kind string, wpID int64) (int64, error) {
	var id int64
	err := db.readRow(ctx, `SELECT local_id FROM wp_import_map WHERE kind = ? AND wp_id = ?`, kind, wpID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: WordPress %s %d: %w", kind, wpID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: WordPress %s %d: %w", kind, wpID, err)
	}
	return id, nil
}

// VisibleCounts returns how many articles readers may see at now in each
// section (directly), with each tag and by each author.
func (db *DB) VisibleCounts(ctx context.Context, now time.Time) (sections, tags, authors map[int64]int, err error) {
	sections, tags, authors = map[int64]int{}, map[int64]int{}, map[int64]int{}
	for _, c := range []struct {
		sql string
		m   map[int64]int
	}{
		{`SELECT a.section_id, COUNT(*) FROM articles a WHERE a.kind = 'article' AND a.visible_from <= ? AND a.section_id IS NOT NULL GROUP BY a.section_id`, sections},
		{`SELECT tag_id, COUNT(*) FROM article_tags WHERE visible_from <= ? GROUP BY tag_id`, tags},
		{`SELECT author_id, COUNT(*) FROM article_authors WHERE visible_from <= ? GROUP BY author_id`, authors},
	} {
		rows, err := db.read(ctx, c.sql, unix(now))
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
