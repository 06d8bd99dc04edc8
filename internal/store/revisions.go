package store

import (
	"context"
	"fmt"
	"time"

	"dastan/internal/news"
)

// Revision is one saved version of an article's words.
type Revision struct {
	ID         int64
	ArticleID  int64
	Version    int64
	Title      string
	Standfirst string
	BodySource string
	BodyFormat news.Format
	UserID     int64
	UserEmail  string
	Note       string
	CreatedAt  time.Time
}

const revisionCols = `r.id, r.article_id, r.version, r.title, r.standfirst, r.body_source, r.body_format, r.user_id, COALESCE(u.email, ''), r.note, r.created_at`

func scanRevision(s scanner) (Revision, error) {
	var r Revision
	var t int64
	err := s.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Title, &r.Standfirst, unpacked{&r.BodySource}, &r.BodyFormat, &r.UserID, &r.UserEmail, &r.Note, &t)
	r.CreatedAt = fromUnix(t)
	return r, err
}

// Revisions returns an article's revisions, newest first.
func (db *DB) Revisions(ctx context.Context, articleID int64, limit int) ([]Revision, error) {
	rows, err := db.read(ctx, `SELECT `+revisionCols+` FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? ORDER BY r.version DESC, r.id DESC LIMIT ?`, articleID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: revisions of %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("store: revisions of %d: %w", articleID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RevisionByID returns one revision of an article.
func (db *DB) RevisionByID(ctx context.Context, articleID, id int64) (Revision, error) {
	r, err := scanRevision(db.readRow(ctx, `SELECT `+revisionCols+` FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? AND r.id = ?`, articleID, id))
	if err != nil {
		return r, fmt.Errorf("store: revision %d: %w", id, notFound(err))
	}
	return r, nil
}
