package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dastan/internal/news"
)

// Bulk writing of new articles. Written one by one, an article costs a
// dozen statements (its slug, row, links, revision and search document),
// each a round trip to PostgreSQL; the demo's 100,000 articles took
// minutes in waiting alone. Here a batch of new articles is written with
// one multi-row statement per table, which both engines accept and which
// writes the same rows as writeArticle would.

// bulkRows is how many articles one multi-row statement writes: 30
// parameters each stays far below SQLite's 32,766 and PostgreSQL's 65,535.
const bulkRows = 250

// freshImport says how importFresh records the articles it writes.
type freshImport struct {
	kinds []string  // each article's kind, in list's order; KindArticle for all when nil
	note  string    // the revisions' note
	at    time.Time // the revisions' time; each article's UpdatedAt when zero
	// search is each article's search work done ahead (PrepareSearch), in
	// list's order; nil, or a nil entry, when it is done here.
	search []*SearchWork
}

// SearchWork is the part of a new article's search document that nothing
// in the store changes: its body as text and, on SQLite, its title,
// standfirst and body analyzed. An importer makes it while it prepares
// the article, on every core, so that the one writer only adds the tags'
// names as stored; the work is the import's largest share in Go.
type SearchWork struct {
	title, standfirst, bodyHTML string // what it was made from
	protected                   bool
	body                        string // the body's search text
	pre                         indexedDoc
	analyzed                    bool
	// The body's source, HTML and search text packed for the engine
	// (packed.go), which is the writer's to store.
	source, html, text packedAhead
}

// PrepareSearch does the search work of article a ahead of its writing.
// Should a's title, standfirst, body or password change before then, the
// writer does the work again.
func (db *DB) PrepareSearch(a *news.Article) *SearchWork {
	text := ""
	if a.Password == "" {
		text = news.SearchText(a.BodyHTML)
	}
	return db.PrepareSearchOf(a, text)
}

// PrepareSearchOf is PrepareSearch for an article whose body's
// news.SearchText is already known (news.PrepareForSearch made it).
func (db *DB) PrepareSearchOf(a *news.Article, bodyText string) *SearchWork {
	w := &SearchWork{title: a.Title, standfirst: a.Standfirst, bodyHTML: a.BodyHTML, protected: a.Password != ""}
	if !w.protected { // a protected body is neither searched nor shown in snippets
		w.body = bodyText
	}
	w.pre, w.analyzed = db.dialect.analyzeAhead(searchDoc{title: a.Title, standfirst: a.Standfirst, body: w.body})
	w.source, w.html, w.text = db.packAhead(a.BodySource), db.packAhead(a.BodyHTML), db.packAhead(w.body)
	return w
}

// fits reports whether w was made from a as it is now.
func (w *SearchWork) fits(a *news.Article) bool {
	return w != nil && w.title == a.Title && w.standfirst == a.Standfirst && w.bodyHTML == a.BodyHTML && w.protected == (a.Password != "")
}

