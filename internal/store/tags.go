package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dastan/internal/news"
)

// TagBySlug returns the tag with that slug.
func (db *DB) TagBySlug(ctx context.Context, slug string) (news.Tag, error) {
	if !validKey(slug) {
		return news.Tag{}, fmt.Errorf("store: %q: %w", slug, ErrNotFound)
	}
	var t news.Tag
	err := db.readRow(ctx, (`SELECT id, slug, name FROM tags WHERE slug = ?`), slug).Scan(&t.ID, &t.Slug, &t.Name)
	if err != nil {
		return t, fmt.Errorf("store: tag %q: %w", slug, notFound(err))
	}
	return t, nil
}

// EnsureTag returns the tag named name, creating it if it is new.
func (db *DB) EnsureTag(ctx context.Context, name string) (news.Tag, error) {
	name = strings.TrimSpace(name)
	t := news.Tag{Name: name, Slug: news.Slugify(name)}
	if name == "" {
		return t, fmt.Errorf("store: a tag needs a name")
	}
	err := db.writeRow(ctx, `INSERT INTO tags (slug, name) VALUES (?, ?)
		ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, name`, t.Slug, t.Name).Scan(&t.ID, &t.Name)
	if err != nil {
		return t, fmt.Errorf("store: tag %q: %w", name, err)
	}
	return t, nil
}

// Tags returns every tag with how many articles carry it, most used first.
func (db *DB) Tags(ctx context.Context, limit int) ([]news.Tag, []int, error) {
	rows, err := db.read(ctx, (`SELECT t.id, t.slug, t.name, COUNT(at.article_id) AS n
		FROM tags t LEFT JOIN article_tags at ON at.tag_id = t.id
		GROUP BY t.id, t.slug, t.name ORDER BY n DESC, t.name LIMIT ?`), limit)
	if err != nil {
		return nil, nil, fmt.Errorf("store: tags: %w", err)
	}
	return scanTagCounts(rows)
}

// scanTagCounts reads rows of id, slug, name and a count.
func scanTagCounts(rows *sql.Rows) ([]news.Tag, []int, error) {
	defer rows.Close()
	var tags []news.Tag
	var counts []int
	for rows.Next() {
		var t news.Tag
		var n int
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &n); err != nil {
			return nil, nil, fmt.Errorf("store: tags: %w", err)
		}
		tags = append(tags, t)
		counts = append(counts, n)
	}
	return tags, counts, rows.Err()
}

// TagVisible reports whether the tag id carries an article readers may
// see at now. A tag only drafts carry has no public page, and is listed
// to no reader, until then. The link table's (tag_id, visible_from)
// index answers at once.
func (db *DB) TagVisible(ctx context.Context, id int64, now time.Time) (bool, error) {
	return db.linkVisible(ctx, `SELECT 1 FROM article_tags WHERE tag_id = ? AND visible_from <= ? LIMIT 1`, id, now)
}

// PublicTags returns the tags that carry articles readers may see at now,
// with how many, most used first. Tags only drafts carry are left out.
func (db *DB) PublicTags(ctx context.Context, now time.Time) ([]news.Tag, []int, error) {
	return db.tagsByPublicCount(ctx, "JOIN", now)
}

// TagsWithPublicCounts returns every tag, with how many articles readers
// may see at now carry it (0 for a tag only drafts carry), most first:
// staff's view of what readers see.
func (db *DB) TagsWithPublicCounts(ctx context.Context, now time.Time) ([]news.Tag, []int, error) {
	return db.tagsByPublicCount(ctx, "LEFT JOIN", now)
}

// tagsByPublicCount counts the visible links once, through the link
// table's (tag_id, visible_from) index, and joins the tags to them.
func (db *DB) tagsByPublicCount(ctx context.Context, join string, now time.Time) ([]news.Tag, []int, error) {
	rows, err := db.read(ctx, `SELECT t.id, t.slug, t.name, COALESCE(c.n, 0) AS n
		FROM tags t `+join+` (SELECT tag_id, COUNT(*) AS n FROM article_tags WHERE visible_from <= ? GROUP BY tag_id) c
		ON c.tag_id = t.id ORDER BY n DESC, t.name`, unix(now))
	if err != nil {
		return nil, nil, fmt.Errorf("store: tags by public count: %w", err)
	}
	return scanTagCounts(rows)
}
