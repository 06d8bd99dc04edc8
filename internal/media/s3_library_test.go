package media_test

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dastan/internal/media"
	"dastan/internal/media/s3test"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// instance is one Dastan process's media: its own service and client
// over the shared store and bucket, and its /media/ server.
type instance struct {
	svc *media.Service
	srv *httptest.Server
}

func newInstance(t *testing.T, db *store.DB, cfg media.S3Config) instance {
	t.Helper()
	st, err := media.NewS3Storage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", media.FileServer(st))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return instance{svc: &media.Service{Store: db, Storage: st}, srv: srv}
}

// bucketKeys lists what the bucket holds.
func bucketKeys(t *testing.T, st media.Storage) []string {
	t.Helper()
	var keys []string
	if err := st.(media.Inventory).Walk(context.Background(), func(k string) error { keys = append(keys, k); return nil }); err != nil {
		t.Fatal(err)
	}
	return keys
}

func fetch(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// Two instances on one store and one bucket: what one uploads the other
// serves, a re-upload through the other is matched by its hash and
// writes nothing, and a delete through either removes the files for both.
func TestS3TwoInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cfg := s3test.Bucket(t)
		cfg.Prefix = "media"
		a, b := newInstance(t, db, cfg), newInstance(t, db, cfg)
		data := photo(t, 1000, 600)

		m, err := a.svc.Upload(ctx, author, "steppe.jpg", bytes.NewReader(data), media.Text{Alt: "The steppe"})
		if err != nil {
			t.Fatal(err)
		}
		keys := bucketKeys(t, a.svc.Storage)
		if len(m.Renditions) < 2 || len(keys) != len(m.Renditions) {
			t.Fatalf("%d renditions, bucket holds %v", len(m.Renditions), keys)
		}
		for _, w := range m.Widths() {
			url := b.svc.Storage.URL(m.Renditions[w])
			code, ctype, body := fetch(t, b.srv.URL+url)
			if code != 200 || ctype != "image/jpeg" {
				t.Fatalf("GET %s through the other instance: %d %s", url, code, ctype)
			}
			img, err := jpeg.DecodeConfig(bytes.NewReader(body))
			if err != nil || img.Width != w {
				t.Fatalf("%s: width %d (%v), want %d", url, img.Width, err, w)
			}
		}
		before, _ := b.svc.Storage.(media.Inventory).Stat(ctx, m.Renditions[m.Widths()[0]])

		again, err := b.svc.Upload(ctx, author, "copy.jpg", bytes.NewReader(data), media.Text{})
		if err != nil || again.ID != m.ID || again.Alt != "The steppe" {
			t.Fatalf("re-upload through the other instance: %+v %v", again, err)
		}
		after, _ := b.svc.Storage.(media.Inventory).Stat(ctx, m.Renditions[m.Widths()[0]])
		if !after.ModTime.Equal(before.ModTime) || len(bucketKeys(t, b.svc.Storage)) != len(keys) {
			t.Fatal("the re-upload wrote files")
		}

		if err := b.svc.Delete(ctx, editor, m.ID); err != nil {
			t.Fatal(err)
		}
		if keys := bucketKeys(t, a.svc.Storage); len(keys) != 0 {
			t.Fatalf("files left after delete: %v", keys)
		}
		if code, _, _ := fetch(t, a.srv.URL+a.svc.Storage.URL(m.Renditions[m.Widths()[0]])); code != 404 {
			t.Fatalf("deleted file through the first instance: %d", code)
		}
	})
}

