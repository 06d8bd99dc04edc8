package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Media is an image in the newsroom's library: what was uploaded, the text
// that goes with it, and the stored sizes made from it. It lives here rather
// than in news because it is a record of files and storage keys; pages see
// it as a news.Figure.
type Media struct {
	ID          int64
	SHA256      string // hex digest of the uploaded bytes; one row per distinct file
	Filename    string // the uploader's file name, for the library only
	ContentType string // format of the upload, found by its content
	Width       int    // pixels, after EXIF orientation
	Height      int
	Bytes       int64 // size of the upload
	Alt         string
	Caption     string
	Credit      string
	Renditions  map[int]string // width in pixels -> storage key
	UserID      int64
	CreatedAt   time.Time
}

// Widths returns the widths of m's renditions, smallest first.
func (m Media) Widths() []int {
	ws := make([]int, 0, len(m.Renditions))
	for w := range m.Renditions {
		ws = append(ws, w)
	}
	sort.Ints(ws)
	return ws
}

const mediaCols = `id, sha256, filename, content_type, width, height, bytes, alt, caption, credit, renditions, user_id, created_at`

func scanMedia(s scanner) (Media, error) {
	var m Media
	var rend string
	var created int64
	err := s.Scan(&m.ID, &m.SHA256, &m.Filename, &m.ContentType, &m.Width, &m.Height, &m.Bytes,
		&m.Alt, &m.Caption, &m.Credit, &rend, &m.UserID, &created)
	if err != nil {
		return m, err
	}
	m.CreatedAt = fromUnix(created)
	m.Renditions, err = decodeRenditions(rend)
	return m, err
}

func encodeRenditions(r map[int]string) (string, error) {
	obj := make(map[string]string, len(r))
	for w, k := range r {
		obj[strconv.Itoa(w)] = k
	}
	b, err := json.Marshal(obj)
	return string(b), err
}

func decodeRenditions(s string) (map[int]string, error) {
	var obj map[string]string
	if err := json.Unmarshal([]byte(s), &obj); err != nil {
		return nil, fmt.Errorf("renditions: %w", err)
	}
	r := make(map[int]string, len(obj))
	for ws, k := range obj {
		w, err := strconv.Atoi(ws)
		if err != nil {
			return nil, fmt.Errorf("renditions: width %q: %w", ws, err)
		}
		r[w] = k
	}
	return r, nil
}

// mediaSearchText is what ListMedia searches: lower-cased in Go, so that
// Cyrillic folds alike on SQLite (whose lower() knows only ASCII) and
// PostgreSQL.
func mediaSearchText(m Media) string {
	return strings.ToLower(strings.Join([]string{m.Caption, m.Alt, m.Credit, m.Filename}, "\n"))
}

// SaveMedia records a new library item and sets m.ID and m.CreatedAt.
// When an item with the same SHA-256 is already there, nothing is written,
// m becomes that item and created is false: the same file uploaded twice
// is one item.
func (db *DB) SaveMedia(ctx context.Context, m *Media) (created bool, err error) {
	if !validKey(m.SHA256) {
		return false, fmt.Errorf("store: save media: empty or invalid sha256")
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = db.now().UTC()
	}
	rend, err := encodeRenditions(m.Renditions)
	if err != nil {
		return false, fmt.Errorf("store: save media %s: %w", m.SHA256, err)
	}
	var id int64
	err = db.writeRow(ctx, `INSERT INTO media (sha256, filename, content_type, width, height, bytes,
		alt, caption, credit, renditions, search_text, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING RETURNING id`,
		m.SHA256, m.Filename, m.ContentType, m.Width, m.Height, m.Bytes,
		m.Alt, m.Caption, m.Credit, rend, mediaSearchText(*m), m.UserID, unix(m.CreatedAt)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		existing, err := db.MediaBySHA(ctx, m.SHA256)
		if err != nil {
			return false, err
		}
		*m = existing
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: save media %s: %w", m.SHA256, err)
	}
	m.ID = id
	m.CreatedAt = fromUnix(unix(m.CreatedAt))
	return true, nil
}

