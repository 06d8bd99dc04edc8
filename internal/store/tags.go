package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dastan/internal/links"
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

// TagByID returns the tag with that id.
func (db *DB) TagByID(ctx context.Context, id int64) (news.Tag, error) {
	var t news.Tag
	err := db.readRow(ctx, `SELECT id, slug, name FROM tags WHERE id = ?`, id).Scan(&t.ID, &t.Slug, &t.Name)
	if err != nil {
		return t, fmt.Errorf("store: tag %d: %w", id, notFound(err))
	}
	return t, nil
}

// TagByName returns the oldest tag named name (WordPress lets tags of
// one name have different slugs), or ErrNotFound.
func (db *DB) TagByName(ctx context.Context, name string) (news.Tag, error) {
	var t news.Tag
	err := db.readRow(ctx, `SELECT id, slug, name FROM tags WHERE name = ? ORDER BY id LIMIT 1`, name).Scan(&t.ID, &t.Slug, &t.Name)
	if err != nil {
		return t, fmt.Errorf("store: tag %q: %w", name, notFound(err))
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

// ImportTag returns the tag with slug, creating it with name if it is new.
func (db *DB) ImportTag(ctx context.Context, slug, name string) (news.Tag, error) {
	t := news.Tag{Slug: slug, Name: name}
	err := db.writeRow(ctx, `INSERT INTO tags (slug, name) VALUES (?, ?)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id`, slug, name).Scan(&t.ID)
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

// tagsByPublicCount joins the tags to their visible counts (see
// visibleCountsSQL).
func (db *DB) tagsByPublicCount(ctx context.Context, join string, now time.Time) ([]news.Tag, []int, error) {
	rows, err := db.read(ctx, `SELECT t.id, t.slug, t.name, COALESCE(c.n, 0) AS n
		FROM tags t `+join+` (`+db.visibleCountsSQL("tag")+`) c
		ON c.id = t.id AND c.n > 0 ORDER BY n DESC, t.name`, unix(now))
	if err != nil {
		return nil, nil, fmt.Errorf("store: tags by public count: %w", err)
	}
	return scanTagCounts(rows)
}

// attachTags fills each article's tags in one query.
func (db *DB) attachTags(ctx context.Context, list []news.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids, index := idsOf(list)
	rows, err := db.read(ctx, (`SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id IN (` + placeholders(len(ids)) + `) ORDER BY at.article_id, t.name`), ids...)
	if err != nil {
		return fmt.Errorf("store: tags of articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var t news.Tag
		if err := rows.Scan(&aid, &t.ID, &t.Slug, &t.Name); err != nil {
			return fmt.Errorf("store: tags of articles: %w", err)
		}
		for _, i := range index[aid] {
			list[i].Tags = append(list[i].Tags, t)
		}
	}
	return rows.Err()
}

// RenameTag gives a tag a new name and slug; its page moves with the
// slug. Audit entries are recorded in the same transaction.
func (db *DB) RenameTag(ctx context.Context, id int64, name, slug string, audit ...AuditEntry) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("store: a tag needs a name")
	}
	if slug == "" {
		slug = news.Slugify(name)
	}
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		*ch = ChangeAll // tag links are on every page that shows the tag
		var other int64
		err := db.txRow(ctx, tx, `SELECT id FROM tags WHERE slug = ? AND id <> ?`, slug, id).Scan(&other)
		if err == nil {
			return fmt.Errorf("tag %q: %w", slug, ErrExists)
		}
		if err != sql.ErrNoRows {
			return err
		}
		var old string
		if err := db.txRow(ctx, tx, `SELECT slug FROM tags WHERE id = ?`, id).Scan(&old); err != nil {
			return notFound(err)
		}
		if _, err := db.txExec(ctx, tx, `UPDATE tags SET name = ?, slug = ? WHERE id = ?`, name, slug, id); err != nil {
			return err
		}
		if err := db.movedTo(ctx, tx, links.Tag(old), links.Tag(slug), db.changedAt(audit)); err != nil {
			return err // old links keep working
		}
		if err := db.askTagDocs(ctx, tx, id); err != nil {
			return err
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: rename tag %d: %w", id, err)
	}
	db.tagDocs.rewrite(db, id)
	return nil
}

// MergeTags moves every article of tag from onto tag into, and deletes
// from. Audit entries are recorded in the same transaction.
func (db *DB) MergeTags(ctx context.Context, from, into int64, audit ...AuditEntry) error {
	if from == into {
		return nil
	}
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		*ch = ChangeAll // tag links are on every page that shows the tag
		if _, err := db.txExec(ctx, tx, `INSERT INTO article_tags (article_id, tag_id, published_at, visible_from)
			SELECT article_id, ?, published_at, visible_from FROM article_tags WHERE tag_id = ?
			ON CONFLICT (article_id, tag_id) DO NOTHING`, into, from); err != nil {
			return err
		}
		if _, err := db.txExec(ctx, tx, `DELETE FROM article_tags WHERE tag_id = ?`, from); err != nil {
			return err
		}
		var fromSlug, intoSlug string
		if err := db.txRow(ctx, tx, `SELECT slug FROM tags WHERE id = ?`, from).Scan(&fromSlug); err != nil {
			return notFound(err)
		}
		if err := db.txRow(ctx, tx, `SELECT slug FROM tags WHERE id = ?`, into).Scan(&intoSlug); err != nil {
			return notFound(err)
		}
		if _, err := db.txExec(ctx, tx, `DELETE FROM tags WHERE id = ?`, from); err != nil {
			return err
		}
		// Filters follow the merge at once; the words, a batch at a
		// time after it (tagDocs).
		if q := db.dialect.mergeTagFacets(); q != "" {
			if _, err := db.txExec(ctx, tx, q, facet('t', from), facet('t', into), facet('t', from)); err != nil {
				return err
			}
		}
		if err := db.movedTo(ctx, tx, links.Tag(fromSlug), links.Tag(intoSlug), db.changedAt(audit)); err != nil {
			return err
		}
		if err := db.dropTagDocs(ctx, tx, from); err != nil {
			return err
		}
		if err := db.askTagDocs(ctx, tx, into); err != nil {
			return err
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: merge tag %d into %d: %w", from, into, err)
	}
	db.tagDocs.rewrite(db, into)
	return nil
}

// SitemapTags returns the tags that carry visible articles, by id, with
// when their newest article changed.
func (db *DB) SitemapTags(ctx context.Context, now time.Time) ([]SitemapEntry, error) {
	return db.linkEntries(ctx, "tags", "article_tags", "tag_id", now)
}
