package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dastan/internal/store/storetest"
)

// The pg_dump and pg_restore commands docs/DEPLOY.md gives, run as
// written against a throwaway PostgreSQL: the restored database serves
// the same pages.
func TestDocumentedPostgresBackup(t *testing.T) {
	src, dst := storetest.NewPostgresDatabase(t), storetest.NewPostgresDatabase(t)
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if _, err := exec.LookPath("pg_dump"); err != nil && len(bins) == 0 {
		t.Skip("pg_dump is not installed")
	}
	dump, restore := documented(t, "pg_dump "), documented(t, "pg_restore ")
	if code, _, errs := runCode(t, "demo", "-articles", "40", "-database-url", src); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	backup := t.TempDir()
	path := os.Getenv("PATH")
	if len(bins) > 0 {
		path = filepath.Dir(bins[len(bins)-1]) + ":" + path
	}
	shell := func(command, url string) {
		cmd := exec.Command("sh", "-c", command)
		cmd.Env = append(os.Environ(), "PATH="+path, "BACKUP="+backup, "DASTAN_DATABASE_URL="+url)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", command, err, out)
		}
	}
	shell(dump, src)
	shell(restore, dst)

	// dastan backup on PostgreSQL keeps the instance's media, and says
	// the database is pg_dump's.
	data, media, mediaBack := t.TempDir(), t.TempDir()+"/restored", t.TempDir()+"/media-backup"
	os.MkdirAll(data+"/media/2026", 0o700)
	os.WriteFile(data+"/media/2026/a.png", []byte("png"), 0o600)
	if code, out, errs := runCode(t, "backup", mediaBack, "-database-url", src, "-data-dir", data); code != 0 || !strings.Contains(out, "Backed up 1 files") || !strings.Contains(out, "back it up with pg_dump") {
		t.Errorf("backup on PostgreSQL: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCode(t, "restore", mediaBack, "-database-url", dst, "-data-dir", media); code != 0 || !strings.Contains(out, "restore it with pg_restore") {
		t.Errorf("restore of a PostgreSQL instance's media: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(media + "/media/2026/a.png"); string(b) != "png" {
		t.Errorf("media after restore: %q %v", b, err)
	}

	p, wantArticle, wantHome := pages(t, "", "-database-url", src, "-data-dir", t.TempDir(), "-site-url", "http://news.test")
	_, gotArticle, gotHome := pages(t, p, "-database-url", dst, "-data-dir", t.TempDir(), "-site-url", "http://news.test")
	if gotArticle != wantArticle || gotHome != wantHome {
		t.Errorf("the restored database serves other pages: %s %d bytes (was %d), home %d bytes (was %d)", p, len(gotArticle), len(wantArticle), len(gotHome), len(wantHome))
	}
}

// documented returns the one command in docs/DEPLOY.md, indented as
// code, that starts with prefix.
func documented(t *testing.T, prefix string) string {
	t.Helper()
	f, err := os.Open("../../docs/DEPLOY.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var found []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimPrefix(sc.Text(), "    "); line != sc.Text() && strings.HasPrefix(line, prefix) {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf("docs/DEPLOY.md has %d commands starting %q, want 1: %q", len(found), prefix, found)
	}
	return found[0]
}
