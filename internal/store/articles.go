package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"dastan/internal/news"
)

// summaryCols are what a listing shows; the body stays in the table.
// translation_of is there for the versions a listing names (the API's).
const summaryCols = `a.id, a.slug, a.title, a.standfirst, a.excerpt, a.lang, a.status, a.published_at, a.updated_at,
	COALESCE(a.section_id, 0), a.image_url, a.image_alt, a.reading_minutes, a.sticky, a.version,
	a.image_width, a.image_height, a.image_srcset, a.translation_of`

const fullCols = summaryCols + `, a.body_source, ` + pastSourceCols

// shownCols are fullCols but for the body's source, which only the
// newsroom and the API show: a reader's page, read most, reads its HTML
// alone (an empty string stands in for the source, about as long again).
const shownCols = summaryCols + `, '', ` + pastSourceCols

// pastSourceCols are a whole article's columns after its body's source.
const pastSourceCols = `a.body_format, a.body_html, a.manual_excerpt, a.created_at,
	a.image_caption, a.image_credit,
	a.seo_title, a.seo_description, a.password`

// visible is the condition for an article readers may see at time ?:
// scheduled articles appear by themselves once their time has come.
// visible_from is NULL for drafts, private and trashed articles (see
// migration 0007).
const visible = `a.visible_from <= ?`

// Kinds of article rows: stories appear in listings, pages only at their
// own address.
const (
	KindArticle = "article"
	KindPage    = "page"
)

type scanner interface{ Scan(...any) error }

func scanSummary(s scanner, a *news.Article, extra ...any) error {
	var pub, upd int64
	var sticky int64
	var img, alt, srcset string
	var w, h int
	dst := append([]any{&a.ID, &a.Slug, &a.Title, &a.Standfirst, &a.Excerpt, &a.Lang, &a.Status, &pub, &upd,
		&a.SectionID, &img, &alt, &a.ReadingMinutes, &sticky, &a.Version, &w, &h, &srcset, &a.TranslationOf}, extra...)
	if err := s.Scan(dst...); err != nil {
		return err
	}
	a.PublishedAt, a.UpdatedAt, a.Sticky = fromUnix(pub), fromUnix(upd), sticky != 0
	if img != "" {
		// Listings show pictures at their size and from the renditions,
		// so the summary carries both.
		a.Image = &news.Figure{URL: img, Alt: alt, Width: w, Height: h, SrcSet: srcset}
	}
	return nil
}

func scanFull(s scanner) (news.Article, error) { return scanFullAnd(s) }

// scanFullAnd is scanFull of a row with more columns after the article's,
// scanned into extra.
func scanFullAnd(s scanner, extra ...any) (news.Article, error) {
	var a news.Article
	var created int64
	var f news.Figure
	err := scanSummary(s, &a, append([]any{unpacked{&a.BodySource}, &a.BodyFormat, unpacked{&a.BodyHTML}, &a.ManualExcerpt, &created,
		&f.Caption, &f.Credit, &a.SEOTitle, &a.SEODescription, &a.Password}, extra...)...)
	if err != nil {
		return a, err
	}
	a.CreatedAt = fromUnix(created)
	if a.Image != nil {
		f.URL, f.Alt, f.Width, f.Height, f.SrcSet = a.Image.URL, a.Image.Alt, a.Image.Width, a.Image.Height, a.Image.SrcSet
		a.Image = &f
	}
	return a, nil
}

// ArticleBySlug returns the whole article with that slug, with its authors,
// tags and section id; callers decide whether a reader may see it.
func (db *DB) ArticleBySlug(ctx context.Context, slug string) (news.Article, error) {
	if !validKey(slug) {
		return news.Article{}, fmt.Errorf("store: article %q: %w", slug, ErrNotFound)
	}
	return db.article(ctx, db.articleSQL().bySlug, slug)
}

// ArticleToShow is ArticleBySlug without the body's source (BodySource
// is empty): the article as its page shows it to readers.
func (db *DB) ArticleToShow(ctx context.Context, slug string) (news.Article, error) {
	if !validKey(slug) {
		return news.Article{}, fmt.Errorf("store: article %q: %w", slug, ErrNotFound)
	}
	return db.article(ctx, db.articleSQL().toShow, slug)
}