// MediaByID returns the library item with that id.
func (db *DB) MediaByID(ctx context.Context, id int64) (Media, error) {
	m, err := scanMedia(db.readRow(ctx, `SELECT `+mediaCols+` FROM media WHERE id = ?`, id))
	if err != nil {
		return m, fmt.Errorf("store: media %d: %w", id, notFound(err))
	}
	return m, nil
}

// MediaBySHA returns the library item made from the file with that
// SHA-256 (lower-case hex).
func (db *DB) MediaBySHA(ctx context.Context, sha string) (Media, error) {
	if !validKey(sha) {
		return Media{}, fmt.Errorf("store: media %q: %w", sha, ErrNotFound)
	}
	m, err := scanMedia(db.readRow(ctx, `SELECT `+mediaCols+` FROM media WHERE sha256 = ?`, sha))
	if err != nil {
		return m, fmt.Errorf("store: media %q: %w", sha, notFound(err))
	}
	return m, nil
}

// likeEscape makes s match literally inside a LIKE pattern with ESCAPE '!'.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// ListMedia returns a page of the library, newest first, and how many items
// match in all. A non-empty q keeps items whose caption, alt text, credit or
// file name contain it, ignoring case; % and _ in q are plain characters.
func (db *DB) ListMedia(ctx context.Context, q string, limit, offset int) ([]Media, int, error) {
	if limit <= 0 {
		limit = 50
	}
	if offset < 0 {
		offset = 0
	}
	where, args := "", []any{}
	q = strings.ToLower(strings.TrimSpace(q))
	if q != "" {
		if !validKey(q) {
			return nil, 0, nil
		}
		where = ` WHERE search_text LIKE ? ESCAPE '!'`
		args = append(args, "%"+likeEscape(q)+"%")
	}
	var total int
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM media`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list media: %w", err)
	}
	rows, err := db.read(ctx, `SELECT `+mediaCols+` FROM media`+where+
		` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list media: %w", err)
	}
	defer rows.Close()
	var list []Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list media: %w", err)
		}
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list media: %w", err)
	}
	return list, total, nil
}

// UpdateMediaText changes the words that go with a library item. Audit
// entries are recorded in the same transaction.
func (db *DB) UpdateMediaText(ctx context.Context, id int64, alt, caption, credit string, audit ...AuditEntry) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var filename string
		if err := db.txRow(ctx, tx, `SELECT filename FROM media WHERE id = ?`, id).Scan(&filename); err != nil {
			return notFound(err)
		}
		m := Media{Alt: alt, Caption: caption, Credit: credit, Filename: filename}
		if _, err := db.txExec(ctx, tx, `UPDATE media SET alt = ?, caption = ?, credit = ?, search_text = ? WHERE id = ?`,
			alt, caption, credit, mediaSearchText(m), id); err != nil {
			return err
		}
		return db.auditIn(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: update media %d: %w", id, err)
	}
	return nil
}

// DeleteMedia removes a library item's row; its files are the caller's
// to remove (see media.Service.Delete). Audit entries are recorded in the
// same transaction.
func (db *DB) DeleteMedia(ctx context.Context, id int64, audit ...AuditEntry) error {
	return db.deleteAudited(ctx, "media", id, audit)
}

// MediaUses counts the articles whose featured image or body shows a
// file of the item with that content hash (every rendition's key holds
// it), so an image still in use is not deleted from under them.
func (db *DB) MediaUses(ctx context.Context, sha string) (int, error) {
	like := "%" + likeEscape(sha) + "%"
	var n int
	err := db.readRow(ctx, `SELECT COUNT(*) FROM articles WHERE image_url LIKE ? ESCAPE '!' OR image_srcset LIKE ? ESCAPE '!' OR `+db.dialect.unpacked("body_html")+` LIKE ? ESCAPE '!'`,
		like, like, like).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: uses of media %s: %w", sha, err)
	}
	return n, nil
}
