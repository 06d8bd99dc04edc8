package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// ErrNotSQLite is returned by BackupTo for a PostgreSQL store, which
// pg_dump backs up (docs/DEPLOY.md).
var ErrNotSQLite = errors.New("store: the database is PostgreSQL; back it up with pg_dump (see docs/DEPLOY.md)")

// BackupTo writes a consistent copy of the SQLite store to path, a file
// that must not exist, while the site keeps reading and writing: VACUUM
// INTO reads one snapshot (WAL mode lets writers go on meanwhile) and
// writes a compact database with nothing left in a -wal file. It runs
// on a connection of its own (the readers are query-only, and the one
// writer must not wait for it).
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.Engine() != "sqlite" {
		return ErrNotSQLite
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	var seq int
	var name, file string
	if err := db.readRow(ctx, "PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		return fmt.Errorf("store: backup: finding the database file: %w", err)
	}
	src, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer src.Close()
	if _, err := db.execOn(ctx, src, "VACUUM INTO ?", path); err != nil {
		os.Remove(path) // a partial copy is no backup
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return os.Chmod(path, privateFile)
}
