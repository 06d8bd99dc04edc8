package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"dastan/internal/news"
)

// summaryCols are what a listing shows; the body stays in the table.
const summaryCols = `a.id, a.slug, a.title, a.standfirst, a.excerpt, a.lang, a.status, a.published_at, a.updated_at,
	COALESCE(a.section_id, 0), a.image_url, a.image_alt, a.reading_minutes, a.sticky, a.version`

const fullCols = summaryCols + `, a.body_source, a.body_format, a.body_html, a.manual_excerpt, a.created_at,
	a.image_caption, a.image_credit, a.image_width, a.image_height, a.image_srcset,
	a.seo_title, a.seo_description, a.password, a.translation_of`

// visible is the condition for an article readers may see at time ?:
// scheduled articles appear by themselves once their time has come.
// visible_from is NULL for drafts, private and trashed articles (see
// migration 0007).
const visible = `a.visible_from <= ?`

type scanner interface{ Scan(...any) error }

func scanSummary(s scanner, a *news.Article, extra ...any) error {
	var pub, upd int64
	var sticky int64
	dst := append([]any{&a.ID, &a.Slug, &a.Title, &a.Standfirst, &a.Excerpt, &a.Lang, &a.Status, &pub, &upd,
		&a.SectionID, new(string), new(string), &a.ReadingMinutes, &sticky, &a.Version}, extra...)
	img := dst[10].(*string)
	alt := dst[11].(*string)
	if err := s.Scan(dst...); err != nil {
		return err
	}
	a.PublishedAt, a.UpdatedAt, a.Sticky = fromUnix(pub), fromUnix(upd), sticky != 0
	if *img != "" {
		a.Image = &news.Figure{URL: *img, Alt: *alt}
	}
	return nil
}

