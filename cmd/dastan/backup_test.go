package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"dastan/internal/demo"
	"dastan/internal/store"
)

// A backup taken while the site serves and users are being added
// restores into a fresh folder that serves the same pages.
func TestBackupWhileServingRestoresTheSamePages(t *testing.T) {
	const site = "http://news.test"
	src, backup, restored := t.TempDir()+"/data", t.TempDir()+"/backup", t.TempDir()+"/data"
	if code, _, errs := runCode(t, "demo", "-articles", "60", "-data-dir", src); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	// A media file, as the library keeps them.
	if err := os.MkdirAll(src+"/media/2026/11", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src+"/media/2026/11/photo.jpg", []byte("not really a jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, stop := startServe(t, "-data-dir", src, "-site-url", site) // the site serves throughout

	// A writer keeps adding audit entries, on a connection of its own,
	// all through the backup. The backup is one snapshot: it holds every
	// entry finished before it began and none begun after it ended.
	w, err := store.Open(context.Background(), src, "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	finished, begun := 0, 0
	first := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			mu.Lock()
			begun++
			mu.Unlock()
			if err := w.AddAudit(context.Background(), store.AuditEntry{Action: "test.write", Subject: fmt.Sprint(i)}); err != nil {
				t.Errorf("writing during the backup: %v", err)
				return
			}
			mu.Lock()
			finished++
			mu.Unlock()
			if i == 0 {
				close(first)
			}
		}
	}()
	<-first
	mu.Lock()
	low := finished
	mu.Unlock()
	code, out, errs := runCode(t, "backup", backup, "-data-dir", src)
	mu.Lock()
	high := begun
	mu.Unlock()
	cancel()
	wg.Wait()
	if code != 0 || !strings.Contains(out, "Backed up 2 files") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	copied := countWrites(t, backup)
	if copied < low || copied > high {
		t.Errorf("the backup holds %d writes; want from %d (done before it) to %d (begun before it ended)", copied, low, high)
	}
	t.Logf("backup holds %d writes; %d done before it began, %d begun before it ended, %d in all", copied, low, high, finished)

	path, wantArticle, wantHome := pages(t, "", "-data-dir", src, "-site-url", site)
	stop()

	if code, out, errs := runCode(t, "restore", backup, "-data-dir", restored); code != 0 || !strings.Contains(out, fmt.Sprintf("a store of %d articles", 60+demo.WorkflowStories)) {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(restored + "/media/2026/11/photo.jpg"); err != nil || string(b) != "not really a jpeg" {
		t.Fatalf("the media file came back as %q, %v", b, err)
	}
	_, gotArticle, gotHome := pages(t, path, "-data-dir", restored, "-site-url", site)
	if gotArticle != wantArticle {
		t.Errorf("%s after restore differs from before (%d bytes, was %d)", path, len(gotArticle), len(wantArticle))
	}
	if gotHome != wantHome {
		t.Errorf("the home page after restore differs from before")
	}
}

// pages serves the store args name and returns an article's path (the
// feed's newest, unless path is given), its page and the home page.
func pages(t *testing.T, path string, args ...string) (string, string, string) {
	t.Helper()
	base, _, stop := startServe(t, args...)
	defer stop()
	if path == "" {
		_, body := get(t, base+"/feed/")
		m := regexp.MustCompile(`<link>http://news\.test(/[^<]+/)</link>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no article link in the feed:\n%.600s", body)
		}
		path = m[1]
	}
	code, article := get(t, base+path)
	if code != 200 {
		t.Fatalf("%s: %d", path, code)
	}
	_, home := get(t, base+"/")
	return path, article, home
}

// restore refuses a data directory in use unless told, and then moves
// it aside rather than deleting it; a damaged backup is refused by name.
func TestRestoreRefusesAndChecks(t *testing.T) {
	src, backup, dst := t.TempDir()+"/data", t.TempDir()+"/backup", t.TempDir()+"/data"
	db, err := store.Open(context.Background(), src, "")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, _, errs := runCode(t, "backup", backup, "-data-dir", src); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runCode(t, "backup", backup, "-data-dir", src); code != 1 || !strings.Contains(errs, "is not empty") {
		t.Errorf("a second backup into the same folder: %d %q", code, errs)
	}
	if code, _, errs := runCode(t, "restore", backup, "-data-dir", src); code != 1 || !strings.Contains(errs, "is not empty; use --force") {
		t.Errorf("restore over a live data directory: %d %q", code, errs)
	}
	code, out, errs := runCode(t, "restore", backup, "-data-dir", src, "--force")
	if code != 0 || !strings.Contains(out, "Moved the old data directory to "+src+".before-restore-") {
		t.Errorf("restore --force: %d %q %q", code, out, errs)
	}
	if old, _ := filepath.Glob(src + ".before-restore-*/dastan.db"); len(old) != 1 {
		t.Errorf("the old store was not kept aside: %v", old)
	}
	if code, _, errs := runCode(t, "restore", t.TempDir(), "-data-dir", dst); code != 1 || !strings.Contains(errs, "has no manifest.json") {
		t.Errorf("restore of a folder that is no backup: %d %q", code, errs)
	}
	f, err := os.OpenFile(backup+"/dastan.db", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("damage")
	f.Close()
	if code, _, errs := runCode(t, "restore", backup, "-data-dir", dst); code != 1 || !strings.Contains(errs, "dastan.db differs from the manifest") {
		t.Errorf("restore of a damaged backup: %d %q", code, errs)
	}
}

// countWrites opens a backup's database (a copy, so the backup stays as
// it was) and counts the test's audit entries.
func countWrites(t *testing.T, backup string) int {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(backup + "/dastan.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/dastan.db", b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log, err := db.AuditLog(context.Background(), 1000000, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "test.write" {
			n++
		}
	}
	return n
}
