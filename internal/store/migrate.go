package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// migrate applies, in order and each in its own transaction, every embedded
// migration newer than the schema's recorded version. Files are named
// NNNN_what.sql; their number is their version.
func (db *DB) migrate(ctx context.Context) error {
	// Instances starting together on one PostgreSQL take turns; on SQLite
	// each migration's BEGIN IMMEDIATE already does.
	if db.dialect.name() == "postgres" {
		conn, err := db.w.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: migrations lock: %w", err)
		}
		defer conn.Close()
		if err := connScript(ctx, conn, `SELECT pg_advisory_lock(7212026)`); err != nil {
			return fmt.Errorf("store: migrations lock: %w", err)
		}
		defer connScript(context.WithoutCancel(ctx), conn, `SELECT pg_advisory_unlock(7212026)`)
	}
	if err := db.script(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	dir := db.dialect.migrationsDir()
	entries, err := migrations.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	if err := db.refuseNewerSchema(ctx, entries); err != nil {
		return err
	}
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return fmt.Errorf("store: migration %q is not named NNNN_what.sql", name)
		}
		if other, dup := seen[version]; dup {
			return fmt.Errorf("store: migrations %s and %s share version %d", other, name, version)
		}
		seen[version] = name
		body, err := migrations.ReadFile(path.Join(dir, name))
		if err != nil {
			return fmt.Errorf("store: read migration %s: %w", name, err)
		}
		err = db.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := db.txRow(ctx, tx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := db.txScript(ctx, tx, string(body)); err != nil {
				return err
			}
			_, err := db.txExec(ctx, tx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, version, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
	}
	return nil
}

// refuseNewerSchema fails when the store holds a migration newer than
// this binary's last: a newer Dastan wrote it, perhaps in a form this one
// would misread (packed.go), so an older binary started on it by mistake
// stops with a plain message instead of serving or writing garbage.
func (db *DB) refuseNewerSchema(ctx context.Context, entries []fs.DirEntry) error {
	known := 0
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.Atoi(num); err == nil {
			known = max(known, v)
		}
	}
	var stored sql.NullInt64
	if err := db.writeRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&stored); err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if stored.Valid && stored.Int64 > int64(known) {
		return fmt.Errorf("store: a newer Dastan has written this store (its schema is at version %d; this binary knows up to %d): run the newer release", stored.Int64, known)
	}
	return nil
}