func scanFull(s scanner) (news.Article, error) {
	var a news.Article
	var created int64
	var f news.Figure
	err := scanSummary(s, &a, &a.BodySource, &a.BodyFormat, &a.BodyHTML, &a.ManualExcerpt, &created,
		&f.Caption, &f.Credit, &f.Width, &f.Height, &f.SrcSet, &a.SEOTitle, &a.SEODescription, &a.Password, &a.TranslationOf)
	if err != nil {
		return a, err
	}
	a.CreatedAt = fromUnix(created)
	if a.Image != nil {
		f.URL, f.Alt = a.Image.URL, a.Image.Alt
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
	return db.article(ctx, `a.slug = ?`, slug)
}

// ArticleByID returns the whole article with that id.
func (db *DB) ArticleByID(ctx context.Context, id int64) (news.Article, error) {
	return db.article(ctx, `a.id = ?`, id)
}

func (db *DB) article(ctx context.Context, where string, arg any) (news.Article, error) {
	row := db.readRow(ctx, (`SELECT ` + fullCols + ` FROM articles a WHERE ` + where), arg)
	a, err := scanFull(row)
	if err != nil {
		return a, fmt.Errorf("store: article %v: %w", arg, notFound(err))
	}
	list := []news.Article{a}
	if err := db.attachAuthors(ctx, list); err != nil {
		return a, err
	}
	if err := db.attachTags(ctx, list); err != nil {
		return a, err
	}
	return list[0], nil
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
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.writeArticle(ctx, tx, a, w.UserID, w.Note, now); err != nil {
			return err
		}
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
	db.bump(ctx)
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
	if err := db.writeArticleRow(ctx, tx, a, kind); err != nil {
		return err
	}
	if err := db.writeArticleLinks(ctx, tx, a, fresh); err != nil {
		return err
	}
	_, err := db.txExec(ctx, tx, (`INSERT INTO revisions (article_id, version, title, standfirst, body_source, body_format, user_id, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), a.ID, a.Version, a.Title, a.Standfirst, a.BodySource, a.BodyFormat, userID, note, unix(now))
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

func (db *DB) writeArticleRow(ctx context.Context, tx *sql.Tx, a *news.Article, kind string) error {
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
	vals := []any{a.Slug, a.Title, a.Standfirst, a.BodySource, a.BodyFormat, a.BodyHTML, a.Excerpt, a.ManualExcerpt,
		a.Lang, a.Status, unix(a.PublishedAt), unix(a.UpdatedAt), a.ReadingMinutes, section,
		f.URL, f.Alt, f.Caption, f.Credit, f.Width, f.Height, f.SrcSet, a.SEOTitle, a.SEODescription,
		sticky, a.Password, a.TranslationOf}
	if a.ID == 0 {
		a.Version = 1
		if kind == "" {
			kind = KindArticle
		}
		return db.txRow(ctx, tx, (`INSERT INTO articles (slug, title, standfirst, body_source, body_format, body_html, excerpt, manual_excerpt,
			lang, status, published_at, updated_at, reading_minutes, section_id,
			image_url, image_alt, image_caption, image_credit, image_width, image_height, image_srcset, seo_title, seo_description,
			sticky, password, translation_of, created_at, version, kind)
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

// ListQuery selects articles for a listing. Zero fields do not filter.
type ListQuery struct {
	Section    int64     // in this section or any below it (readers' listings)
	SectionIDs []int64   // in exactly one of these sections
	TagID      int64     // carrying this tag
	AuthorID   int64     // by this author
	From, To   time.Time // published in [From, To)
	Lang       string
	Statuses   []news.Status // for the newsroom; ignored when VisibleAt is set
	VisibleAt  time.Time     // only what readers may see at this time
	ExcludeID  int64
	NoCount    bool // skip counting, for blocks that show no totals
	NoBylines  bool // skip the authors, for blocks that show none
	Limit      int
	Offset     int
}

// Listing is one page of articles and how many there are in all.
type Listing struct {
	Articles []news.Article
	Total    int
}

// ListArticles returns a page of summaries, newest first, with authors.
func (db *DB) ListArticles(ctx context.Context, lq ListQuery) (Listing, error) {
	f := articleFilter{visibleAt: lq.VisibleAt, statuses: lq.Statuses, sectionTree: lq.Section, sectionIDs: lq.SectionIDs,
		lang: lq.Lang, from: lq.From, before: lq.To, excludeID: lq.ExcludeID}
	if lq.TagID != 0 {
		f.tagIDs = []int64{lq.TagID}
	}
	if lq.AuthorID != 0 {
		f.authorIDs = []int64{lq.AuthorID}
	}
	order := listOrder{key: byDate}
	p, err := db.list(ctx, f.articlesSQL(db.dialect, order), pageSpec{what: "articles", limit: lq.Limit, offset: lq.Offset,
		noCount: lq.NoCount, bylines: !lq.NoBylines, order: order})
	return p.Listing, err
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

func idsOf(list []news.Article) ([]any, map[int64][]int) {
	ids := make([]any, 0, len(list))
	index := make(map[int64][]int, len(list))
	for i, a := range list {
		if _, ok := index[a.ID]; !ok {
			ids = append(ids, a.ID)
		}
		index[a.ID] = append(index[a.ID], i)
	}
	return ids, index
}

// Related returns up to n visible articles sharing a's tags or section,
// ranked by tags in common, then section, then recency. It reads only
// the newest few articles of each tag, so its cost does not grow with
// the archive.
func (db *DB) Related(ctx context.Context, a news.Article, n int, now time.Time) ([]news.Article, error) {
	const perTag = 12
	score := map[int64]int{}
	latest := map[int64]int64{}
	for _, t := range a.Tags {
		rows, err := db.read(ctx, (`SELECT lt.article_id, lt.visible_from, COALESCE(a.section_id, 0) FROM article_tags lt JOIN articles a ON a.id = lt.article_id
			WHERE lt.tag_id = ? AND lt.article_id <> ? AND lt.visible_from <= ? ORDER BY lt.visible_from DESC LIMIT ?`), t.ID, a.ID, unix(now), perTag)
		if err != nil {
			return nil, fmt.Errorf("store: related: %w", err)
		}
		for rows.Next() {
			var id, pub, sec int64
			if err := rows.Scan(&id, &pub, &sec); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: related: %w", err)
			}
			score[id] += 2
			if _, ok := latest[id]; !ok && sec == a.SectionID {
				score[id]++
			}
			latest[id] = pub
		}
		rows.Close()
	}
	if len(score) < n && a.SectionID != 0 {
		sl, err := db.ListArticles(ctx, ListQuery{Section: a.SectionID, VisibleAt: now, ExcludeID: a.ID, Limit: n, NoCount: true})
		if err != nil {
			return nil, err
		}
		for _, s := range sl.Articles {
			if _, ok := score[s.ID]; !ok {
				score[s.ID] = 1
				latest[s.ID] = unix(s.PublishedAt)
			}
		}
	}
	ids := make([]int64, 0, len(score))
	for id := range score {
		ids = append(ids, id)
	}
	sortByScore(ids, score, latest)
	if len(ids) > n {
		ids = ids[:n]
	}
	list, err := db.articlesByID(ctx, ids, summaryCols, scanSummaryRow)
	if err != nil {
		return nil, fmt.Errorf("store: related: %w", err)
	}
	return list, db.attachAuthors(ctx, list)
}

func sortByScore(ids []int64, score map[int64]int, latest map[int64]int64) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0; j-- {
			a, b := ids[j-1], ids[j]
			if score[a] > score[b] || (score[a] == score[b] && latest[a] >= latest[b]) {
				break
			}
			ids[j-1], ids[j] = b, a
		}
	}
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
	res, err := db.write(ctx, `UPDATE articles SET status = 'published', version = version + 1 WHERE status = 'scheduled' AND published_at <= ?`, unix(now))
	if err != nil {
		return 0, fmt.Errorf("store: publish due: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		db.bump(ctx)
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