// importFresh writes new articles (no id yet) inside tx as writeArticle
// would one by one, with an import revision as how says.
func (db *DB) importFresh(ctx context.Context, tx *sql.Tx, list []*news.Article, how freshImport) error {
	if q := db.dialect.bulkImport(); q != "" {
		if err := db.txScript(ctx, tx, q); err != nil {
			return err
		}
	}
	for start := 0; start < len(list); start += bulkRows {
		chunk := how
		if how.kinds != nil {
			chunk.kinds = how.kinds[start:min(start+bulkRows, len(list))]
		}
		if how.search != nil {
			chunk.search = how.search[start:min(start+bulkRows, len(list))]
		}
		if err := db.importChunk(ctx, tx, list[start:min(start+bulkRows, len(list))], chunk); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) importChunk(ctx context.Context, tx *sql.Tx, list []*news.Article, how freshImport) error {
	if err := db.uniqueSlugs(ctx, tx, list); err != nil {
		return err
	}
	work := make([]*SearchWork, len(list))
	var todo []int
	for i, a := range list {
		if how.search != nil && how.search[i].fits(a) {
			work[i] = how.search[i]
		} else {
			todo = append(todo, i)
		}
	}
	eachParallel(len(todo), func(k int) {
		work[todo[k]] = db.PrepareSearch(list[todo[k]])
	})
	vis, err := db.insertArticleRows(ctx, tx, list, how.kinds, work)
	if err != nil {
		return err
	}
	if err := db.insertLinks(ctx, tx, list, vis); err != nil {
		return err
	}
	var revs rowsBuilder
	for i, a := range list {
		at := a.UpdatedAt
		if !how.at.IsZero() {
			at = how.at
		}
		revs.add(a.ID, a.Version, a.Title, a.Standfirst, db.pack(a.BodySource, work[i].source), a.BodyFormat, 0, how.note, unix(at))
	}
	if err := revs.insert(ctx, db, tx, `revisions`, `article_id, version, title, standfirst, body_source, body_format, user_id, note, created_at`); err != nil {
		return fmt.Errorf("revisions: %w", err)
	}
	return db.insertSearchDocs(ctx, tx, list, work)
}

// uniqueSlugs gives each article the first slug among slug, slug-2,
// slug-3 … that neither the store nor an earlier article of list holds,
// as uniqueSlug would one by one.
func (db *DB) uniqueSlugs(ctx context.Context, tx *sql.Tx, list []*news.Article) error {
	args := make([]any, len(list))
	for i, a := range list {
		if a.Slug == "" {
			a.Slug = news.Slugify(a.Title)
		}
		args[i] = a.Slug
	}
	rows, err := db.txReadOnce(ctx, tx, `SELECT slug FROM articles WHERE slug IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return fmt.Errorf("slugs: %w", err)
	}
	taken := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("slugs: %w", err)
		}
		taken[s] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("slugs: %w", err)
	}
	for _, a := range list {
		base := a.Slug
		for n := 2; taken[a.Slug]; n++ {
			a.Slug = fmt.Sprintf("%s-%d", base, n)
			if taken[a.Slug] {
				continue
			}
			var one int
			err := db.txRow(ctx, tx, `SELECT 1 FROM articles WHERE slug = ?`, a.Slug).Scan(&one)
			if err == nil {
				taken[a.Slug] = true
			} else if err != sql.ErrNoRows {
				return fmt.Errorf("slugs: %w", err)
			}
		}
		taken[a.Slug] = true
	}
	return nil
}

// insertArticleRows inserts the rows of list, of kinds (KindArticle for
// all when nil), sets each article's id and version, and returns each
// one's visible_from, in list's order. work[i] is list[i]'s search work,
// which holds its body's text and packings.
func (db *DB) insertArticleRows(ctx context.Context, tx *sql.Tx, list []*news.Article, kinds []string, work []*SearchWork) ([]sql.NullInt64, error) {
	var b rowsBuilder
	index := make(map[string]int, len(list))
	for i, a := range list {
		a.Version = 1
		if a.CreatedAt.IsZero() {
			a.CreatedAt = a.UpdatedAt
		}
		kind := KindArticle
		if kinds != nil && kinds[i] != "" {
			kind = kinds[i]
		}
		w := work[i]
		b.add(append(db.articleValues(a, w.source, w.html), unix(a.CreatedAt), 1, kind, db.pack(w.body, w.text))...)
		index[a.Slug] = i
	}
	const columns = articleColumns + `, created_at, version, kind, body_text`
	if conn := copyConn(ctx, tx); conn != nil {
		return db.copyArticleRows(ctx, tx, conn, list, columns, &b)
	}
	rows, err := db.txReadOnce(ctx, tx, `INSERT INTO articles (`+columns+`) VALUES `+
		b.values()+` RETURNING id, slug, visible_from`, b.args...)
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	defer rows.Close()
	vis := make([]sql.NullInt64, len(list))
	for rows.Next() { // the order of RETURNING is not promised: slugs are unique
		var id int64
		var slug string
		var v sql.NullInt64
		if err := rows.Scan(&id, &slug, &v); err != nil {
			return nil, fmt.Errorf("articles: %w", err)
		}
		i := index[slug]
		list[i].ID, vis[i] = id, v
	}
	return vis, rows.Err()
}

// copyArticleRows is insertArticleRows by COPY, which returns nothing:
// the ids are drawn from the table's sequence first, in list's order as
// an INSERT draws them, and visible_from, which PostgreSQL computes, is
// read back.
func (db *DB) copyArticleRows(ctx context.Context, tx *sql.Tx, conn *sql.Conn, list []*news.Article, columns string, b *rowsBuilder) ([]sql.NullInt64, error) {
	rows, err := db.txRead(ctx, tx, `SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, ?)`, len(list))
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	ids, err := scanIDs(rows)
	if err != nil || len(ids) != len(list) {
		return nil, fmt.Errorf("articles: ids: %d of %d, %w", len(ids), len(list), err)
	}
	slices.Sort(ids)
	var withIDs rowsBuilder
	args := make([]any, len(list))
	for i, a := range list {
		a.ID, args[i] = ids[i], ids[i]
		withIDs.add(append([]any{a.ID}, b.args[i*b.width:(i+1)*b.width]...)...)
	}
	if err := withIDs.copy(ctx, conn, `articles`, `id, `+columns); err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	rows, err = db.txReadOnce(ctx, tx, `SELECT id, visible_from FROM articles WHERE id IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	defer rows.Close()
	at := make(map[int64]int, len(list))
	for i, a := range list {
		at[a.ID] = i
	}
	vis := make([]sql.NullInt64, len(list))
	for rows.Next() {
		var id int64
		var v sql.NullInt64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("articles: %w", err)
		}
		vis[at[id]] = v
	}
	return vis, rows.Err()
}

