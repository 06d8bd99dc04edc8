package store

import (
	"context"
	"fmt"
	"strings"

	"dastan/internal/news"
)

// AuthorBySlug returns the author with that slug.
func (db *DB) AuthorBySlug(ctx context.Context, slug string) (news.Author, error) {
	if !validKey(slug) {
		return news.Author{}, fmt.Errorf("store: %q: %w", slug, ErrNotFound)
	}
	var a news.Author
	err := db.readRow(ctx, (`SELECT id, slug, name, bio, user_id FROM authors WHERE slug = ?`), slug).
		Scan(&a.ID, &a.Slug, &a.Name, &a.Bio, &a.UserID)
	if err != nil {
		return a, fmt.Errorf("store: author %q: %w", slug, notFound(err))
	}
	return a, nil
}

// SaveAuthor creates the author, or updates the one with a.ID.
func (db *DB) SaveAuthor(ctx context.Context, a *news.Author) error {
	if strings.TrimSpace(a.Name) == "" {
		return fmt.Errorf("store: an author needs a name")
	}
	if a.Slug == "" {
		a.Slug = news.Slugify(a.Name)
	}
	var err error
	if a.ID == 0 {
		err = db.writeRow(ctx, `INSERT INTO authors (slug, name, bio, user_id) VALUES (?, ?, ?, ?) RETURNING id`,
			a.Slug, a.Name, a.Bio, a.UserID).Scan(&a.ID)
	} else {
		_, err = db.write(ctx, `UPDATE authors SET slug = ?, name = ?, bio = ?, user_id = ? WHERE id = ?`,
			a.Slug, a.Name, a.Bio, a.UserID, a.ID)
	}
	if err != nil {
		return fmt.Errorf("store: save author %q: %w", a.Name, err)
	}
	db.bump(ctx)
	return nil
}

// Authors returns every author by name.
func (db *DB) Authors(ctx context.Context) ([]news.Author, error) {
	rows, err := db.read(ctx, `SELECT id, slug, name, bio, user_id FROM authors ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: authors: %w", err)
	}
	defer rows.Close()
	var out []news.Author
	for rows.Next() {
		var a news.Author
		if err := rows.Scan(&a.ID, &a.Slug, &a.Name, &a.Bio, &a.UserID); err != nil {
			return nil, fmt.Errorf("store: authors: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
