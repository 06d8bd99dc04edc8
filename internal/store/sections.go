package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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

// SectionByPath returns the section at path ("news/kazakhstan").
func (db *DB) SectionByPath(ctx context.Context, path string) (news.Section, error) {
	var s news.Section
	err := db.readRow(ctx, `SELECT id, COALESCE(parent_id, 0), slug, name, path, position FROM sections WHERE path = ?`, path).
		Scan(&s.ID, &s.ParentID, &s.Slug, &s.Name, &s.Path, &s.Position)
	if err != nil {
		return s, fmt.Errorf("store: section %q: %w", path, notFound(err))
	}
	return s, nil
}

// SaveSection creates a section under parentID (0 for the top level), or
// renames or moves the one with s.ID. Its path follows its parent's, its
// children's paths follow its own, and the old addresses redirect. A path
// another section has is ErrExists; a parent inside the section itself
// (the tree changed since it was read) is ErrConflict. Audit entries are
// recorded in the same transaction.
func (db *DB) SaveSection(ctx context.Context, s *news.Section, audit ...AuditEntry) error {
	if strings.TrimSpace(s.Name) == "" {
		return errors.New("store: a section needs a name")
	}
	if s.Slug == "" {
		s.Slug = news.Slugify(s.Name)
	}
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		*ch = ChangeAll // the sections bar is on every page
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
		var other int64
		err := db.txRow(ctx, tx, `SELECT id FROM sections WHERE path = ? AND id <> ?`, s.Path, s.ID).Scan(&other)
		if err == nil {
			return fmt.Errorf("path %q: %w", s.Path, ErrExists)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if s.ID == 0 {
			if err := db.txRow(ctx, tx, `INSERT INTO sections (parent_id, slug, name, path, position) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				parent, s.Slug, s.Name, s.Path, s.Position).Scan(&s.ID); err != nil {
				return err
			}
			return db.auditIn(ctx, tx, audit)
		}
		var old string
		if err := db.txRow(ctx, tx, `SELECT path FROM sections WHERE id = ?`, s.ID).Scan(&old); err != nil {
			return fmt.Errorf("store: section %d: %w", s.ID, notFound(err))
		}
		if strings.HasPrefix(s.Path+"/", old+"/") && s.Path != old {
			return fmt.Errorf("section %d inside itself: %w", s.ID, ErrConflict)
		}
		if _, err := db.txExec(ctx, tx, `UPDATE sections SET parent_id = ?, slug = ?, name = ?, path = ?, position = ? WHERE id = ?`,
			parent, s.Slug, s.Name, s.Path, s.Position, s.ID); err != nil {
			return err
		}
		if old != s.Path {
			if err := db.moveSectionTree(ctx, tx, old, s.Path, db.changedAt(audit)); err != nil {
				return err
			}
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: save section %q: %w", s.Name, err)
	}
	return nil
}

// moveSectionTree follows a section's move from path old to path to:
// its children's paths move with it, the old addresses of it and of
// everything below redirect, and the articles below are linked again to
// their new ancestors.
func (db *DB) moveSectionTree(ctx context.Context, tx *sql.Tx, old, to string, at time.Time) error {
	if _, err := db.txExec(ctx, tx, `UPDATE sections SET path = ? || substr(path, ?) WHERE path LIKE ?`,
		to, len(old)+1, old+"/%"); err != nil {
		return err
	}
	rows, err := db.txRead(ctx, tx, `SELECT path FROM sections WHERE path = ? OR path LIKE ?`, to, to+"/%")
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
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range moved {
		if err := db.movedTo(ctx, tx, links.Section(old+p[len(to):]), links.Section(p), at); err != nil {
			return err
		}
	}
	below := `a.section_id IN (SELECT id FROM sections WHERE path = ? OR path LIKE ?)`
	if _, err := db.txExec(ctx, tx, `DELETE FROM article_sections WHERE article_id IN (SELECT a.id FROM articles a WHERE `+below+`)`, to, to+"/%"); err != nil {
		return err
	}
	return db.linkSections(ctx, tx, below, to, to+"/%")
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// SectionsLastMod returns, for each section with articles readers may see
// at now in it or below it, when the newest of them last changed: what
// the section's page opens with. Each is one step into the section's
// link index (article_sections holds every article under each of its
// ancestors too), so the list costs what the number of sections does,
// not the archive.
func (db *DB) SectionsLastMod(ctx context.Context, now time.Time) (map[int64]time.Time, error) {
	rows, err := db.read(ctx, `SELECT s.id, (SELECT a.updated_at FROM article_sections x JOIN articles a ON a.id = x.article_id
			WHERE x.section_id = s.id AND x.visible_from <= ?
			ORDER BY x.visible_from DESC, x.article_id DESC LIMIT 1) FROM sections s`, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sections' last changes: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var upd sql.NullInt64
		if err := rows.Scan(&id, &upd); err != nil {
			return nil, fmt.Errorf("store: sections' last changes: %w", err)
		}
		if upd.Valid {
			out[id] = fromUnix(upd.Int64)
		}
	}
	return out, rows.Err()
}
