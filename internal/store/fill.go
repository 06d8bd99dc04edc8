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
// index, the links' and revisions') up to date row by row, merging the
// full-text index's pending entries again and again, and checking each
// link's, revision's and search document's foreign keys with a query and
// a row lock of its own (some 750,000 for the demo). Into an empty store
// it does as pg_restore does: it writes the rows, then builds the
// indexes and checks the foreign keys, once each, at the end.

// fillTables are the tables an import writes for each article, whose
// secondary indexes a fill builds after writing them.
var fillTables = []string{"articles", "revisions", "article_tags", "article_authors", "article_sections", "article_search", "article_terms"}

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
// no articles, and drops the tables' foreign keys and secondary indexes
// (those that back no constraint); when fill returns, it builds the
// indexes again as they were, adds the foreign keys back, which checks
// every row written against them, and commits. The rows written are those ImportArticles writes outside
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
		rebuild, err := db.dropFillIndexes(ctx, tx)
		if err != nil {
			return err
		}
		if err := fill(context.WithValue(ctx, fillKey{}, &filling{tx: tx, conn: conn})); err != nil {
			return err
		}
		for _, q := range rebuild {
			if err := db.txScript(ctx, tx, q); err != nil {
				return fmt.Errorf("store: fill: %s: %w", q, err)
			}
		}
		// Each batch's statements added their rows to the counts.
		if err := db.txScript(ctx, tx, compactCounts); err != nil {
			return fmt.Errorf("store: fill: listing counts: %w", err)
		}
		return nil
	})
	return err
}

// dropFillIndexes readies tx for a fill: it takes the tables, makes sure
// they hold no article, and drops their secondary indexes and foreign
// keys, returning the statements that make them again.
func (db *DB) dropFillIndexes(ctx context.Context, tx *sql.Tx) ([]string, error) {
	// Every table at once, so that no other writer can get between the
	// check and the fill; readers wait too, until the commit.
	if err := db.txScript(ctx, tx, `LOCK TABLE `+strings.Join(fillTables, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		return nil, fmt.Errorf("store: fill: %w", err)
	}
	var found bool
	if err := db.txRow(ctx, tx, `SELECT EXISTS (SELECT 1 FROM articles)`).Scan(&found); err != nil {
		return nil, fmt.Errorf("store: fill: %w", err)
	}
	if found {
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
	in := strings.Join(tables, ", ")
	// What drops each index and foreign key, and what makes it again.
	drops, rebuild, err := db.fillSchema(ctx, tx, `SELECT 'DROP INDEX ' || CAST(CAST(i.indexrelid AS regclass) AS text), pg_get_indexdef(i.indexrelid)
		FROM pg_index i WHERE i.indrelid IN (`+in+`)
		AND NOT i.indisunique AND NOT i.indisprimary
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
		ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	fkDrops, fkAdds, err := db.fillSchema(ctx, tx, `SELECT 'ALTER TABLE ' || CAST(CAST(conrelid AS regclass) AS text) || ' DROP CONSTRAINT ' || quote_ident(conname),
		'ALTER TABLE ' || CAST(CAST(conrelid AS regclass) AS text) || ' ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE contype = 'f' AND conrelid IN (`+in+`)
		ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	// An index of the parted search documents (migration 0036) is made
	// again on every part: its definition, as PostgreSQL writes it, is of
	// the parted table ONLY, which would leave the parts without one.
	for i, q := range rebuild {
		rebuild[i] = strings.Replace(q, " ON ONLY ", " ON ", 1)
	}
	for _, q := range append(drops, fkDrops...) {
		if err := db.txScript(ctx, tx, q); err != nil {
			return nil, fmt.Errorf("store: fill: %w", err)
		}
	}
	// The keys are checked once the indexes are back.
	return append(rebuild, fkAdds...), nil
}

// fillSchema reads query's pairs of statements: what drops a part of
// the schema, and what makes it again.
func (db *DB) fillSchema(ctx context.Context, tx *sql.Tx, query string) (drops, makes []string, err error) {
	rows, err := db.txReadOnce(ctx, tx, query)
	if err != nil {
		return nil, nil, fmt.Errorf("store: fill: schema: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var drop, create string
		if err := rows.Scan(&drop, &create); err != nil {
			return nil, nil, fmt.Errorf("store: fill: schema: %w", err)
		}
		drops, makes = append(drops, drop), append(makes, create)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: fill: schema: %w", err)
	}
	return drops, makes, nil
}
