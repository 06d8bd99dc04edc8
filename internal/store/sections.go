package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"dastan/internal/links"
	"dastan/internal/news"
)

// Sections returns every section, parents before children, in position order.
func (db *DB) Sections(ctx context.Context) ([]news.Section, error) {
	rows, err := db.read(ctx, `SELECT id, COALESCE(parent_id, 0), slug, name, path, position FROM sections ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("store: sections: %w", err)
	}
	defer rows.Close()
	var out []news.Section
	for rows.Next() {
		var s news.Section
		if err := rows.Scan(&s.ID, &s.ParentID, &s.Slug, &s.Name, &s.Path, &s.Position); err != nil {
			return nil, fmt.Errorf("store: sections: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SaveSection creates a section under parentID (0 for the top level), or
// renames the one with s.ID. Its path follows its parent's.
func (db *DB) SaveSection(ctx context.Context, s *news.Section) error {
	if strings.TrimSpace(s.Name) == "" {
		return errors.New("store: a section needs a name")
	}
	if s.Slug == "" {
		s.Slug = news.Slugify(s.Name)
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		s.Path = s.Slug
		var parent any
		if s.ParentID != 0 {
			var ppath string
			if err := db.txRow(ctx, tx, `SELECT path FROM sections WHERE id = ?`, s.ParentID).Scan(&ppath); err != nil {
				return fmt.Errorf("store: section parent %d: %w", s.ParentID, notFound(err))
			}
			s.Path = ppath + "/" + s.Slug
			parent = s.ParentID
		}
		if s.ID == 0 {
			return db.txRow(ctx, tx, `INSERT INTO sections (parent_id, slug, name, path, position) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				parent, s.Slug, s.Name, s.Path, s.Position).Scan(&s.ID)
		}
		var old string
		if err := db.txRow(ctx, tx, `SELECT path FROM sections WHERE id = ?`, s.ID).Scan(&old); err != nil {
			return fmt.Errorf("store: section %d: %w", s.ID, notFound(err))
		}
		if _, err := db.txExec(ctx, tx, `UPDATE sections SET parent_id = ?, slug = ?, name = ?, path = ?, position = ? WHERE id = ?`,
			parent, s.Slug, s.Name, s.Path, s.Position, s.ID); err != nil {
			return err
		}
		// Children's paths move with their parent, and the articles below
		// are linked again to their new ancestors.
		if _, err := db.txExec(ctx, tx, `UPDATE sections SET path = ? || substr(path, ?) WHERE path LIKE ?`,
			s.Path, len(old)+1, old+"/%"); err != nil {
			return err
		}
		// Old addresses of the section and everything below it redirect.
		if old != s.Path {
			rows, err := db.txRead(ctx, tx, `SELECT path FROM sections WHERE path = ? OR path LIKE ?`, s.Path, s.Path+"/%")
			if err != nil {
				return err
			}
			var moved []string
			for rows.Next() {
				var p string
				if err := rows.Scan(&p); err != nil {
					rows.Close()
					return err
				}
				moved = append(moved, p)
			}
			rows.Close()
			for _, p := range moved {
				if err := db.movedTo(ctx, tx, links.Section(old+p[len(s.Path):]), links.Section(p)); err != nil {
					return err
				}
			}
		}
		below := `a.section_id IN (SELECT id FROM sections WHERE path = ? OR path LIKE ?)`
		if _, err := db.txExec(ctx, tx, `DELETE FROM article_sections WHERE article_id IN (SELECT a.id FROM articles a WHERE `+below+`)`, s.Path, s.Path+"/%"); err != nil {
			return err
		}
		return db.linkSections(ctx, tx, below, s.Path, s.Path+"/%")
	})
	if err != nil {
		return fmt.Errorf("store: save section %q: %w", s.Name, err)
	}
	db.bump(ctx)
	return nil
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
