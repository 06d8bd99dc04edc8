package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dastan/internal/config"
)

// A backup folder holds dastan.db (SQLite stores only), media/ (the
// media library as it is on disk) and manifest.json, written last, which
// lists every file with its size and SHA-256: a folder without it is an
// unfinished backup, and restore checks each file against it.
const manifestName = "manifest.json"

// manifest describes one backup.
type manifest struct {
	Format  int       `json:"format"`  // 1
	Version string    `json:"version"` // the dastan that made it
	Created time.Time `json:"created"`
	Engine  string    `json:"engine"` // sqlite, or postgres (media only: pg_dump has the database)
	Files   []file    `json:"files"`
}

type file struct {
	Path   string `json:"path"` // slash-separated, relative to the backup folder
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// backupCmd copies the store and the media library into a new folder
// while the site goes on serving: "dastan backup DIR".
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dir, rest := leadingArg(args)
	cfg, db, _, err := setup(ctx, fs, rest, config.Store, stdout, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if dir == "" {
		dir = fs.Arg(0)
	}
	if dir == "" {
		return errors.New("backup: name a folder for it: dastan backup DIR")
	}
	if err := emptyDir(dir); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m := manifest{Format: 1, Version: version(), Created: time.Now().UTC(), Engine: db.Engine()}
	// The database first: media files are only ever added under new
	// names, so every file the copy names is there when media is copied.
	if db.Engine() == "sqlite" {
		if err := db.BackupTo(ctx, filepath.Join(dir, "dastan.db")); err != nil {
			return err
		}
		f, err := describe(dir, "dastan.db")
		if err != nil {
			return err
		}
		m.Files = append(m.Files, f)
	}
	// A library in a bucket is the bucket's to keep (its versioning or
	// replication); the data directory's media folder is not it.
	if cfg.Media.Bucket == "" {
		media, err := copyTree(filepath.Join(cfg.DataDir, "media"), dir, "media")
		if err != nil {
			return fmt.Errorf("backup: media: %w", err)
		}
		m.Files = append(m.Files, media...)
	}
	if err := writeManifest(dir, m); err != nil {
		return err
	}
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	fmt.Fprintf(stdout, "Backed up %d files (%s) into %s.\n", len(m.Files), humanSize(size), dir)
	if db.Engine() != "sqlite" {
		fmt.Fprintln(stdout, "The database is PostgreSQL and is not in this folder: back it up with pg_dump (docs/DEPLOY.md).")
	}
	if cfg.Media.Bucket != "" {
		fmt.Fprintf(stdout, "The media library is in bucket %s and is not in this folder: keep the bucket versioned or copy it (docs/DEPLOY.md).\n", cfg.Media.Bucket)
	}
	return nil
}

// restoreCmd puts a backup into an empty data directory:
// "dastan restore DIR [--force]".
func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	force := fs.Bool("force", false, "restore into a data directory that is not empty; what was there is moved aside, not deleted")
	dir, rest := leadingArg(args)
	cfg, err := loadConfig(fs, rest, config.Store, stdout)
	if err != nil {
		return err
	}
	if dir == "" {
		dir = fs.Arg(0)
	}
	if dir == "" {
		return errors.New("restore: name the backup folder: dastan restore DIR")
	}
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	if m.Engine == "sqlite" && cfg.DatabaseURL != "" {
		return errors.New("restore: the backup is of a SQLite store, but DASTAN_DATABASE_URL names PostgreSQL; unset it to restore into DASTAN_DATA_DIR")
	}
	if err := emptyDir(cfg.DataDir); err != nil {
		if !*force {
			return fmt.Errorf("restore: %w; use --force to move it aside and restore anyway", err)
		}
		aside := fmt.Sprintf("%s.before-restore-%s", strings.TrimRight(cfg.DataDir, "/"), time.Now().UTC().Format("20060102T150405"))
		if err := os.Rename(cfg.DataDir, aside); err != nil {
			return fmt.Errorf("restore: moving the old data directory aside: %w", err)
		}
		fmt.Fprintf(stdout, "Moved the old data directory to %s.\n", aside)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	for _, f := range m.Files {
		if err := restoreFile(dir, cfg.DataDir, f); err != nil {
			return fmt.Errorf("restore: %w (the data directory is incomplete; restore again into an empty one)", err)
		}
	}
	if m.Engine != "sqlite" {
		fmt.Fprintf(stdout, "Restored the media library (%d files) into %s. The database is PostgreSQL's: restore it with pg_restore (docs/DEPLOY.md).\n", len(m.Files), cfg.DataDir)
		return nil
	}
	// Opening checks the copy is a store this dastan can use (and
	// migrates it forward when the backup came from an older one).
	db, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return fmt.Errorf("restore: the restored store does not open: %w", err)
	}
	defer db.Close()
	n, err := db.CountArticles(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %d files, a store of %d articles, into %s (backup of %s).\n", len(m.Files), n, cfg.DataDir, m.Created.Format(time.RFC3339))
	return nil
}

// leadingArg splits a folder named before the flags from the rest.
func leadingArg(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// emptyDir makes dir if it is missing and fails unless it is empty.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o700)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return os.Chmod(dir, 0o700) // it will hold password hashes
}

// describe sizes and hashes one file of the backup.
func describe(root, rel string) (file, error) {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return file{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return file{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, err
}

// copyTree copies every regular file under src into dst/rel, hashing as
// it goes. A missing src (no media yet) copies nothing.
func copyTree(src, dst, rel string) ([]file, error) {
	var files []file
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == src {
			return filepath.SkipDir
		}
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		sub, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		f, err := copyFile(path, dst, rel+"/"+filepath.ToSlash(sub))
		files = append(files, f)
		return err
	})
	return files, err
}

// copyFile copies src to root/rel (0600, folders 0700), hashing it.
func copyFile(src, root, rel string) (file, error) {
	in, err := os.Open(src)
	if err != nil {
		return file{}, err
	}
	defer in.Close()
	path := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return file{}, err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return file{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return file{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, err
}

// restoreFile copies one file of the backup into the data directory and
// checks it against the manifest.
func restoreFile(backup, dataDir string, want file) error {
	if !filepath.IsLocal(filepath.FromSlash(want.Path)) {
		return fmt.Errorf("the manifest names %q, outside the backup", want.Path)
	}
	got, err := copyFile(filepath.Join(backup, filepath.FromSlash(want.Path)), dataDir, want.Path)
	if err != nil {
		return err
	}
	if got.Size != want.Size || got.SHA256 != want.SHA256 {
		return fmt.Errorf("%s differs from the manifest (%d bytes, sha256 %s; want %d, %s): the backup is damaged", want.Path, got.Size, got.SHA256, want.Size, want.SHA256)
	}
	return nil
}

func writeManifest(dir string, m manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, manifestName), append(b, '\n'), 0o600)
}

func readManifest(dir string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("restore: %s has no %s: it is not a backup, or an unfinished one", dir, manifestName)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Format != 1 {
		return m, fmt.Errorf("restore: %s: not a backup manifest this dastan reads (format %d): %v", manifestName, m.Format, err)
	}
	return m, nil
}

// humanSize writes a byte count as people read it.
func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
