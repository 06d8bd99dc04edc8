package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
)

// ImportArticles writes many prepared articles in one transaction, as
// SaveArticle would one by one; importers and the demo use it for speed.
// Revisions record the import as each article's first version. Inside
// FillEmpty's fill, it writes into the fill's transaction.
func (db *DB) ImportArticles(ctx context.Context, list []*news.Article) error {
	fresh := true
	for _, a := range list {
		fresh = fresh && a.ID == 0
	}
	write := func(tx *sql.Tx) error {
		if fresh {
			return db.importFresh(ctx, tx, list, freshImport{note: "imported"})
		}
		for _, a := range list {
			if a.CreatedAt.IsZero() {
				a.CreatedAt = a.UpdatedAt
			}
			if err := db.writeArticle(ctx, tx, a, 0, "imported", a.UpdatedAt); err != nil {
				return fmt.Errorf("article %q: %w", a.Title, err)
			}
		}
		return nil
	}
	var err error
	if f := fillOf(ctx); f != nil {
		err = write(f.tx) // the fill's transaction, which announces the change when it commits
	} else {
		err = db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
			*ch = ChangeAll // many articles: not worth working out their pages
			return write(tx)
		})
	}
	if err != nil {
		return fmt.Errorf("store: import articles: %w", err)
	}
	return nil
}

// Optimize refreshes the query planner's statistics, which a bulk import
// leaves far behind the tables' real sizes, and, in a server on SQLite,
// asks for the search index's merge (search_merge.go): every import and
// bulk fill ends with it.
func (db *DB) Optimize(ctx context.Context) error {
	if err := db.script(ctx, db.dialect.optimize()); err != nil {
		return fmt.Errorf("store: optimize: %w", err)
	}
	if db.dialect.name() != "sqlite" {
		return nil
	}
	db.askSearchMerge(true)
	return db.forgetSearchIndexStats(ctx)
}

// forgetSearchIndexStats deletes what ANALYZE wrote of FTS5's own index of
// segments (article_search_idx). FTS5 looks a term up there with a
// statement whose bound term, with those statistics, decides its plan, so
// SQLite prepared it again for every term of every search (a tenth of a
// search's CPU at 100,000 articles); its one plan needs no statistics.
func (db *DB) forgetSearchIndexStats(ctx context.Context) error {
	rows, err := db.read(ctx, `SELECT name FROM sqlite_master WHERE name IN ('sqlite_stat1', 'sqlite_stat4')`)
	if err != nil {
		return fmt.Errorf("store: optimize: %w", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("store: optimize: %w", err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: optimize: %w", err)
	}
	for _, t := range tables {
		if err := db.script(ctx, `DELETE FROM `+t+` WHERE tbl = 'article_search_idx'`); err != nil {
			return fmt.Errorf("store: optimize: %w", err)
		}
	}
	return nil
}

// LongImport readies the store for an import of many transactions, until
// the returned end is called (on SQLite: the log is copied into the
// database beside the writer, not by it; see longImport and
// checkpoint.go). What is written and its durability are unchanged.
func (db *DB) LongImport(ctx context.Context) (end func(), err error) {
	begin, stop := db.dialect.longImport()
	if begin == "" {
		return func() {}, nil
	}
	if err := db.script(ctx, begin); err != nil {
		return nil, fmt.Errorf("store: import: %w", err)
	}
	restart := int64(walRestartFrames)
	if db.testWALRestart > 0 {
		restart = db.testWALRestart
	}
	c, err := startCheckpointer(db.path, restart)
	if err != nil {
		db.script(context.WithoutCancel(ctx), stop)
		return nil, fmt.Errorf("store: import: %w", err)
	}
	db.ckpt.Store(c)
	return func() {
		db.ckpt.Store(nil)
		c.close()
		db.script(context.WithoutCancel(ctx), stop)
	}, nil
}

// resumeAutomerge sets the full-text index's automatic merges back on
// when an import that held them off (dialect.go's longImport) died before
// it could. SQLite only: PostgreSQL's index has no segments.
func (db *DB) resumeAutomerge(ctx context.Context) error {
	if db.dialect.name() != "sqlite" {
		return nil
	}
	var n int
	err := db.readRow(ctx, `SELECT v FROM article_search_config WHERE k = 'automerge'`).Scan(&n)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && n != 0:
		return nil
	case err != nil:
		return fmt.Errorf("store: full-text index's settings: %w", err)
	}
	if err := db.script(ctx, setAutomerge(ftsAutomerge)); err != nil {
		return fmt.Errorf("store: full-text index's settings: %w", err)
	}
	return nil
}

// WPMapEntry says which local row a WordPress object became, and the
// checksum of the source it was made from.
type WPMapEntry struct {
	LocalID  int64
	Checksum string
}

// WPItem is one WordPress post or page, prepared, with what travels with it.
type WPItem struct {
	WPID      int64
	MapKind   string // "post" or "page" in wp_import_map
	Checksum  string
	Kind      string // KindArticle or KindPage
	Article   *news.Article
	Comments  []Comment
	OldPaths  []string // answered with a redirect to the article's address
	Unchanged bool     // only the redirects and map row need writing
	// Search is the article's search work done ahead (PrepareSearch), or
	// nil; a first import's writer uses it, others do the work themselves.
	Search *SearchWork
}

// WPAttachment is a WordPress attachment and where its file now lives.
type WPAttachment struct {
	WPID        int64
	ParentWP    int64
	Title       string
	URL         string // as WordPress served it
	LocalURL    string // "" when the file was not found
	SHA256      string
	Alt         string
	Caption     string
	Description string
	UploadedAt  time.Time
	Checksum    string
}

// WPImportMap returns what earlier imports made of WordPress objects of
// one kind ("post", "page", "attachment", "category", "tag", "author").
func (db *DB) WPImportMap(ctx context.Context, kind string) (map[int64]WPMapEntry, error) {
	rows, err := db.read(ctx, `SELECT wp_id, local_id, checksum FROM wp_import_map WHERE kind = ?`, kind)
	if err != nil {
		return nil, fmt.Errorf("store: import map: %w", err)
	}
	defer rows.Close()
	out := map[int64]WPMapEntry{}
	for rows.Next() {
		var id int64
		var e WPMapEntry
		if err := rows.Scan(&id, &e.LocalID, &e.Checksum); err != nil {
			return nil, fmt.Errorf("store: import map: %w", err)
		}
		out[id] = e
	}
	return out, rows.Err()
}

// WPLocalID returns the local id of the WordPress object of kind ("post",
// "category", "tag", "author", "attachment") with that WordPress id.
func (db *DB) WPLocalID(ctx context.Context, kind string, wpID int64) (int64, error) {
	var id int64
	err := db.readRow(ctx, `SELECT local_id FROM wp_import_map WHERE kind = ? AND wp_id = ?`, kind, wpID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: WordPress %s %d: %w", kind, wpID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: WordPress %s %d: %w", kind, wpID, err)
	}
	return id, nil
}

