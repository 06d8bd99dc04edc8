package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Comment is a reader's comment, pingback or trackback on an article.
type Comment struct {
	ID        int64
	ArticleID int64
	WPID      int64
	ParentWP  int64
	Author    string
	Email     string
	URL       string
	IP        string
	Body      string
	Status    string // approved, pending, spam, trash
	Kind      string // comment, pingback, trackback
	CreatedAt time.Time
}

// writeComments replaces an article's imported comments inside tx.
func (db *DB) writeComments(ctx context.Context, tx *sql.Tx, articleID int64, list []Comment) error {
	if _, err := db.txExec(ctx, tx, `DELETE FROM comments WHERE article_id = ? AND wp_id <> 0`, articleID); err != nil {
		return err
	}
	for _, c := range list {
		_, err := db.txExec(ctx, tx, (`INSERT INTO comments (article_id, wp_id, parent_wp_id, author, email, url, ip, body, status, kind, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			articleID, c.WPID, c.ParentWP, c.Author, c.Email, c.URL, c.IP, c.Body, c.Status, c.Kind, unix(c.CreatedAt))
		if err != nil {
			return fmt.Errorf("comment %d: %w", c.WPID, err)
		}
	}
	return nil
}

// Comments returns an article's comments, oldest first.
func (db *DB) Comments(ctx context.Context, articleID int64) ([]Comment, error) {
	rows, err := db.read(ctx, `SELECT id, article_id, wp_id, parent_wp_id, author, email, url, ip, body, status, kind, created_at
		FROM comments WHERE article_id = ? ORDER BY created_at, id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		var at int64
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.WPID, &c.ParentWP, &c.Author, &c.Email, &c.URL, &c.IP, &c.Body, &c.Status, &c.Kind, &at); err != nil {
			return nil, fmt.Errorf("store: comments: %w", err)
		}
		c.CreatedAt = fromUnix(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountComments returns how many comments the store keeps.
func (db *DB) CountComments(ctx context.Context) (int, error) {
	var n int
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM comments`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count comments: %w", err)
	}
	return n, nil
}
