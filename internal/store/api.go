package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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

var apiOrder = map[string]string{"date": "a.published_at", "id": "a.id", "title": "a.title", "slug": "a.slug", "modified": "a.updated_at"}

// APIArticles returns a page of summaries with authors and tags, and how
// many match in all. Pages never appear; trashed articles only when asked
// for by status.
func (db *DB) APIArticles(ctx context.Context, q APIQuery) (Listing, error) {
	where := []string{`a.kind = 'article'`}
	var args []any
	in := func(col string, n int) string { return col + ` IN (` + placeholders(n) + `)` }
	if q.SectionTree != 0 {
		where, args = append(where, `a.id IN (SELECT article_id FROM article_sections WHERE section_id = ?)`), append(args, q.SectionTree)
	}
	if len(q.SectionIDs) > 0 {
		where = append(where, in(`a.section_id`, len(q.SectionIDs)))
		for _, id := range q.SectionIDs {
			args = append(args, id)
		}
	}
	if len(q.TagIDs) > 0 {
		where = append(where, `a.id IN (SELECT article_id FROM article_tags WHERE `+in(`tag_id`, len(q.TagIDs))+`)`)
		for _, id := range q.TagIDs {
			args = append(args, id)
		}
	}
	if len(q.AuthorIDs) > 0 {
		where = append(where, `a.id IN (SELECT article_id FROM article_authors WHERE `+in(`author_id`, len(q.AuthorIDs))+`)`)
		for _, id := range q.AuthorIDs {
			args = append(args, id)
		}
	}
	if !q.After.IsZero() {
		where, args = append(where, `a.published_at > ?`), append(args, unix(q.After))
	}
	if !q.Before.IsZero() {
		where, args = append(where, `a.published_at < ?`), append(args, unix(q.Before))
	}
	if q.Lang != "" {
		where, args = append(where, `a.lang = ?`), append(args, q.Lang)
	}
	if len(q.Slugs) > 0 {
		where = append(where, in(`a.slug`, len(q.Slugs)))
		for _, s := range q.Slugs {
			args = append(args, s)
		}
	}
	if sq := search.ParseQuery(q.Search); !sq.Empty() {
		// The same full-text index, analyzer and query syntax as the
		// site's search: stems, both scripts, phrases, exclusions.
		m := db.dialect.searchMatch(sq)
		where, args = append(where, `a.id IN (SELECT `+m.id+` FROM `+m.from+` WHERE `+m.cond+`)`), append(args, m.condArgs...)
	}
	if q.OwnerID != 0 {
		where, args = append(where, `a.created_by = ?`), append(args, q.OwnerID)
	}
	switch {
	case !q.VisibleAt.IsZero():
		where, args = append(where, `a.visible_from <= ?`), append(args, unix(q.VisibleAt))
	case len(q.Statuses) > 0:
		where = append(where, in(`a.status`, len(q.Statuses)))
		for _, s := range q.Statuses {
			args = append(args, s)
		}
	default:
		where = append(where, `a.status <> 'trash'`)
	}
	cond := ` WHERE ` + strings.Join(where, ` AND `)
	var out Listing
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM articles a`+cond, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("store: count API articles: %w", err)
	}
	if q.Limit <= 0 {
		q.Limit = 10
	}
	if out.Total == 0 || q.Offset >= out.Total {
		return out, nil
	}
	col, ok := apiOrder[q.OrderBy]
	if !ok {
		col = apiOrder["date"]
	}
	dir := ` DESC`
	if q.Asc {
		dir = ` ASC`
	}
	rows, err := db.read(ctx, `SELECT `+summaryCols+` FROM articles a`+cond+` ORDER BY `+col+dir+`, a.id`+dir+` LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return out, fmt.Errorf("store: API articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a news.Article
		if err := scanSummary(rows, &a); err != nil {
			return out, fmt.Errorf("store: API articles: %w", err)
		}
		out.Articles = append(out.Articles, a)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("store: API articles: %w", err)
	}
	if err := db.attachAuthors(ctx, out.Articles); err != nil {
		return out, err
	}
	return out, db.attachTags(ctx, out.Articles)
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