// scanIDs reads and closes rows of one id each.
func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// insertLinks writes the sections, tags and authors of freshly inserted
// articles, creating tags given by name only.
func (db *DB) insertLinks(ctx context.Context, tx *sql.Tx, list []*news.Article, vis []sql.NullInt64) error {
	var inSection []any
	for _, a := range list {
		if a.SectionID != 0 {
			inSection = append(inSection, a.ID)
		}
	}
	if len(inSection) > 0 {
		if err := db.linkSections(ctx, tx, `a.id IN (`+placeholders(len(inSection))+`)`, inSection...); err != nil {
			return fmt.Errorf("sections: %w", err)
		}
	}
	if err := db.resolveTags(ctx, tx, list); err != nil {
		return err
	}
	var tags, authors rowsBuilder
	for i, a := range list {
		seen := map[int64]bool{}
		for _, t := range a.Tags {
			if !seen[t.ID] {
				seen[t.ID] = true
				tags.add(a.ID, t.ID, vis[i])
			}
		}
		seen = map[int64]bool{}
		for k, au := range a.Authors {
			if !seen[au.ID] {
				seen[au.ID] = true
				authors.add(a.ID, au.ID, k, vis[i])
			}
		}
	}
	if err := tags.insert(ctx, db, tx, `article_tags`, `article_id, tag_id, visible_from`); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	if err := authors.insert(ctx, db, tx, `article_authors`, `article_id, author_id, position, visible_from`); err != nil {
		return fmt.Errorf("authors: %w", err)
	}
	return nil
}