// PutWPMap records that a WordPress object became local row localID.
func (db *DB) PutWPMap(ctx context.Context, kind string, wpID, localID int64, checksum string) error {
	_, err := db.write(ctx, mapUpsert, kind, wpID, localID, checksum)
	if err != nil {
		return fmt.Errorf("store: import map %s %d: %w", kind, wpID, err)
	}
	return nil
}

// WPMapRow is one row of the import map: WordPress object WPID of Kind
// became local row LocalID, made from a source with Checksum.
type WPMapRow struct {
	Kind          string
	WPID, LocalID int64
	Checksum      string
}

// PutWPMaps records many map rows in one transaction.
func (db *DB) PutWPMaps(ctx context.Context, rows []WPMapRow) error {
	if len(rows) == 0 {
		return nil
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := db.txExec(ctx, tx, mapUpsert, r.Kind, r.WPID, r.LocalID, r.Checksum); err != nil {
				return fmt.Errorf("%s %d: %w", r.Kind, r.WPID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import map: %w", err)
	}
	return nil
}

const mapUpsert = `INSERT INTO wp_import_map (kind, wp_id, local_id, checksum) VALUES (?, ?, ?, ?)` + mapConflict

// mapConflict makes an INSERT into wp_import_map an upsert.
const mapConflict = ` ON CONFLICT (kind, wp_id) DO UPDATE SET local_id = excluded.local_id, checksum = excluded.checksum`

// WriteWPItems writes a batch of imported posts and pages in one
// transaction: each article with its tags, byline, comments, redirects
// and map row, or none of them. Items with an ID in Article are updated.
// now stamps the revisions and redirects.
func (db *DB) WriteWPItems(ctx context.Context, items []*WPItem, now time.Time) error {
	now = now.UTC()
	// A first import's batches are all new articles: they are written
	// together, a statement per table (see importFresh and
	// writeFreshWPRows). A batch that updates anything goes item by item.
	var fresh []*news.Article
	var kinds []string
	var work []*SearchWork
	for _, it := range items {
		if it.Unchanged || it.Article.ID != 0 {
			fresh = nil
			break
		}
		fresh, kinds, work = append(fresh, it.Article), append(kinds, it.Kind), append(work, it.Search)
	}
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		*ch = ChangeAll // many articles: not worth working out their pages
		if fresh != nil {
			if err := db.importFresh(ctx, tx, fresh, freshImport{kinds: kinds, note: wpImportNote, at: now, search: work}); err != nil {
				return err
			}
			return db.writeFreshWPRows(ctx, tx, items, now)
		}
		for _, it := range items {
			a := it.Article
			if !it.Unchanged {
				if err := db.writeWPArticle(ctx, tx, it, now); err != nil {
					return fmt.Errorf("wordpress item %d %q: %w", it.WPID, a.Title, err)
				}
			}
			if _, err := db.txExec(ctx, tx, mapUpsert, it.MapKind, it.WPID, a.ID, it.Checksum); err != nil {
				return err
			}
			to := links.Article(a.Slug)
			for _, from := range it.OldPaths {
				if from == to || from == "" {
					continue
				}
				if _, err := db.txExec(ctx, tx, redirectUpsert, from, to, unix(now)); err != nil {
					return fmt.Errorf("redirect %q: %w", from, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import: %w", err)
	}
	return nil
}

// writeFreshWPRows writes the comments, map rows and redirects of a
// batch of new articles (just written by importFresh) with a multi-row
// statement per table rather than one an item, as the loop of
// WriteWPItems would: the same rows, ids drawn in the same order. A new
// article has no comments to replace.
func (db *DB) writeFreshWPRows(ctx context.Context, tx *sql.Tx, items []*WPItem, now time.Time) error {
	var comments, maps, redirects rowsBuilder
	// A row named twice is written once, with the last values, as one by
	// one would leave it (PostgreSQL refuses to change a row twice in a statement).
	mapAt, redirectAt := map[string]int{}, map[string]int{}
	for _, it := range items {
		a := it.Article
		for _, c := range it.Comments {
			comments.add(a.ID, c.WPID, c.ParentWP, c.Author, c.Email, c.URL, c.IP, c.Body, c.Status, c.Kind, unix(c.CreatedAt))
		}
		if i, ok := mapAt[it.MapKind+"\x00"+strconv.FormatInt(it.WPID, 10)]; ok {
			maps.args[i*maps.width+2], maps.args[i*maps.width+3] = a.ID, it.Checksum
		} else {
			mapAt[it.MapKind+"\x00"+strconv.FormatInt(it.WPID, 10)] = maps.rows
			maps.add(it.MapKind, it.WPID, a.ID, it.Checksum)
		}
		to := links.Article(a.Slug)
		for _, from := range it.OldPaths {
			if from == to || from == "" {
				continue
			}
			if i, ok := redirectAt[from]; ok {
				redirects.args[i*redirects.width+1] = to
				continue
			}
			redirectAt[from] = redirects.rows
			redirects.add(from, to, 301, "wordpress", unix(now))
		}
	}
	if err := comments.insertChunks(ctx, db, tx, `INSERT INTO comments (article_id, wp_id, parent_wp_id, author, email, url, ip, body, status, kind, created_at) VALUES `, ``); err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	if err := maps.insertChunks(ctx, db, tx, `INSERT INTO wp_import_map (kind, wp_id, local_id, checksum) VALUES `, mapConflict); err != nil {
		return fmt.Errorf("import map: %w", err)
	}
	if err := redirects.insertChunks(ctx, db, tx, `INSERT INTO redirects (from_path, to_path, status, created_by, created_at) VALUES `, redirectConflict); err != nil {
		return fmt.Errorf("redirects: %w", err)
	}
	return nil
}

// wpImportNote is the note of an article's first revision, imported from WordPress.
const wpImportNote = "imported from WordPress"

func (db *DB) writeWPArticle(ctx context.Context, tx *sql.Tx, it *WPItem, now time.Time) error {
	a := it.Article
	if a.ID != 0 {
		err := db.txRow(ctx, tx, `SELECT version FROM articles WHERE id = ?`, a.ID).Scan(&a.Version)
		if errors.Is(err, sql.ErrNoRows) {
			a.ID, a.Version = 0, 0 // deleted here since the last import: bring it back
		} else if err != nil {
			return err
		}
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = a.UpdatedAt
	}
	note := wpImportNote
	if a.ID != 0 {
		note = "updated from WordPress"
	}
	if err := db.writeArticleOfKind(ctx, tx, a, it.Kind, 0, note, now); err != nil {
		return err
	}
	return db.writeComments(ctx, tx, a.ID, it.Comments)
}

// SaveWPAttachments records a batch of attachments and their map rows,
// a multi-row statement per table. An attachment listed twice is saved
// as the later says, as one by one.
func (db *DB) SaveWPAttachments(ctx context.Context, list []WPAttachment) error {
	var atts, maps rowsBuilder
	at := map[int64]int{}
	for _, m := range list {
		row := []any{m.WPID, m.ParentWP, m.Title, m.URL, m.LocalURL, m.SHA256, m.Alt, m.Caption, m.Description, unix(m.UploadedAt)}
		if i, ok := at[m.WPID]; ok {
			copy(atts.args[i*atts.width:], row)
			maps.args[i*maps.width+3] = m.Checksum
			continue
		}
		at[m.WPID] = atts.rows
		atts.add(row...)
		maps.add("attachment", m.WPID, m.WPID, m.Checksum)
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := atts.insertChunks(ctx, db, tx, `INSERT INTO wp_attachments (wp_id, parent_wp, title, url, local_url, sha256, alt, caption, description, uploaded_at) VALUES `,
			` ON CONFLICT (wp_id) DO UPDATE SET parent_wp = excluded.parent_wp, title = excluded.title, url = excluded.url,
			local_url = excluded.local_url, sha256 = excluded.sha256, alt = excluded.alt, caption = excluded.caption,
			description = excluded.description, uploaded_at = excluded.uploaded_at`); err != nil {
			return err
		}
		return maps.insertChunks(ctx, db, tx, `INSERT INTO wp_import_map (kind, wp_id, local_id, checksum) VALUES `, mapConflict)
	})
	if err != nil {
		return fmt.Errorf("store: attachments: %w", err)
	}
	return nil
}

// WPAttachments returns every imported attachment, by WordPress id.
func (db *DB) WPAttachments(ctx context.Context) ([]WPAttachment, error) {
	rows, err := db.read(ctx, `SELECT `+wpAttachmentCols+` FROM wp_attachments ORDER BY wp_id`)
	if err != nil {
		return nil, fmt.Errorf("store: attachments: %w", err)
	}
	defer rows.Close()
	var out []WPAttachment
	for rows.Next() {
		m, err := scanWPAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: attachments: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// WPAttachment returns the imported attachment with WordPress id wpID,
// or ErrNotFound.
func (db *DB) WPAttachment(ctx context.Context, wpID int64) (WPAttachment, error) {
	m, err := scanWPAttachment(db.readRow(ctx, `SELECT `+wpAttachmentCols+` FROM wp_attachments WHERE wp_id = ?`, wpID))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("store: attachment %d: %w", wpID, err)
	}
	return m, nil
}

const wpAttachmentCols = `wp_id, parent_wp, title, url, local_url, sha256, alt, caption, description, uploaded_at`

func scanWPAttachment(s scanner) (WPAttachment, error) {
	var m WPAttachment
	var up int64
	err := s.Scan(&m.WPID, &m.ParentWP, &m.Title, &m.URL, &m.LocalURL, &m.SHA256, &m.Alt, &m.Caption, &m.Description, &up)
	m.UploadedAt = fromUnix(up)
	return m, err
}

// UpdateRendered replaces what an import made at write time (body, excerpt,
// reading time, featured image) once attachments that came later in the
// export are known. The article's version and revisions stay as they are.
func (db *DB) UpdateRendered(ctx context.Context, list []news.Article) error {
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		*ch = ChangeAll // many articles: not worth working out their pages
		for _, a := range list {
			var f news.Figure
			if a.Image != nil {
				f = *a.Image
			}
			_, err := db.txExec(ctx, tx, (`UPDATE articles SET body_source = ?, body_html = ?, excerpt = ?, reading_minutes = ?,
				image_url = ?, image_alt = ?, image_caption = ?, image_width = ?, image_height = ?, image_srcset = ? WHERE id = ?`),
				db.dialect.pack(a.BodySource), db.dialect.pack(a.BodyHTML), a.Excerpt, a.ReadingMinutes, f.URL, f.Alt, f.Caption, f.Width, f.Height, f.SrcSet, a.ID)
			if err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: update rendered: %w", err)
	}
	return nil
}

// WPMediaWords gives library items brought in by an import the alt text
// and caption WordPress kept for their attachment, where the library has
// none yet: items uploaded by content do not know which attachment they
// were. Editors' own words are never replaced. It returns how many items
// it changed.
func (db *DB) WPMediaWords(ctx context.Context) (int, error) {
	rows, err := db.read(ctx, `SELECT m.id, m.credit, MAX(a.alt), MAX(a.caption) FROM media m
		JOIN wp_attachments a ON a.sha256 = m.sha256
		WHERE m.alt = '' AND m.caption = '' AND (a.alt <> '' OR a.caption <> '')
		GROUP BY m.id, m.credit`)
	if err != nil {
		return 0, fmt.Errorf("store: imported media words: %w", err)
	}
	type words struct {
		id                   int64
		credit, alt, caption string
	}
	var todo []words
	for rows.Next() {
		var w words
		if err := rows.Scan(&w.id, &w.credit, &w.alt, &w.caption); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: imported media words: %w", err)
		}
		todo = append(todo, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, w := range todo {
		if err := db.UpdateMediaText(ctx, w.id, w.alt, w.caption, w.credit); err != nil {
			return 0, err
		}
	}
	return len(todo), nil
}

// WPMaxID returns the largest WordPress id imported among kinds (0 when
// none): Dastan's own rows are numbered above it in the WordPress API.
func (db *DB) WPMaxID(ctx context.Context, kinds ...string) (int64, error) {
	// One index seek a kind: MAX over kind IN (…) would read every
	// entry of those kinds (hundreds of thousands on a large archive) on
	// each request of the WordPress API.
	var max sql.NullInt64
	parts, args := make([]string, len(kinds)), make([]any, len(kinds))
	for i, k := range kinds {
		parts[i], args[i] = `SELECT MAX(wp_id) AS m FROM wp_import_map WHERE kind = ?`, k
	}
	if err := db.readRow(ctx, `SELECT MAX(m) FROM (`+strings.Join(parts, ` UNION ALL `)+`) k`, args...).Scan(&max); err != nil {
		return 0, fmt.Errorf("store: largest WordPress id: %w", err)
	}
	return max.Int64, nil
}

// WPLocalIDs returns the local ids of WordPress objects of kinds, by
// WordPress id; ids that were never imported are left out.
func (db *DB) WPLocalIDs(ctx context.Context, kinds []string, wpIDs []int64) (map[int64]int64, error) {
	return db.wpMapLookup(ctx, `wp_id`, `local_id`, kinds, wpIDs)
}

// WPIDsOf returns the WordPress ids of imported local rows of kinds, by
// local id; rows made in Dastan are left out.
func (db *DB) WPIDsOf(ctx context.Context, kinds []string, localIDs []int64) (map[int64]int64, error) {
	return db.wpMapLookup(ctx, `local_id`, `wp_id`, kinds, localIDs)
}

func (db *DB) wpMapLookup(ctx context.Context, from, to string, kinds []string, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	kcond, args := in(`kind`, kinds)
	icond, iargs := in(from, ids)
	rows, err := db.read(ctx, `SELECT `+from+`, `+to+` FROM wp_import_map WHERE `+kcond+` AND `+icond+` AND wp_id > 0`, append(args, iargs...)...)
	if err != nil {
		return nil, fmt.Errorf("store: WordPress ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: WordPress ids: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetTranslationOf links imported articles to the originals they
// translate: links maps an article's id to its original's (0 unlinks).
// Rows that already say so are left alone, so a second import changes
// nothing; it returns how many rows changed. Like UpdateRendered it
// leaves versions and revisions as they are: the link is what the
// export said, not an edit.
func (db *DB) SetTranslationOf(ctx context.Context, links map[int64]int64) (int, error) {
	ids := make([]int64, 0, len(links))
	for id := range links {
		ids = append(ids, id)
	}
	slices.Sort(ids) // one order for every run: rows are locked alike
	changed := 0
	err := db.publicTx(ctx, func(tx *sql.Tx, ch *Change) error {
		for _, id := range ids {
			res, err := db.txExec(ctx, tx, `UPDATE articles SET translation_of = ? WHERE id = ? AND translation_of <> ?`, links[id], id, links[id])
			if err != nil {
				return fmt.Errorf("article %d: %w", id, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			changed += int(n)
		}
		if changed > 0 {
			*ch = ChangeAll // every article page of the story shows the link
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: translation links: %w", err)
	}
	return changed, nil
}
