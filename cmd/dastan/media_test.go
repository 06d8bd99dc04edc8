package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/config"
	"dastan/internal/media"
	"dastan/internal/media/s3test"
	"dastan/internal/store"
)

// picture is a JPEG w × h, different for each seed.
func picture(t *testing.T, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x) + seed, uint8(y), seed, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// files reads every file of an Inventory, by key.
func files(t *testing.T, inv media.Inventory) map[string][32]byte {
	t.Helper()
	ctx := context.Background()
	out := map[string][32]byte{}
	err := inv.Walk(ctx, func(k string) error {
		f, err := inv.Open(ctx, k)
		if err != nil {
			return err
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		out[k] = sha256.Sum256(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(t *testing.T, what string, got, want map[string][32]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d files, want %d", what, len(got), len(want))
	}
	for k, sum := range want {
		if got[k] != sum {
			t.Fatalf("%s: %s differs or is missing", what, k)
		}
	}
}

// dastan media move copies the library to a bucket and back, checking
// every file; a second run copies nothing, a run after an interruption
// or damage copies only what is missing or wrong, and an unreachable
// bucket is an error that loses nothing.
func TestMediaMove(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bucket := s3test.Bucket(t)
	cfg, err := config.FromEnv(func(k string) string { return map[string]string{"DASTAN_DATA_DIR": dir}[k] })
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	disk := media.LocalFor(cfg)
	svc := &media.Service{Store: db, Storage: disk}
	var items []store.Media
	for i := range 3 {
		m, err := svc.Upload(ctx, auth.User{ID: 1, Role: auth.Admin}, "p.jpg", bytes.NewReader(picture(t, 900, 500, uint8(i))), media.Text{})
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, m)
	}
	// A document an import kept, which no library item names.
	if err := disk.Put(ctx, "0a/0b/0a0b0c.pdf", strings.NewReader("%PDF-1.4 report"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	// A rendition the library names but that was lost from disk.
	lost := items[2].Renditions[items[2].Widths()[0]]
	os.Remove(filepath.Join(dir, "media", filepath.FromSlash(lost)))
	db.Close()
	original := files(t, disk)

	for k, v := range map[string]string{"DASTAN_MEDIA_S3_BUCKET": bucket.Bucket, "DASTAN_MEDIA_S3_ENDPOINT": bucket.Endpoint,
		"DASTAN_MEDIA_S3_REGION": bucket.Region, "DASTAN_MEDIA_S3_ACCESS_KEY": bucket.AccessKey, "DASTAN_MEDIA_S3_SECRET_KEY": bucket.SecretKey,
		"DASTAN_MEDIA_S3_PREFIX": "media"} {
		t.Setenv(k, v)
	}
	move := func(to string) (string, error) {
		var out, errs syncBuffer
		err := run(ctx, []string{"media", "move", "--to", to, "-data-dir", dir, "-log-level", "error"}, &out, &errs)
		return out.String(), err
	}
	n := len(original)
	out, err := move("s3")
	if err != nil || !strings.Contains(out, strconv.Itoa(n)+" files: "+strconv.Itoa(n)+" copied and checked") || !strings.Contains(out, "1 files the library names were not in the source") ||
		!strings.Contains(out, lost) {
		t.Fatalf("move to s3: %v\n%s", err, out)
	}
	cfg.Media = config.MediaStorage{Bucket: bucket.Bucket, Prefix: "media", Endpoint: bucket.Endpoint, Region: bucket.Region,
		AccessKey: bucket.AccessKey, SecretKey: bucket.SecretKey}
	s3, err := media.S3For(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "bucket after the move", files(t, s3), original)

	out, err = move("s3")
	if err != nil || !strings.Contains(out, strconv.Itoa(n)+" files: 0 copied and checked (0 bytes), "+strconv.Itoa(n)+" already there") {
		t.Fatalf("second move: %v\n%s", err, out)
	}

	// An interrupted or damaged copy: one object missing, one with other
	// bytes. The next run mends exactly those.
	keys := items[0].Renditions
	s3.Delete(ctx, keys[items[0].Widths()[0]])
	s3.Put(ctx, keys[items[0].Widths()[1]], strings.NewReader("half a file"), "image/jpeg")
	out, err = move("s3")
	if err != nil || !strings.Contains(out, strconv.Itoa(n)+" files: 2 copied and checked") {
		t.Fatalf("move after damage: %v\n%s", err, out)
	}
	sameFiles(t, "bucket after mending", files(t, s3), original)

	// And back, into an empty media folder.
	if err := os.RemoveAll(filepath.Join(dir, "media")); err != nil {
		t.Fatal(err)
	}
	out, err = move("disk")
	if err != nil || !strings.Contains(out, strconv.Itoa(n)+" files: "+strconv.Itoa(n)+" copied and checked") {
		t.Fatalf("move to disk: %v\n%s", err, out)
	}
	sameFiles(t, "disk after moving back", files(t, disk), original)

	// A bucket that does not answer: a clear error, nothing lost.
	down := s3test.Unreachable(t)
	t.Setenv("DASTAN_MEDIA_S3_ENDPOINT", down.Endpoint)
	if out, err := move("s3"); err == nil || !strings.Contains(err.Error(), down.Endpoint[len("http://"):]) {
		t.Fatalf("move to an unreachable bucket: %v\n%s", err, out)
	}
	if out, err := move("disk"); err == nil || !strings.Contains(err.Error(), "bucket "+bucket.Bucket) {
		t.Fatalf("move from an unreachable bucket: %v\n%s", err, out)
	}
	sameFiles(t, "disk after failed moves", files(t, disk), original)

	if _, err := move("cloud"); err == nil || !strings.Contains(err.Error(), "--to s3|disk") {
		t.Fatalf("--to cloud: %v", err)
	}
	t.Setenv("DASTAN_MEDIA_S3_BUCKET", "")
	for _, k := range []string{"ENDPOINT", "REGION", "ACCESS_KEY", "SECRET_KEY", "PREFIX"} {
		t.Setenv("DASTAN_MEDIA_S3_"+k, "")
	}
	if _, err := move("s3"); err == nil || !strings.Contains(err.Error(), "DASTAN_MEDIA_S3_BUCKET") {
		t.Fatalf("move without a bucket: %v", err)
	}
}
