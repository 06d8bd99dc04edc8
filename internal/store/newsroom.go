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

// NewsroomQuery selects articles for the newsroom's list. Zero fields do
// not filter; trashed articles appear only when Trash is set.
type NewsroomQuery struct {
	Status    news.Status
	SectionID int64
	AuthorID  int64
	Lang      string
	Search    string // words in the title
	Trash     bool
	// Viewer, when set, limits the list to what that user may see: the
	// articles they started, and others' only in the statuses OthersIn.
	Viewer   int64
	OthersIn []news.Status
	// CountLimit stops counting there (0: count all); Listing.Total is
	// then CountLimit+1 when more match, and pages say "more than".
	CountLimit int
	Limit      int
	Offset     int
}

// NewsroomArticles returns a page of summaries, most recently changed
// first, with authors, and how many match in all.
func (db *DB) NewsroomArticles(ctx context.Context, nq NewsroomQuery) (Listing, error) {
	f := articleFilter{trash: trashHidden, withPages: true, viewer: nq.Viewer, othersIn: nq.OthersIn, lang: nq.Lang,
		titleWords: strings.Fields(nq.Search), probeLinks: true}
	switch {
	case nq.Trash:
		f.trash = trashOnly
	case nq.Status != "":
		f.statuses = []news.Status{nq.Status}
	}
	if nq.SectionID != 0 {
		f.sectionIDs = []int64{nq.SectionID}
	}
	if nq.AuthorID != 0 {
		f.authorIDs = []int64{nq.AuthorID}
	}
	if nq.Limit <= 0 {
		nq.Limit = 25
	}
	order := listOrder{key: byUpdated}
	p, err := db.list(ctx, f.articlesSQL(db.dialect, order), pageSpec{what: "newsroom articles", limit: nq.Limit, offset: nq.Offset,
		countCap: nq.CountLimit, bylines: true, order: order})
	return p.Listing, err
}

// ArticleOwner returns the id of the user who started the article.
func (db *DB) ArticleOwner(ctx context.Context, id int64) (int64, error) {
	var uid int64
	err := db.readRow(ctx, `SELECT created_by FROM articles WHERE id = ?`, id).Scan(&uid)
	if err != nil {
		return 0, fmt.Errorf("store: owner of article %d: %w", id, notFound(err))
	}
	return uid, nil
}

// SetArticleOwner records who started the article.
func (db *DB) SetArticleOwner(ctx context.Context, id, userID int64) error {
	_, err := db.write(ctx, `UPDATE articles SET created_by = ? WHERE id = ?`, userID, id)
	if err != nil {
		return fmt.Errorf("store: owner of article %d: %w", id, err)
	}
	return nil
}

// TrashArticle moves an article into the trash, remembering its status,
// and records audit (when set) in the same transaction. Like a save it
// must be based on the current version.
func (db *DB) TrashArticle(ctx context.Context, id, version int64, now time.Time, audit *AuditEntry) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := db.txExec(ctx, tx, `UPDATE articles SET trashed_from = status, status = 'trash', deleted_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND status <> 'trash'`, unix(now), id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		return db.auditArticle(ctx, tx, id, now, audit)
	})
	if err != nil {
		return fmt.Errorf("store: trash article %d: %w", id, err)
	}
	db.bump(ctx)
	return nil
}

// RestoreArticle takes an article out of the trash: with the status it
// had when that is one of keep, as a draft otherwise. It records audit
// (when set) in the same transaction and returns the status the article
// had before the trash and the one it has now.
func (db *DB) RestoreArticle(ctx context.Context, id int64, keep []news.Status, now time.Time, audit *AuditEntry) (had, status news.Status, err error) {
	back := `'draft'`
	args := []any{}
	if len(keep) > 0 {
		back = `CASE WHEN trashed_from IN (` + placeholders(len(keep)) + `) THEN trashed_from ELSE 'draft' END`
		for _, s := range keep {
			args = append(args, s)
		}
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.txRow(ctx, tx, `SELECT trashed_from FROM articles WHERE id = ? AND status = 'trash'`, id).Scan(&had); err != nil {
			return notFound(err)
		}
		err := db.txRow(ctx, tx, `UPDATE articles SET status = `+back+`, trashed_from = '', deleted_at = 0, version = version + 1
			WHERE id = ? AND status = 'trash' RETURNING status`, append(args, id)...).Scan(&status)
		if err != nil {
			return notFound(err)
		}
		return db.auditArticle(ctx, tx, id, now, audit)
	})
	if err != nil {
		return "", "", fmt.Errorf("store: restore article %d: %w", id, err)
	}
	db.bump(ctx)
	return had, status, nil
}

// auditArticle records e, when set, about article id inside tx.
func (db *DB) auditArticle(ctx context.Context, tx *sql.Tx, id int64, now time.Time, e *AuditEntry) error {
	if e == nil {
		return nil
	}
	entry := *e
	if entry.Subject == "" {
		entry.Subject = fmt.Sprintf("article %d", id)
	}
	if entry.CreatedAt.IsZero() {
		entry.CreatedAt = now
	}
	return db.addAudit(ctx, tx, entry)
}

// TrashedAt returns when an article went into the trash; zero if it is not there.
func (db *DB) TrashedAt(ctx context.Context, id int64) (time.Time, error) {
	var t int64
	err := db.readRow(ctx, `SELECT deleted_at FROM articles WHERE id = ?`, id).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: article %d: %w", id, notFound(err))
	}
	return fromUnix(t), nil
}

// PurgeTrash deletes for good the articles trashed before cutoff.
func (db *DB) PurgeTrash(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := db.write(ctx, `DELETE FROM articles WHERE status = 'trash' AND deleted_at > 0 AND deleted_at < ?`, unix(cutoff))
	if err != nil {
		return 0, fmt.Errorf("store: purge trash: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

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
	err := s.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Title, &r.Standfirst, &r.BodySource, &r.BodyFormat, &r.UserID, &r.UserEmail, &r.Note, &t)
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
	err := db.tx(ctx, func(tx *sql.Tx) error {
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
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: rename tag %d: %w", id, err)
	}
	db.bump(ctx)
	return nil
}

// MergeTags moves every article of tag from onto tag into, and deletes
// from. Audit entries are recorded in the same transaction.
func (db *DB) MergeTags(ctx context.Context, from, into int64, audit ...AuditEntry) error {
	if from == into {
		return nil
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
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
		if err := db.movedTo(ctx, tx, links.Tag(fromSlug), links.Tag(intoSlug), db.changedAt(audit)); err != nil {
			return err
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: merge tag %d into %d: %w", from, into, err)
	}
	db.bump(ctx)
	return nil
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