// resolveTags gives every tag of list given by name only its id, creating
// the tags that do not exist yet; a tag takes the name it is stored
// under, the first given for it.
func (db *DB) resolveTags(ctx context.Context, tx *sql.Tx, list []*news.Article) error {
	var b rowsBuilder
	found := map[string]news.Tag{}
	for _, a := range list {
		for i := range a.Tags {
			t := &a.Tags[i]
			if t.ID != 0 {
				continue
			}
			if t.Slug == "" {
				t.Slug = news.Slugify(t.Name)
			}
			if _, ok := found[t.Slug]; !ok {
				found[t.Slug] = news.Tag{}
				b.add(t.Slug, t.Name)
			}
		}
	}
	if len(b.args) == 0 {
		return nil
	}
	// PostgreSQL lets one statement change a row once: each slug is given once.
	rows, err := db.txReadOnce(ctx, tx, `INSERT INTO tags (slug, name) VALUES `+b.values()+`
		ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, slug, name`, b.args...)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t news.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return fmt.Errorf("tags: %w", err)
		}
		found[t.Slug] = t
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	for _, a := range list {
		for i := range a.Tags {
			if t := &a.Tags[i]; t.ID == 0 {
				t.ID, t.Name = found[t.Slug].ID, found[t.Slug].Name
			}
		}
	}
	return nil
}

