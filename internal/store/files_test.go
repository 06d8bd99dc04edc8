package store_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"dastan/internal/news"
	"dastan/internal/store"
)

// The store holds password hashes: its folder was made 0755 and its
// files 0644 (readable by every user of the machine). Now the folder is
// 0700 and the database, -wal and -shm files 0600, whatever the umask.
func TestStoreFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SaveSection(context.Background(), &news.Section{Name: "News"}); err != nil {
		t.Fatal(err)
	}
	if ch := db.ModeChanges(); len(ch) != 0 {
		t.Errorf("a new store reports narrowed modes: %+v", ch)
	}
	wantModes(t, map[string]fs.FileMode{dir: 0o700, dir + "/dastan.db": 0o600, dir + "/dastan.db-wal": 0o600, dir + "/dastan.db-shm": 0o600})
}

// A store made by an older Dastan is narrowed when opened, and each path
// narrowed is reported for the log.
func TestOldStoreIsNarrowedOnOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for p, m := range map[string]fs.FileMode{dir: 0o755, dir + "/dastan.db": 0o644} {
		if err := os.Chmod(p, m); err != nil {
			t.Fatal(err)
		}
	}
	// A -wal left behind by a crash, readable by all.
	if err := os.WriteFile(dir+"/dastan.db-wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir+"/dastan.db-wal", 0o644)
	db, err = store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantModes(t, map[string]fs.FileMode{dir: 0o700, dir + "/dastan.db": 0o600, dir + "/dastan.db-wal": 0o600, dir + "/dastan.db-shm": 0o600})
	got := map[string]bool{}
	for _, c := range db.ModeChanges() {
		if c.Err != nil {
			t.Errorf("%s: %v", c.Path, c.Err)
		}
		got[c.Path] = true
	}
	for _, p := range []string{dir, dir + "/dastan.db", dir + "/dastan.db-wal"} {
		if !got[p] {
			t.Errorf("narrowing %s was not reported; reported %v", p, got)
		}
	}
}

func wantModes(t *testing.T, want map[string]fs.FileMode) {
	t.Helper()
	for p, m := range want {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if st.Mode().Perm() != m {
			t.Errorf("%s: mode %o, want %o", filepath.Base(p), st.Mode().Perm(), m)
		}
	}
}
