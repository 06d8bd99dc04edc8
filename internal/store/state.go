package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"dastan/internal/news"
)

// Change says what a write changed that readers may see, so that page
// caches drop those pages and keep the rest. A zero Change changed
// nothing public (a draft saved); All is for writes whose reach is wide
// or not worth working out (imports, renames, the ticker's rates).
type Change struct {
	All      bool     `json:"all,omitempty"`
	Articles []string `json:"articles,omitempty"` // slugs
	Sections []string `json:"sections,omitempty"` // paths, each with its ancestors
	Tags     []string `json:"tags,omitempty"`     // slugs
	Authors  []string `json:"authors,omitempty"`  // slugs
}

// ChangeAll is a Change that empties every page cache.
var ChangeAll = Change{All: true}

// Empty reports whether c changed nothing readers see.
func (c Change) Empty() bool {
	return !c.All && len(c.Articles) == 0 && len(c.Sections) == 0 && len(c.Tags) == 0 && len(c.Authors) == 0
}

// merge returns c and o together, each list without repeats.
func (c Change) merge(o Change) Change {
	if c.All || o.All {
		return ChangeAll
	}
	join := func(a, b []string) []string {
		out := slices.Concat(a, b)
		slices.Sort(out)
		return slices.Compact(out)
	}
	return Change{Articles: join(c.Articles, o.Articles), Sections: join(c.Sections, o.Sections),
		Tags: join(c.Tags, o.Tags), Authors: join(c.Authors, o.Authors)}
}

// Generation is a number that grows, inside the writing transaction,
// whenever public content changes. Instances poll it as the fallback of
// the change notifications (see watch.go), and on SQLite, where another
// process (an import) may write the same file, as the only way to hear.
func (db *DB) Generation(ctx context.Context) (int64, error) {
	var g int64
	if err := db.readRow(ctx, `SELECT generation FROM site_state WHERE id = 1`).Scan(&g); err != nil {
		return 0, fmt.Errorf("store: generation: %w", err)
	}
	return g, nil
}

// publicTx is tx for a write that may change what readers see: fn says
// what it changed in *ch. When that is not nothing, the generation is
// bumped and, on PostgreSQL, the change is sent to every instance with
// pg_notify, both in the same transaction, so others hear of it exactly
// when it commits (never for a write that rolled back) and a failure to
// record it fails the write. After the commit this instance's own caches
// are told at once.
func (db *DB) publicTx(ctx context.Context, fn func(tx *sql.Tx, ch *Change) error) error {
	return db.publicTxOn(ctx, db.w, fn)
}

// publicTxOn is publicTx on b (see txOn).
func (db *DB) publicTxOn(ctx context.Context, b beginner, fn func(tx *sql.Tx, ch *Change) error) error {
	var ch Change
	var gen int64
	err := db.txOn(ctx, b, func(tx *sql.Tx) error {
		if err := fn(tx, &ch); err != nil {
			return err
		}
		if ch.Empty() {
			return nil
		}
		var err error
		gen, err = db.announce(ctx, tx, ch)
		return err
	})
	if err != nil || ch.Empty() {
		return err
	}
	db.changes.heard(gen)
	db.changed(ch)
	return nil
}

// maxNotify keeps a notification's payload well under PostgreSQL's 8,000
// bytes; a change too big to describe is sent as "everything".
const maxNotify = 7000

// notifyChannel is where instances hear of each other's changes.
const notifyChannel = "dastan_changes"

// notice is a change notification's payload.
type notice struct {
	Gen    int64  `json:"gen"`
	Origin string `json:"origin"` // the instance that wrote it, which has already purged
	Change Change `json:"change"`
}