// ArticleByID returns the whole article with that id.
func (db *DB) ArticleByID(ctx context.Context, id int64) (news.Article, error) {
	return db.article(ctx, db.articleSQL().byID, id)
}

// articleReads are the reads of one article, with its byline and its
// tags as JSON lists (see article), in the engine's SQL, made once.
type articleReads struct {
	once                 sync.Once
	bySlug, byID, toShow string
}

func (db *DB) articleSQL() *articleReads {
	r := &db.articleReads
	r.once.Do(func() {
		read := func(cols, where string) string {
			return `SELECT ` + cols + `,
	(SELECT ` + db.dialect.jsonList(`'ID', au.id, 'Slug', au.slug, 'Name', au.name, 'Bio', au.bio, 'UserID', au.user_id`, `aa.position`) + `
		FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id),
	(SELECT ` + db.dialect.jsonList(`'ID', t.id, 'Slug', t.slug, 'Name', t.name`, `t.name`) + `
		FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id)
	FROM articles a WHERE ` + where
		}
		r.bySlug, r.byID, r.toShow = read(fullCols, `a.slug = ?`), read(fullCols, `a.id = ?`), read(shownCols, `a.slug = ?`)
	})
	return r
}

// article reads one whole article, its byline and its tags in one query:
// as three (the article, then attachAuthors and attachTags), an article
// page took a reader from SQLite's pool of eight three times, and waiting
// for them was most of its p99 with 32 readers at once; on PostgreSQL
// they were three round trips. The byline and the tags come as JSON lists
// of objects whose keys are news.Author's and news.Tag's fields, in the
// order attachAuthors and attachTags give them.
func (db *DB) article(ctx context.Context, query string, arg any) (news.Article, error) {
	var authors, tags []byte
	a, err := scanFullAnd(db.readRow(ctx, query, arg), &authors, &tags)
	if err != nil {
		return a, fmt.Errorf("store: article %v: %w", arg, notFound(err))
	}
	if err := jsonList(authors, &a.Authors); err != nil {
		return a, fmt.Errorf("store: bylines of article %v: %w", arg, err)
	}
	if err := jsonList(tags, &a.Tags); err != nil {
		return a, fmt.Errorf("store: tags of article %v: %w", arg, err)
	}
	return a, nil
}

// jsonList decodes a JSON list of a query's (see dialect.jsonList) into
// list, leaving it nil when empty, as attachAuthors and attachTags do.
func jsonList[T any](b []byte, list *[]T) error {
	if len(b) <= 2 { // "[]"
		return nil
	}
	return json.Unmarshal(b, list)
}

// ArticleVisible reports whether readers may see the article at now.
func (db *DB) ArticleVisible(ctx context.Context, id int64, now time.Time) (bool, error) {
	var n int
	err := db.readRow(ctx, `SELECT COUNT(*) FROM articles a WHERE a.id = ? AND a.kind = 'article' AND a.visible_from <= ?`, id, unix(now)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: article %d: %w", id, err)
	}
	return n > 0, nil
}

// ArticleKind returns whether the article with id is a story or a page.
func (db *DB) ArticleKind(ctx context.Context, id int64) (string, error) {
	var k string
	err := db.readRow(ctx, `SELECT kind FROM articles WHERE id = ?`, id).Scan(&k)
	if err != nil {
		return "", fmt.Errorf("store: article %d: %w", id, notFound(err))
	}
	return k, nil
}

// SaveArticle writes a prepared article (see news.Prepare), its authors and
// tags, and a revision, in one transaction. A new article gets version 1.
// An existing one is saved only if a.Version is still the stored version,
// so two editors never silently overwrite each other: the loser gets
// ErrConflict. On success a.Version is the new version.
func (db *DB) SaveArticle(ctx context.Context, a *news.Article, userID int64, note string) error {
	return db.WriteArticle(ctx, ArticleWrite{Article: a, UserID: userID, Note: note})
}

