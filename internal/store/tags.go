package store

import (
	"context"
	"fmt"
	"strings"

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
