package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PreviewLink is a link that shows an article, whatever its status, to
// anyone who has it, until it expires or is revoked.
type PreviewLink struct {
	ID           int64
	ArticleID    int64
	CreatedBy    int64
	CreatorEmail string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	RevokedAt    time.Time // zero while it works
}

const previewLinkCols = `p.id, p.article_id, p.created_by, u.email, p.created_at, p.expires_at, p.revoked_at`

func scanPreviewLink(s scanner) (PreviewLink, error) {
	var p PreviewLink
	var created, expires, revoked int64
	err := s.Scan(&p.ID, &p.ArticleID, &p.CreatedBy, &p.CreatorEmail, &created, &expires, &revoked)
	p.CreatedAt, p.ExpiresAt = fromUnix(created), fromUnix(expires)
	if revoked > 0 {
		p.RevokedAt = fromUnix(revoked)
	}
	return p, err
}

// CreatePreviewLink records p with its audit entry and sets p.ID.
func (db *DB) CreatePreviewLink(ctx context.Context, p *PreviewLink, audit AuditEntry) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.txRow(ctx, tx, `INSERT INTO preview_links (article_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?) RETURNING id`,
			p.ArticleID, p.CreatedBy, unix(p.CreatedAt), unix(p.ExpiresAt)).Scan(&p.ID); err != nil {
			return err
		}
		return db.addAudit(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: preview link for article %d: %w", p.ArticleID, err)
	}
	return nil
}

// PreviewLinkByID returns one link.
func (db *DB) PreviewLinkByID(ctx context.Context, id int64) (PreviewLink, error) {
	p, err := scanPreviewLink(db.readRow(ctx, `SELECT `+previewLinkCols+` FROM preview_links p JOIN users u ON u.id = p.created_by WHERE p.id = ?`, id))
	if err != nil {
		return p, fmt.Errorf("store: preview link %d: %w", id, notFound(err))
	}
	return p, nil
}

// PreviewLinks returns an article's links, newest first, revoked and
// expired ones included.
func (db *DB) PreviewLinks(ctx context.Context, articleID int64) ([]PreviewLink, error) {
	rows, err := db.read(ctx, `SELECT `+previewLinkCols+` FROM preview_links p JOIN users u ON u.id = p.created_by
		WHERE p.article_id = ? ORDER BY p.created_at DESC, p.id DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: preview links of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []PreviewLink
	for rows.Next() {
		p, err := scanPreviewLink(rows)
		if err != nil {
			return nil, fmt.Errorf("store: preview links of article %d: %w", articleID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RevokePreviewLink stops a link of an article working from now on, with
// its audit entry.
func (db *DB) RevokePreviewLink(ctx context.Context, articleID, id int64, now time.Time, audit AuditEntry) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := db.txExec(ctx, tx, `UPDATE preview_links SET revoked_at = ? WHERE id = ? AND article_id = ? AND revoked_at = 0`, unix(now), id, articleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return db.addAudit(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: revoke preview link %d: %w", id, err)
	}
	return nil
}

// Secret returns the secret named name, keeping candidate as it when
// there is none yet: the first instance to ask makes it, and every
// instance then reads the same one.
func (db *DB) Secret(ctx context.Context, name, candidate string, now time.Time) (string, error) {
	if _, err := db.write(ctx, `INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`, name, candidate, unix(now)); err != nil {
		return "", fmt.Errorf("store: secret %q: %w", name, err)
	}
	var v string
	if err := db.writeRow(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&v); err != nil {
		return "", fmt.Errorf("store: secret %q: %w", name, err)
	}
	return v, nil
}
