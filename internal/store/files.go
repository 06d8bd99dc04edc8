package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// The SQLite store holds password hashes, session and API-token hashes and
// unpublished articles, so its folder and files belong to Dastan's user
// alone: the folder 0700, the database and its -wal and -shm files 0600.
// Modes are set with chmod after creating, so the umask cannot widen
// them, and a store made by an older Dastan is narrowed when opened.
const (
	privateDir  fs.FileMode = 0o700
	privateFile fs.FileMode = 0o600
)

// ModeChange is a path Open made private to Dastan's user, or failed to
// (Err set: the store still opens, but the path stays readable by others).
type ModeChange struct {
	Path     string
	From, To fs.FileMode
	Err      error
}

// ModeChanges lists what Open narrowed (or could not) in the data
// directory, for the caller to log.
func (db *DB) ModeChanges() []ModeChange { return db.modeChanges }

// privateDataDir creates dir (and any missing parents) as 0700, or
// narrows an existing dir to it.
func privateDataDir(dir string) ([]ModeChange, error) {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, privateDir); err != nil {
			return nil, fmt.Errorf("store: data directory: %w", err)
		}
		if err := os.Chmod(dir, privateDir); err != nil {
			return nil, fmt.Errorf("store: data directory: %w", err)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("store: data directory %s is not a directory", dir)
	}
	return narrow(nil, dir, st.Mode(), privateDir), nil
}

// privateDBFile creates the database file as 0600 if it is missing, or
// narrows it, before SQLite opens it: SQLite gives the -wal and -shm files
// it makes the database file's mode.
func privateDBFile(path string) ([]ModeChange, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateFile)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	st, err := f.Stat()
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return narrow(nil, path, st.Mode(), privateFile), nil
}

// privateSidecars narrows whichever of the database's -wal and -shm
// files exist: an older Dastan's are left readable by others.
func privateSidecars(changes []ModeChange, path string) []ModeChange {
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if st, err := os.Stat(p); err == nil {
			changes = narrow(changes, p, st.Mode(), privateFile)
		}
	}
	return changes
}

// narrow sets p's permission bits to want when they differ, and records
// a change when it took away anything (or failed to).
func narrow(changes []ModeChange, p string, mode, want fs.FileMode) []ModeChange {
	from := mode.Perm()
	if from == want {
		return changes
	}
	err := os.Chmod(p, want)
	if from&^want != 0 || err != nil {
		changes = append(changes, ModeChange{Path: p, From: from, To: want, Err: err})
	}
	return changes
}
