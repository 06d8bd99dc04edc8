package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		if a.ID == 0 {
			return db.txRow(ctx, tx, `INSERT INTO authors (slug, name, bio, user_id) VALUES (?, ?, ?, ?) RETURNING id`,
				a.Slug, a.Name, a.Bio, a.UserID).Scan(&a.ID) // no article names them yet
		}
		*ch = ChangeAll // bylines name the author on many pages
		_, err := db.txExec(ctx, tx, `UPDATE authors SET slug = ?, name = ?, bio = ?, user_id = ? WHERE id = ?`,
			a.Slug, a.Name, a.Bio, a.UserID, a.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save author %q: %w", a.Name, err)
	}
	return nil
}

// Authors returns every author by name.
func (db *DB) Authors(ctx context.Context) ([]news.Author, error) {
	rows, err := db.read(ctx, `SELECT id, slug, name, bio, user_id FROM authors ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: authors: %w", err)
	}
	return scanAuthors(rows)
}

func scanAuthors(rows *sql.Rows) ([]news.Author, error) {
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

// PublicAuthors returns, by name, the authors with articles readers may
// see at now: each is one lookup in the link table's (author_id,
// visible_from) index.
func (db *DB) PublicAuthors(ctx context.Context, now time.Time) ([]news.Author, error) {
	rows, err := db.read(ctx, `SELECT a.id, a.slug, a.name, a.bio, a.user_id FROM authors a WHERE EXISTS
		(SELECT 1 FROM article_authors lt WHERE lt.author_id = a.id AND lt.visible_from <= ?) ORDER BY a.name`, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: public authors: %w", err)
	}
	return scanAuthors(rows)
}

// AuthorVisible reports whether the author id has an article readers
// may see at now. A byline only on drafts has no public page, and is
// listed to no reader, until then.
func (db *DB) AuthorVisible(ctx context.Context, id int64, now time.Time) (bool, error) {
	return db.linkVisible(ctx, `SELECT 1 FROM article_authors WHERE author_id = ? AND visible_from <= ? LIMIT 1`, id, now)
}

// linkVisible runs a query for one visible link of id at now.
func (db *DB) linkVisible(ctx context.Context, query string, id int64, now time.Time) (bool, error) {
	var one int
	err := db.readRow(ctx, query, id, unix(now)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: visible %d: %w", id, err)
	}
	return true, nil
}

// attachAuthors fills each article's byline in one query.
func (db *DB) attachAuthors(ctx context.Context, list []news.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids, index := idsOf(list)
	rows, err := db.read(ctx, (`SELECT aa.article_id, au.id, au.slug, au.name, au.bio, au.user_id
		FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		WHERE aa.article_id IN (` + placeholders(len(ids)) + `) ORDER BY aa.article_id, aa.position`), ids...)
	if err != nil {
		return fmt.Errorf("store: bylines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var au news.Author
		if err := rows.Scan(&aid, &au.ID, &au.Slug, &au.Name, &au.Bio, &au.UserID); err != nil {
			return fmt.Errorf("store: bylines: %w", err)
		}
		for _, i := range index[aid] {
			list[i].Authors = append(list[i].Authors, au)
		}
	}
	return rows.Err()
}

// SitemapAuthors returns the authors with visible articles, by id, with
// when their newest article changed.
func (db *DB) SitemapAuthors(ctx context.Context, now time.Time) ([]SitemapEntry, error) {
	return db.linkEntries(ctx, "authors", "article_authors", "author_id", now)
}
