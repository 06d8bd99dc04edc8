package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Filling an empty store with a whole archive (the demo's 100,000
// articles). Batch by batch, PostgreSQL spent most of such a fill keeping
// the tables' secondary indexes (the articles' eleven, the full-text
// index, the links' and revisions') up to date row by row, and merging
// the full-text index's pending entries again and again. Into an empty
// store it builds them once at the end in a fraction of that time.

// fillTables are the tables an import writes for each article, whose
// secondary indexes a fill builds after writing them.
var fillTables = []string{"articles", "revisions", "article_tags", "article_authors", "article_sections", "article_search"}

var errNotEmpty = errors.New("store: fill: the store already has articles; a fill writes only into an empty store")

// fillKey marks the context of a fill's writes (see filling).
type fillKey struct{}

// filling is a fill in progress: its transaction, and the connection it
// is open on, which copyRows uses.
type filling struct {
	tx   *sql.Tx
	conn *sql.Conn
}

// fillOf returns the fill ctx belongs to, or nil.
func fillOf(ctx context.Context) *filling {
	f, _ := ctx.Value(fillKey{}).(*filling)
	return f
}

// FillEmpty runs fill, which writes new articles with ImportArticles one
// batch at a time (never from two goroutines at once), into a store that
// has no articles. On PostgreSQL, every batch goes into one transaction
// that first locks the tables an import writes, checks that there are
// no articles, and drops the tables' secondary indexes (those that back
// no constraint); when fill returns, it builds them again as they were
// and commits. The rows written are those ImportArticles writes outside
// a fill, by COPY rather than INSERT. Readers of the store wait for the
// commit; a fill that fails rolls back whole, indexes and all. On SQLite,
// whose indexes cost far less to keep, fill just runs in an empty store,
// each batch in a transaction of its own.
func (db *DB) FillEmpty(ctx context.Context, fill func(ctx context.Context) error) error {
	if db.dialect.name() != "postgres" {
		n, err := db.CountArticles(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return errNotEmpty
		}
		return fill(ctx)
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: fill: %w", err)
	}
	defer conn.Close()
	err = db.publicTxOn(ctx, conn, func(tx *sql.Tx, ch *Change) error {
		*ch = ChangeAll
		indexes, err := db.dropFillIndexes(ctx, tx)
		if err != nil {
			return err
		}
		if err := fill(context.WithValue(ctx, fillKey{}, &filling{tx: tx, conn: conn})); err != nil {
			return err
		}
		for _, def := range indexes {
			if err := db.txScript(ctx, tx, def); err != nil {
				return fmt.Errorf("store: fill: build index: %w", err)
			}
		}
		return nil
	})
	return err
}

// dropFillIndexes readies tx for a fill: it takes the tables, makes sure
// they hold no article, and drops their secondary indexes, returning the
// statements that build them again.
func (db *DB) dropFillIndexes(ctx context.Context, tx *sql.Tx) ([]string, error) {
	// Every table at once, so that no other writer can get between the
	// check and the fill; readers wait too, until the commit.
	if err := db.txScript(ctx, tx, `LOCK TABLE `+strings.Join(fillTables, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		return nil, fmt.Errorf("store: fill: %w", err)
	}
	var any bool
	if err := db.txRow(ctx, tx, `SELECT EXISTS (SELECT 1 FROM articles)`).Scan(&any); err != nil {
		return nil, fmt.Errorf("store: fill: %w", err)
	}
	if any {
		return nil, errNotEmpty
	}
	// Session settings for the fill's own transaction: memory for the
	// index builds (PostgreSQL's 64 MB would write the full-text index's
	// entries out in pieces), and LZ4 rather than pglz for the bodies and
	// search documents TOAST compresses, several times cheaper to write
	// (where the server was built with it).
	if err := db.txScript(ctx, tx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return nil, fmt.Errorf("store: fill: %w", err)
	}
	var lz4 bool
	if err := db.txRow(ctx, tx, `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))`).Scan(&lz4); err != nil {
		return nil, fmt.Errorf("store: fill: %w", err)
	}
	if lz4 {
		if err := db.txScript(ctx, tx, `SET LOCAL default_toast_compression = 'lz4'`); err != nil {
			return nil, fmt.Errorf("store: fill: %w", err)
		}
	}
	tables := make([]string, len(fillTables))
	for i, t := range fillTables {
		tables[i] = `CAST('` + t + `' AS regclass)`
	}
	rows, err := db.txReadOnce(ctx, tx, `SELECT CAST(CAST(i.indexrelid AS regclass) AS text), pg_get_indexdef(i.indexrelid)
		FROM pg_index i WHERE i.indrelid IN (`+strings.Join(tables, ", ")+`)
		AND NOT i.indisunique AND NOT i.indisprimary
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
		ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("store: fill: indexes: %w", err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: fill: indexes: %w", err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: fill: indexes: %w", err)
	}
	for _, name := range names {
		if err := db.txScript(ctx, tx, `DROP INDEX `+name); err != nil {
			return nil, fmt.Errorf("store: fill: %w", err)
		}
	}
	return defs, nil
}