// insertSearchDocs writes the search documents of freshly inserted
// articles, analyzed on every core, with their tags' names as stored.
func (db *DB) insertSearchDocs(ctx context.Context, tx *sql.Tx, list []*news.Article, work []*SearchWork) error {
	ids, args := make([]int64, len(list)), make([]any, len(list))
	index := make(map[int64]int, len(list))
	for i, a := range list {
		ids[i], args[i] = a.ID, a.ID
		index[a.ID] = i
	}
	tags, tagIDs := make([][]string, len(list)), make([][]int64, len(list))
	rows, err := db.txReadOnce(ctx, tx, `SELECT lt.article_id, t.id, t.name FROM article_tags lt JOIN tags t ON t.id = lt.tag_id
		WHERE lt.article_id IN (`+placeholders(len(args))+`) ORDER BY lt.article_id, t.name`, args...)
	if err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	for rows.Next() {
		var id, tagID int64
		var name string
		if err := rows.Scan(&id, &tagID, &name); err != nil {
			rows.Close()
			return fmt.Errorf("search document: %w", err)
		}
		tags[index[id]] = append(tags[index[id]], name)
		tagIDs[index[id]] = append(tagIDs[index[id]], tagID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	docs := make([]indexedDoc, len(list))
	each := eachParallel
	if len(work) > 0 && work[0].analyzed {
		// Only the tags are left to analyze: a few words, not worth goroutines.
		each = func(n int, fn func(int)) {
			for i := range n {
				fn(i)
			}
		}
	}
	each(len(list), func(i int) {
		a := list[i]
		authorIDs := make([]int64, len(a.Authors)) // as insertLinks linked them
		for k, au := range a.Authors {
			authorIDs[k] = au.ID
		}
		d := searchDoc{title: a.Title, standfirst: a.Standfirst, tags: strings.Join(tags[i], "\n"),
			body: work[i].body, meta: searchMeta{listed: a.Status.Live(), publishedAt: unix(a.PublishedAt), lang: a.Lang, sectionID: a.SectionID,
				tagIDs: tagIDs[i], authorIDs: authorIDs}}
		if work[i].analyzed {
			docs[i] = db.dialect.withTags(work[i].pre, d)
		} else {
			docs[i] = db.dialect.analyze(d)
		}
	})
	if err := db.dialect.putSearchDocs(ctx, db, tx, ids, docs); err != nil {
		return fmt.Errorf("search document: %w", err)
	}
	return nil
}

// rowsBuilder gathers the rows of a multi-row INSERT … VALUES.
type rowsBuilder struct {
	width, rows int
	args        []any
}

// add appends one row; every row has as many values as the first.
func (b *rowsBuilder) add(vals ...any) {
	b.width = len(vals)
	b.rows++
	b.args = append(b.args, vals...)
}

// values is the VALUES list: one parenthesized group per row.
func (b *rowsBuilder) values() string {
	row := `(` + placeholders(b.width) + `)`
	return strings.TrimSuffix(strings.Repeat(row+`, `, b.rows), `, `)
}

// insert writes the gathered rows, if any, into table's columns: by
// COPY in a fill (see copyConn), otherwise by one multi-row INSERT.
func (b *rowsBuilder) insert(ctx context.Context, db *DB, tx *sql.Tx, table, columns string) error {
	if b.rows == 0 {
		return nil
	}
	if conn := copyConn(ctx, tx); conn != nil {
		return b.copy(ctx, conn, table, columns)
	}
	_, err := db.txExecOnce(ctx, tx, `INSERT INTO `+table+` (`+columns+`) VALUES `+b.values(), b.args...)
	return err
}

// insertChunks writes the gathered rows, if any, with head (an INSERT
// up to VALUES) and tail (what follows the rows), bulkRows rows a
// statement, in the order they were added.
func (b *rowsBuilder) insertChunks(ctx context.Context, db *DB, tx *sql.Tx, head, tail string) error {
	for start := 0; start < b.rows; start += bulkRows {
		n := min(bulkRows, b.rows-start)
		chunk := rowsBuilder{width: b.width, rows: n, args: b.args[start*b.width : (start+n)*b.width]}
		if _, err := db.txExecOnce(ctx, tx, head+chunk.values()+tail, chunk.args...); err != nil {
			return err
		}
	}
	return nil
}

// copy writes the gathered rows into table's columns with COPY.
func (b *rowsBuilder) copy(ctx context.Context, conn *sql.Conn, table, columns string) error {
	if b.rows == 0 {
		return nil
	}
	data, err := b.copyText()
	if err != nil {
		return err
	}
	return copyRows(ctx, conn, table, columns, data)
}

// copyText is the gathered rows in COPY's text format: a line per row,
// values separated by tabs, \N for NULL, and backslash escapes for the
// backslashes, line ends and tabs in text.
func (b *rowsBuilder) copyText() ([]byte, error) {
	size := 0
	for _, v := range b.args {
		if s, ok := v.(string); ok {
			size += len(s) + 8
		} else {
			size += 12
		}
	}
	out := make([]byte, 0, size+size/16)
	for i, v := range b.args {
		switch v := v.(type) {
		case nil:
			out = append(out, `\N`...)
		case string:
			out = appendCopyString(out, v)
		case []byte: // bytea's hex input, its backslash escaped
			out = hex.AppendEncode(append(out, `\\x`...), v)
		case int:
			out = strconv.AppendInt(out, int64(v), 10)
		case int64:
			out = strconv.AppendInt(out, v, 10)
		case sql.NullInt64:
			if !v.Valid {
				out = append(out, `\N`...)
			} else {
				out = strconv.AppendInt(out, v.Int64, 10)
			}
		default: // named types (news.Status, news.Format) as database/sql takes them
			switch r := reflect.ValueOf(v); r.Kind() {
			case reflect.String:
				out = appendCopyString(out, r.String())
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				out = strconv.AppendInt(out, r.Int(), 10)
			default:
				return nil, fmt.Errorf("copy: a value of type %T", v)
			}
		}
		if (i+1)%b.width == 0 {
			out = append(out, '\n')
		} else {
			out = append(out, '\t')
		}
	}
	return out, nil
}

// appendCopyString appends s as COPY's text format writes text, the
// runs between characters it escapes in one piece each.
func appendCopyString(out []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '\\':
			esc = '\\'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		case '\t':
			esc = 't'
		default:
			continue
		}
		out = append(append(out, s[start:i]...), '\\', esc)
		start = i + 1
	}
	return append(out, s[start:]...)
}

// copyConn is the connection tx is open on when COPY may write in it: a
// fill's (FillEmpty), whose tables are the fill's alone. Other
// transactions come from the pool, which does not give their connection.
func copyConn(ctx context.Context, tx *sql.Tx) *sql.Conn {
	if f := fillOf(ctx); f != nil && f.tx == tx {
		return f.conn
	}
	return nil
}

// eachParallel calls fn(i) for every i below n, on as many goroutines as
// the program may run at once: preparing search text is the import's
// work in Go, and the database waits for it otherwise.
func eachParallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}