// ArticleWrite is one save of an article by a person, with what must be
// written together with it.
type ArticleWrite struct {
	Article *news.Article // prepared (see news.Prepare)
	UserID  int64         // who saves; the revision names them
	Note    string        // why, on the revision
	Now     time.Time     // when; zero is the present moment
	Owner   int64         // when set, recorded as the user who started the article
	Audit   *AuditEntry   // when set, recorded too; an empty Subject names the article
}

// WriteArticle is SaveArticle with the article's owner and an audit entry
// in the same transaction: a crash leaves either all of them or none.
// On failure the article keeps the id, version and slug it came with.
func (db *DB) WriteArticle(ctx context.Context, w ArticleWrite) error {
	a := w.Article
	now := w.Now.UTC()
	if w.Now.IsZero() {
		now = db.now().UTC()
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if a.UpdatedAt.IsZero() || a.ID != 0 {
		a.UpdatedAt = now
	}
	if a.PublishedAt.IsZero() && a.Status.Live() {
		a.PublishedAt = now
	}
	id, version, slug := a.ID, a.Version, a.Slug
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		before, wasLive, err := db.articleReach(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if err := db.writeArticle(ctx, tx, a, w.UserID, w.Note, now); err != nil {
			return err
		}
		after, isLive, err := db.articleReach(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		*ch = articleChange(before, wasLive, after, isLive)
		if w.Owner != 0 {
			if _, err := db.txExec(ctx, tx, `UPDATE articles SET created_by = ? WHERE id = ?`, w.Owner, a.ID); err != nil {
				return fmt.Errorf("owner: %w", err)
			}
		}
		if w.Audit == nil {
			return nil
		}
		e := *w.Audit
		if e.Subject == "" {
			e.Subject = fmt.Sprintf("article %d", a.ID)
		}
		if e.CreatedAt.IsZero() {
			e.CreatedAt = now
		}
		return db.addAudit(ctx, tx, e)
	})
	if err != nil {
		a.ID, a.Version, a.Slug = id, version, slug
		if errors.Is(err, ErrConflict) {
			return err
		}
		return fmt.Errorf("store: save article %q: %w", a.Title, err)
	}
	return nil
}

// writeArticle writes the article row, its links, a revision and its
// derived data inside tx.
func (db *DB) writeArticle(ctx context.Context, tx *sql.Tx, a *news.Article, userID int64, note string, now time.Time) error {
	return db.writeArticleOfKind(ctx, tx, a, "", userID, note, now)
}

// writeArticleOfKind is writeArticle for a row of the given kind
// (KindArticle or KindPage); "" keeps an existing row's kind and makes new
// rows articles. Giving the kind with the row, rather than changing it
// after, writes each link with the right visibility once.
func (db *DB) writeArticleOfKind(ctx context.Context, tx *sql.Tx, a *news.Article, kind string, userID int64, note string, now time.Time) error {
	if err := db.uniqueSlug(ctx, tx, a); err != nil {
		return err
	}
	fresh := a.ID == 0
	source := db.packAhead(a.BodySource) // for the row and the revision alike
	if err := db.writeArticleRow(ctx, tx, a, kind, source); err != nil {
		return err
	}
	if err := db.writeArticleLinks(ctx, tx, a, fresh); err != nil {
		return err
	}
	_, err := db.txExec(ctx, tx, (`INSERT INTO revisions (article_id, version, title, standfirst, body_source, body_format, user_id, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), a.ID, a.Version, a.Title, a.Standfirst, db.pack(a.BodySource, source), a.BodyFormat, userID, note, unix(now))
	if err != nil {
		return err
	}
	return db.afterArticleWrite(ctx, tx, a)
}

// afterArticleWrite is where derived data that must change in the same
// transaction as the article (the search document) is written.
func (db *DB) afterArticleWrite(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	return db.writeSearchDoc(ctx, tx, a)
}

// uniqueSlug gives a the first free slug among slug, slug-2, slug-3 …
func (db *DB) uniqueSlug(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	if a.Slug == "" {
		a.Slug = news.Slugify(a.Title)
	}
	base := a.Slug
	for n := 2; ; n++ {
		var id int64
		err := db.txRow(ctx, tx, (`SELECT id FROM articles WHERE slug = ?`), a.Slug).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && id == a.ID) {
			return nil
		}
		if err != nil {
			return err
		}
		a.Slug = base + "-" + strconv.Itoa(n)
	}
}

// articleColumns are the columns of an article row that a save writes,
// in the order of articleValues; an insert adds created_at, version and kind.
const articleColumns = `slug, title, standfirst, body_source, body_format, body_html, excerpt, manual_excerpt,
	lang, status, published_at, updated_at, reading_minutes, section_id,
	image_url, image_alt, image_caption, image_credit, image_width, image_height, image_srcset, seo_title, seo_description,
	sticky, password, translation_of`

// articleValues are a's values of articleColumns, its body's source and
// HTML packed for the engine, from source's and html's packing where they
// hold one.
func (db *DB) articleValues(a *news.Article, source, html packedAhead) []any {
	var f news.Figure
	if a.Image != nil {
		f = *a.Image
	}
	var section any
	if a.SectionID != 0 {
		section = a.SectionID
	}
	sticky := 0
	if a.Sticky {
		sticky = 1
	}
	return []any{a.Slug, a.Title, a.Standfirst, db.pack(a.BodySource, source), a.BodyFormat, db.pack(a.BodyHTML, html), a.Excerpt, a.ManualExcerpt,
		a.Lang, a.Status, unix(a.PublishedAt), unix(a.UpdatedAt), a.ReadingMinutes, section,
		f.URL, f.Alt, f.Caption, f.Credit, f.Width, f.Height, f.SrcSet, a.SEOTitle, a.SEODescription,
		sticky, a.Password, a.TranslationOf}
}

// source is a's body source packed, which its revision stores too.
func (db *DB) writeArticleRow(ctx context.Context, tx *sql.Tx, a *news.Article, kind string, source packedAhead) error {
	vals := db.articleValues(a, source, packedAhead{})
	if a.ID == 0 {
		a.Version = 1
		if kind == "" {
			kind = KindArticle
		}
		return db.txRow(ctx, tx, (`INSERT INTO articles (` + articleColumns + `, created_at, version, kind)
			VALUES (` + placeholders(len(vals)+3) + `) RETURNING id`), append(vals, unix(a.CreatedAt), 1, kind)...).Scan(&a.ID)
	}
	if kind != "" {
		if _, err := db.txExec(ctx, tx, `UPDATE articles SET kind = ? WHERE id = ? AND kind <> ?`, kind, a.ID, kind); err != nil {
			return err
		}
	}
	res, err := db.txExec(ctx, tx, (`UPDATE articles SET slug = ?, title = ?, standfirst = ?, body_source = ?, body_format = ?, body_html = ?, excerpt = ?, manual_excerpt = ?,
		lang = ?, status = ?, published_at = ?, updated_at = ?, reading_minutes = ?, section_id = ?,
		image_url = ?, image_alt = ?, image_caption = ?, image_credit = ?, image_width = ?, image_height = ?, image_srcset = ?, seo_title = ?, seo_description = ?,
		sticky = ?, password = ?, translation_of = ?, version = version + 1
		WHERE id = ? AND version = ?`), append(vals, a.ID, a.Version)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var cur int64
		if err := db.txRow(ctx, tx, (`SELECT version FROM articles WHERE id = ?`), a.ID).Scan(&cur); err != nil {
			return fmt.Errorf("article %d: %w", a.ID, notFound(err))
		}
		return fmt.Errorf("store: article %d is at version %d, the save was based on %d: %w", a.ID, cur, a.Version, ErrConflict)
	}
	a.Version++
	return nil
}

// writeArticleLinks replaces the article's tags and authors. Tags given by
// name only are created on the fly. A fresh row (inserted in this
// transaction) has no links to remove.
func (db *DB) writeArticleLinks(ctx context.Context, tx *sql.Tx, a *news.Article, fresh bool) error {
	// The row's own visible_from (which knows its status, time and kind)
	// is copied into the links.
	var vis sql.NullInt64
	if err := db.txRow(ctx, tx, `SELECT visible_from FROM articles WHERE id = ?`, a.ID).Scan(&vis); err != nil {
		return err
	}
	for _, table := range []string{"article_tags", "article_authors", "article_sections"} {
		if fresh {
			break
		}
		if _, err := db.txExec(ctx, tx, (`DELETE FROM ` + table + ` WHERE article_id = ?`), a.ID); err != nil {
			return err
		}
	}
	if a.SectionID != 0 {
		if err := db.linkSections(ctx, tx, `a.id = ?`, a.ID); err != nil {
			return fmt.Errorf("sections: %w", err)
		}
	}
	seen := map[int64]bool{}
	for i := range a.Tags {
		t := &a.Tags[i]
		if t.ID == 0 {
			if t.Slug == "" {
				t.Slug = news.Slugify(t.Name)
			}
			err := db.txRow(ctx, tx, (`INSERT INTO tags (slug, name) VALUES (?, ?)
				ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, name`), t.Slug, t.Name).Scan(&t.ID, &t.Name)
			if err != nil {
				return fmt.Errorf("tag %q: %w", t.Name, err)
			}
		}
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		if _, err := db.txExec(ctx, tx, (`INSERT INTO article_tags (article_id, tag_id, visible_from) VALUES (?, ?, ?)`), a.ID, t.ID, vis); err != nil {
			return fmt.Errorf("tag %d: %w", t.ID, err)
		}
	}
	seen = map[int64]bool{}
	for i, au := range a.Authors {
		if seen[au.ID] {
			continue
		}
		seen[au.ID] = true
		if _, err := db.txExec(ctx, tx, (`INSERT INTO article_authors (article_id, author_id, position, visible_from) VALUES (?, ?, ?, ?)`), a.ID, au.ID, i, vis); err != nil {
			return fmt.Errorf("author %d: %w", au.ID, err)
		}
	}
	return nil
}

// linkSections links the articles matching where (over articles a) to
// their section and all its ancestors.
func (db *DB) linkSections(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	_, err := db.txExec(ctx, tx, (`INSERT INTO article_sections (article_id, section_id, visible_from)
		SELECT a.id, s.id, a.visible_from FROM articles a
		JOIN sections me ON me.id = a.section_id
		JOIN sections s ON s.path = me.path OR me.path LIKE s.path || '/%'
		WHERE ` + where), args...)
	return err
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

// NextScheduled returns when the next scheduled article goes live after now.
func (db *DB) NextScheduled(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var t sql.NullInt64
	err := db.readRow(ctx, (`SELECT MIN(published_at) FROM articles WHERE status = 'scheduled' AND published_at > ?`), unix(now)).Scan(&t)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next scheduled: %w", err)
	}
	if !t.Valid {
		return time.Time{}, false, nil
	}
	return fromUnix(t.Int64), true, nil
}

// PublishDue marks scheduled articles whose time has come as published.
// Readers already see them (see visible); this keeps the newsroom's
// status column honest and empties the page caches.
func (db *DB) PublishDue(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		res, err := db.txExec(ctx, tx, `UPDATE articles SET status = 'published', version = version + 1 WHERE status = 'scheduled' AND published_at <= ?`, unix(now))
		if err != nil {
			return err
		}
		if n, _ = res.RowsAffected(); n > 0 {
			*ch = ChangeAll // pages cached before the time came hold them back
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: publish due: %w", err)
	}
	return n, nil
}

// CountArticles returns how many articles the store holds, in any status.
func (db *DB) CountArticles(ctx context.Context) (int, error) {
	var n int
	err := db.readRow(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}

// CountByKind returns how many article rows of each kind and status there are.
func (db *DB) CountByKind(ctx context.Context) (map[string]int, error) {
	rows, err := db.read(ctx, `SELECT kind, status, COUNT(*) FROM articles GROUP BY kind, status`)
	if err != nil {
		return nil, fmt.Errorf("store: count: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k, s string
		var n int
		if err := rows.Scan(&k, &s, &n); err != nil {
			return nil, err
		}
		out[k+"/"+s] = n
		out[k] += n
	}
	return out, rows.Err()
}

// Translation is one language version of an article.
type Translation struct {
	ID   int64
	Slug string
	Lang string
}

// Translations returns the visible language versions of a's story — the
// original and every article that translates it, a included — or nothing
// when a has no translation.
func (db *DB) Translations(ctx context.Context, a news.Article, now time.Time) ([]Translation, error) {
	all, err := db.TranslationsOfAll(ctx, []news.Article{a}, now)
	return all[a.ID], err
}

// TranslationsOfAll is Translations for every article of list in one
// read, for a listing: each article that has visible language versions
// maps to them (itself included), by its id.
func (db *DB) TranslationsOfAll(ctx context.Context, list []news.Article, now time.Time) (map[int64][]Translation, error) {
	rootOf := func(a news.Article) int64 {
		if a.TranslationOf != 0 {
			return a.TranslationOf
		}
		return a.ID
	}
	seen := map[int64]bool{}
	var roots []any
	for _, a := range list {
		if r := rootOf(a); !seen[r] {
			seen[r] = true
			roots = append(roots, r)
		}
	}
	if len(roots) == 0 {
		return nil, nil
	}
	in := placeholders(len(roots))
	args := append(append([]any{}, roots...), unix(now)) // once for each part
	args = append(args, args...)
	// Two index lookups; an OR of the two conditions scans the table.
	rows, err := db.read(ctx, `SELECT id, slug, lang, root FROM (
		SELECT a.id, a.slug, a.lang, a.id AS root FROM articles a WHERE a.id IN (`+in+`) AND `+visible+`
		UNION ALL
		SELECT a.id, a.slug, a.lang, a.translation_of AS root FROM articles a WHERE a.translation_of IN (`+in+`) AND `+visible+`) t ORDER BY id`,
		args...)
	if err != nil {
		return nil, fmt.Errorf("store: translations: %w", err)
	}
	defer rows.Close()
	byRoot := map[int64][]Translation{}
	for rows.Next() {
		var t Translation
		var root int64
		if err := rows.Scan(&t.ID, &t.Slug, &t.Lang, &root); err != nil {
			return nil, fmt.Errorf("store: translations: %w", err)
		}
		byRoot[root] = append(byRoot[root], t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: translations: %w", err)
	}
	out := map[int64][]Translation{}
	for _, a := range list {
		if vs := byRoot[rootOf(a)]; len(vs) >= 2 {
			out[a.ID] = vs
		}
	}
	return out, nil
}

// LanguageVersion is one language version of a story, as the newsroom
// lists it beside the editor.
type LanguageVersion struct {
	ID     int64
	Title  string
	Lang   string
	Status news.Status
}

// LanguageVersions lists the other language versions of a's story —
// its original and the original's other translations, or a's own
// translations — whatever their status, the trash aside.
func (db *DB) LanguageVersions(ctx context.Context, a news.Article) ([]LanguageVersion, error) {
	root := a.ID
	if a.TranslationOf != 0 {
		root = a.TranslationOf
	}
	if root == 0 {
		return nil, nil
	}
	rows, err := db.read(ctx, `SELECT id, title, lang, status FROM (
		SELECT id, title, lang, status FROM articles WHERE id = ?
		UNION ALL
		SELECT id, title, lang, status FROM articles WHERE translation_of = ?) t
		WHERE id <> ? AND status <> 'trash' ORDER BY id`, root, root, a.ID)
	if err != nil {
		return nil, fmt.Errorf("store: language versions of %d: %w", a.ID, err)
	}
	defer rows.Close()
	var out []LanguageVersion
	for rows.Next() {
		var v LanguageVersion
		if err := rows.Scan(&v.ID, &v.Title, &v.Lang, &v.Status); err != nil {
			return nil, fmt.Errorf("store: language versions of %d: %w", a.ID, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SitemapEntry is one URL of a sitemap: a slug (or section path) and when
// what it shows last changed.
type SitemapEntry struct {
	Slug    string
	LastMod time.Time
}

// sitemapVisible is visible written so that SQLite cannot filter with an
// index (the expressions hide the columns): it then scans the covering
// index articles_sitemap, which leads with id, instead of reading whole
// articles whose status and dates are stored after their bodies — and
// instead of letting listings' indexes, which would need a sort. PostgreSQL
// plans it from its statistics as usual.
const sitemapVisible = `a.status || '' IN ('published', 'scheduled') AND a.published_at + 0 <= ?`

// SitemapPage describes one page of the articles' sitemap.
type SitemapPage struct {
	Number  int // from 1: the page's range of ids (see SitemapPages)
	LastMod time.Time
}

// SitemapPages splits the articles readers may see at now into pages by
// id, size ids a page (page n holds ids (n-1)*size+1 to n*size), and
// returns the pages that hold any, each dated by the newest update of an
// article it lists. Ranges of ids keep old pages stable as articles are
// added, and let a page be read from the index at its place rather than
// after skipping every page before it; a page holds fewer than size where
// ids went to drafts and pages.
//
// It asks one question of each range, "its newest change readers may
// see", which the index articles_sitemap_pages (migration 0023, made for
// pages of 50,000 ids, feeds.MaxURLs) answers from the range's first
// entries: a million articles cost twenty short reads, not a walk over
// every one. Other sizes (tests') get the same answer by reading their
// ranges' articles.
func (db *DB) SitemapPages(ctx context.Context, now time.Time, size int) ([]SitemapPage, error) {
	page := fmt.Sprintf(`((a.id - 1) / %d)`, size) // as the index writes it, so the planner matches them
	rows, err := db.read(ctx, `WITH RECURSIVE p(n) AS (
			SELECT 0 UNION ALL SELECT n + 1 FROM p WHERE n < (SELECT (MAX(a.id) - 1) / ? FROM articles a))
		SELECT p.n + 1, (SELECT a.updated_at FROM articles a WHERE `+page+` = p.n AND `+sitemapVisible+`
			ORDER BY a.updated_at DESC LIMIT 1) FROM p`, size, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sitemap pages: %w", err)
	}
	defer rows.Close()
	var out []SitemapPage
	for rows.Next() {
		var n int
		var upd sql.NullInt64
		if err := rows.Scan(&n, &upd); err != nil {
			return nil, fmt.Errorf("store: sitemap pages: %w", err)
		}
		if upd.Valid {
			out = append(out, SitemapPage{Number: n, LastMod: fromUnix(upd.Int64)})
		}
	}
	return out, rows.Err()
}

// SitemapArticles returns page (from 1) of the visible articles' slugs and
// update times, in the order SitemapPages counts them. It reads only the
// two columns a sitemap needs, of that page's range of ids.
func (db *DB) SitemapArticles(ctx context.Context, now time.Time, page, size int) ([]SitemapEntry, error) {
	rows, err := db.read(ctx, `SELECT a.slug, a.updated_at FROM `+db.dialect.sitemapArticles()+` WHERE a.id > ? AND a.id <= ? AND `+sitemapVisible+`
		ORDER BY a.id`, int64(page-1)*int64(size), int64(page)*int64(size), unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sitemap articles: %w", err)
	}
	return scanEntries(rows, size)
}

// SitemapTranslations returns, for the articles of a sitemap page (as
// SitemapArticles reads it) that readers may see in more than one
// language, every visible language version of their story, the article
// itself included, by the article's slug. Articles without a visible
// translation are left out. The page's originals are found as the
// translations that point into its range, and a translation's fellow
// translations by its original, each in the index articles_translation
// (CROSS JOIN keeps the page's range outside, and the translations before
// their originals: a store never analyzed, one that grew by the newsroom
// rather than an import, otherwise had SQLite walk the range's originals,
// reading each row past its body, a second of CPU at 400,000 articles):
// the cost is the page's, whatever the archive's, never the range's
// against every translation.
//
// On PostgreSQL it is read as a readers' listing is (a generic plan, no
// JIT): planned for its values, a million-article store's page 1 had the
// planner walk every article for the second part, expecting 59 of the
// page's translations where there were 1,380, and compile the plan
// besides: 1.6–1.7 s a sitemap page, where the generic plan's walk from
// the page's translations takes 27 ms.
func (db *DB) SitemapTranslations(ctx context.Context, now time.Time, page, size int) (map[string][]Translation, error) {
	ctx = readingAs(ctx, readersListing)
	lo, hi := int64(page-1)*int64(size), int64(page)*int64(size)
	rows, err := db.read(ctx, db.sitemapTranslationsSQL(),
		lo, hi, unix(now), unix(now), lo, hi, unix(now), unix(now), lo, hi, unix(now), unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sitemap translations: %w", err)
	}
	defer rows.Close()
	found := map[string]map[int64]Translation{}
	for rows.Next() {
		var self, v Translation
		if err := rows.Scan(&self.ID, &self.Slug, &self.Lang, &v.ID, &v.Slug, &v.Lang); err != nil {
			return nil, fmt.Errorf("store: sitemap translations: %w", err)
		}
		if found[self.Slug] == nil {
			found[self.Slug] = map[int64]Translation{self.ID: self}
		}
		found[self.Slug][v.ID] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sitemap translations: %w", err)
	}
	out := make(map[string][]Translation, len(found))
	for slug, vs := range found {
		if len(vs) < 2 {
			continue // a translation whose original is not out yet
		}
		ids := slices.Sorted(maps.Keys(vs))
		list := make([]Translation, len(ids))
		for i, id := range ids {
			list[i] = vs[id]
		}
		out[slug] = list
	}
	return out, nil
}

// sitemapTranslationsSQL is SitemapTranslations' query: the page's
// translations with their original and with every translation of it
// (themselves included), then the page's originals with their
// translations. Its arguments are the page's range of ids and the time,
// twice, for each of its three parts.
func (db *DB) sitemapTranslationsSQL() string {
	return `SELECT a.id, a.slug, a.lang, m.id, m.slug, m.lang FROM articles a
		JOIN articles m ON m.id = a.translation_of
		WHERE a.translation_of <> 0 AND a.id > ? AND a.id <= ? AND ` + visible + ` AND m.visible_from <= ?
		UNION ALL
		SELECT a.id, a.slug, a.lang, m.id, m.slug, m.lang FROM articles a CROSS JOIN ` + db.dialect.translationsOf() + `
		WHERE m.translation_of = a.translation_of AND a.translation_of <> 0 AND a.id > ? AND a.id <= ? AND ` + visible + ` AND m.visible_from <= ?
		UNION ALL
		SELECT a.id, a.slug, a.lang, m.id, m.slug, m.lang FROM ` + db.dialect.translationsOf() + ` CROSS JOIN articles a
		WHERE a.id = m.translation_of AND m.translation_of > ? AND m.translation_of <= ? AND a.translation_of = 0 AND ` + visible + ` AND m.visible_from <= ?`
}

// linkEntries lists the tags or authors (table, linked through link by
// col) that readers see articles under, by id, each with when its newest
// visible article changed. Each is one step into the link's index, so
// the list costs what the number of tags or authors does, not the archive.
func (db *DB) linkEntries(ctx context.Context, table, link, col string, now time.Time) ([]SitemapEntry, error) {
	rows, err := db.read(ctx, `SELECT slug, upd FROM (SELECT t.id, t.slug, (SELECT a.updated_at FROM `+link+` lt
			JOIN articles a ON a.id = lt.article_id WHERE lt.`+col+` = t.id AND lt.visible_from <= ?
			ORDER BY lt.visible_from DESC, lt.article_id DESC LIMIT 1) AS upd FROM `+table+` t) e
		WHERE upd IS NOT NULL ORDER BY id`, unix(now))
	if err != nil {
		return nil, fmt.Errorf("store: sitemap %s: %w", table, err)
	}
	return scanEntries(rows, 0)
}

type rowsScanner interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}

func scanEntries(rows rowsScanner, capacity int) ([]SitemapEntry, error) {
	defer rows.Close()
	out := make([]SitemapEntry, 0, capacity)
	for rows.Next() {
		var e SitemapEntry
		var upd int64
		if err := rows.Scan(&e.Slug, &upd); err != nil {
			return nil, fmt.Errorf("store: sitemap: %w", err)
		}
		e.LastMod = fromUnix(upd)
		out = append(out, e)
	}
	return out, rows.Err()
}