// Refusals are what they are on disk, and leave the bucket empty.
func TestS3UploadRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		in := newInstance(t, db, s3test.Bucket(t))
		in.svc.Limits = media.Limits{MaxBytes: 50_000}
		for _, c := range []struct {
			name string
			data []byte
			want error
		}{
			{"not an image", []byte("<html><script>alert(1)</script></html>"), media.ErrNotImage},
			{"truncated", photo(t, 300, 200)[:400], media.ErrDamaged},
			{"too large", photo(t, 1200, 900), media.ErrTooLarge},
			{"empty", nil, media.ErrEmpty},
		} {
			_, err := in.svc.Upload(ctx, author, c.name+".jpg", bytes.NewReader(c.data), media.Text{})
			if !errors.Is(err, c.want) || !errors.Is(err, media.ErrRejected) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		if keys := bucketKeys(t, in.svc.Storage); len(keys) != 0 {
			t.Fatalf("refused uploads left %v", keys)
		}
		if _, total, _ := db.ListMedia(ctx, "", 10, 0); total != 0 {
			t.Fatalf("%d rows after refused uploads", total)
		}
	})
}

// A bucket that does not answer fails the upload with an error naming
// it, records nothing, and leaves the library as it was.
func TestS3Unreachable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		up := newInstance(t, db, s3test.Bucket(t))
		kept, err := up.svc.Upload(ctx, author, "kept.jpg", bytes.NewReader(photo(t, 400, 300)), media.Text{})
		if err != nil {
			t.Fatal(err)
		}
		cfg := s3test.Unreachable(t)
		down := newInstance(t, db, cfg)
		_, err = down.svc.Upload(ctx, author, "lost.jpg", bytes.NewReader(photo(t, 500, 300)), media.Text{})
		if err == nil || errors.Is(err, media.ErrRejected) || !strings.Contains(err.Error(), cfg.Endpoint[len("http://"):]) ||
			!strings.Contains(err.Error(), "bucket "+cfg.Bucket) {
			t.Fatalf("upload to an unreachable bucket: %v", err)
		}
		if err := down.svc.Storage.(*media.S3Storage).Check(ctx); err == nil {
			t.Fatal("Check passed on an unreachable bucket")
		}
		items, total, err := db.ListMedia(ctx, "", 10, 0)
		if err != nil || total != 1 || items[0].ID != kept.ID {
			t.Fatalf("library after the failure: %d items %v", total, err)
		}
		if code, _, _ := fetch(t, down.srv.URL+down.svc.Storage.URL(kept.Renditions[kept.Widths()[0]])); code != 500 {
			t.Fatalf("serving from an unreachable bucket: %d", code)
		}
		if code, _, _ := fetch(t, up.srv.URL+up.svc.Storage.URL(kept.Renditions[kept.Widths()[0]])); code != 200 {
			t.Fatalf("serving the kept file: %d", code)
		}
	})
}

// hookedStorage calls hook before each Put; an error from it fails that Put.
type hookedStorage struct {
	media.Storage
	puts int
	hook func(n int) error
}

func (h *hookedStorage) Put(ctx context.Context, key string, r io.Reader, ct string) error {
	h.puts++
	if err := h.hook(h.puts); err != nil {
		return err
	}
	return h.Storage.Put(ctx, key, r, ct)
}

// Two instances take the same file at once and one of them fails half-way:
// its clean-up must not delete the files the other has just recorded,
// which are under the same keys in the shared bucket.
func TestS3FailedUploadKeepsAnotherInstancesFiles(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	cfg := s3test.Bucket(t)
	a, b := newInstance(t, db, cfg), newInstance(t, db, cfg)
	data := photo(t, 1000, 600)
	var m store.Media
	b.svc.Storage = &hookedStorage{Storage: b.svc.Storage, hook: func(n int) error {
		if n < 3 {
			return nil
		}
		// B has written two files; A now takes the same upload whole.
		var err error
		if m, err = a.svc.Upload(ctx, author, "a.jpg", bytes.NewReader(data), media.Text{}); err != nil {
			t.Fatal(err)
		}
		return errors.New("connection reset")
	}}
	if _, err := b.svc.Upload(ctx, author, "b.jpg", bytes.NewReader(data), media.Text{}); err == nil {
		t.Fatal("the failing upload succeeded")
	}
	for _, w := range m.Widths() {
		if code, _, _ := fetch(t, a.srv.URL+a.svc.Storage.URL(m.Renditions[w])); code != 200 {
			t.Fatalf("rendition %d of the recorded upload: %d", w, code)
		}
	}
}