// announce bumps the generation inside tx and, on PostgreSQL, queues the
// notification that the commit delivers.
func (db *DB) announce(ctx context.Context, tx *sql.Tx, ch Change) (int64, error) {
	var gen int64
	if err := db.txRow(ctx, tx, `UPDATE site_state SET generation = generation + 1 WHERE id = 1 RETURNING generation`).Scan(&gen); err != nil {
		return 0, fmt.Errorf("generation: %w", err)
	}
	if db.dialect.name() != "postgres" {
		return gen, nil
	}
	payload, err := json.Marshal(notice{Gen: gen, Origin: db.changes.origin, Change: ch})
	if err == nil && len(payload) > maxNotify {
		payload, err = json.Marshal(notice{Gen: gen, Origin: db.changes.origin, Change: ChangeAll})
	}
	if err != nil {
		return 0, err
	}
	var ignored string
	if err := db.txRow(ctx, tx, `SELECT CAST(pg_notify(?, ?) AS TEXT)`, notifyChannel, string(payload)).Scan(&ignored); err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	return gen, nil
}

// articleReach is what readers see of article id as tx sees it now: its
// page, its section with the sections above it, its tags and authors;
// live is whether readers see it at all (published or scheduled). An
// article that does not exist reaches nothing.
func (db *DB) articleReach(ctx context.Context, tx *sql.Tx, id int64) (ch Change, live bool, err error) {
	if id == 0 {
		return Change{}, false, nil
	}
	var slug, path string
	var status news.Status
	err = db.txRow(ctx, tx, `SELECT a.slug, a.status, COALESCE(s.path, '') FROM articles a LEFT JOIN sections s ON s.id = a.section_id WHERE a.id = ?`, id).
		Scan(&slug, &status, &path)
	if err == sql.ErrNoRows {
		return Change{}, false, nil
	}
	if err != nil {
		return Change{}, false, fmt.Errorf("reach of article %d: %w", id, err)
	}
	ch.Articles = []string{slug}
	for p := path; p != ""; {
		ch.Sections = append(ch.Sections, p)
		i := strings.LastIndex(p, "/")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if ch.Tags, err = db.txStrings(ctx, tx, `SELECT t.slug FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = ?`, id); err != nil {
		return Change{}, false, err
	}
	if ch.Authors, err = db.txStrings(ctx, tx, `SELECT u.slug FROM article_authors x JOIN authors u ON u.id = x.author_id WHERE x.article_id = ?`, id); err != nil {
		return Change{}, false, err
	}
	return ch, status.Live(), nil
}

// articleChange is what a write to one article changed for readers, from
// its reach before and after: nothing when readers saw it neither before
// nor after (a draft saved), everything when it was taken away from them
// (a retracted story must leave every page that links to it, related
// lists included, at once), and otherwise its pages before and after.
func articleChange(before Change, wasLive bool, after Change, isLive bool) Change {
	switch {
	case !wasLive && !isLive:
		return Change{}
	case wasLive && !isLive:
		return ChangeAll
	case !wasLive:
		return after
	}
	return before.merge(after)
}

// txStrings reads one text column of every row a query returns, in tx.
func (db *DB) txStrings(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := db.txRead(ctx, tx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// reachability remembers, for a second, that the database did not answer.
type reachability struct {
	mu    sync.Mutex
	at    time.Time
	err   error
	check sync.Mutex // one ping at a time
}

// Reachable reports whether the database answers now (within two
// seconds). A failure is remembered for a second, so that many failing
// requests at once do not pile pings onto a database in trouble. On
// SQLite, a file, it always answers.
func (db *DB) Reachable(ctx context.Context) error {
	if db.dialect.name() != "postgres" {
		return nil
	}
	r := &db.reach
	r.check.Lock()
	defer r.check.Unlock()
	r.mu.Lock()
	at, err := r.at, r.err
	r.mu.Unlock()
	if err != nil && time.Since(at) < time.Second {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	err = db.w.PingContext(pctx)
	if err != nil {
		err = fmt.Errorf("store: database unreachable: %w", err)
	}
	r.mu.Lock()
	r.at, r.err = time.Now(), err
	r.mu.Unlock()
	return err
}
