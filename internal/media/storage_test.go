package media_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dastan/internal/media"
)

func TestLocalStorage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := media.NewLocalStorage(filepath.Join(dir, "media"))
	key := "ab/cd/abcdef-640.jpg"
	putTwice(t, s, key)
	entries, _ := os.ReadDir(filepath.Join(dir, "media", "ab", "cd"))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	if s.URL(key) != "/media/ab/cd/abcdef-640.jpg" {
		t.Fatalf("URL = %s", s.URL(key))
	}
	deleteTwice(t, s, key)

	// A failed copy leaves nothing under the key.
	if err := s.Put(ctx, key, io.MultiReader(strings.NewReader("part"), errReader{}), "image/jpeg"); err == nil {
		t.Fatal("put of a failing reader succeeded")
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "media", "ab", "cd")); len(entries) != 0 {
		t.Fatalf("files after a failed put: %v", entries)
	}

	outside := filepath.Join(dir, "secret.jpg")
	os.WriteFile(outside, []byte("secret"), 0o644)
	for _, bad := range []string{"", "../secret.jpg", "ab/../../secret.jpg", "/etc/passwd", "ab//cd.jpg",
		"ab/./cd.jpg", ".hidden.jpg", "AB/CD.JPG", `ab\..\x.jpg`, "ab/cd.jpg\x00", "ab/cd/é.jpg"} {
		if err := s.Put(ctx, bad, strings.NewReader("x"), "image/jpeg"); !errors.Is(err, media.ErrBadKey) {
			t.Errorf("Put(%q) = %v, want ErrBadKey", bad, err)
		}
		if _, err := s.Open(ctx, bad); !errors.Is(err, media.ErrBadKey) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) = %v", bad, err)
		}
		if err := s.Delete(ctx, bad); !errors.Is(err, media.ErrBadKey) {
			t.Errorf("Delete(%q) = %v", bad, err)
		}
	}
	if b, _ := os.ReadFile(outside); string(b) != "secret" {
		t.Fatal("a file outside the storage changed")
	}
}

// putTwice stores "first" then "second" under key, and reads "second".
func putTwice(t *testing.T, s media.Storage, key string) {
	t.Helper()
	ctx := context.Background()
	for _, content := range []string{"first", "second"} {
		if err := s.Put(ctx, key, strings.NewReader(content), "image/jpeg"); err != nil {
			t.Fatal(err)
		}
	}
	f, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "second" {
		t.Fatalf("read %q", b)
	}
}

// deleteTwice deletes key, then deletes it again (not an error), and
// finds nothing there.
func deleteTwice(t *testing.T, s media.Storage, key string) {
	t.Helper()
	ctx := context.Background()
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("deleting a missing file: %v", err)
	}
	if _, err := s.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("open after delete: %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestFileServer(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := media.NewLocalStorage(dir)
	s.Put(ctx, "ab/cd/abcd-320.jpg", strings.NewReader("jpeg bytes"), "image/jpeg")
	s.Put(ctx, "ab/cd/abcd-320.png", strings.NewReader("png bytes"), "image/png")
	s.Put(ctx, "ab/cd/abcd-320.html", strings.NewReader("<script>"), "text/html") // never served
	os.WriteFile(filepath.Join(filepath.Dir(dir), "outside.jpg"), []byte("outside"), 0o644)

	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", media.FileServer(s))
	get := func(method, path string, hdr ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "http://x"+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w
	}

	w := get("GET", "/media/ab/cd/abcd-320.jpg")
	h := w.Header()
	if w.Code != 200 || w.Body.String() != "jpeg bytes" || h.Get("Content-Type") != "image/jpeg" ||
		h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("ETag") == "" {
		t.Fatalf("GET jpg: %d %q %v", w.Code, w.Body, h)
	}
	if w := get("GET", "/media/ab/cd/abcd-320.png"); w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("png content type %q", w.Header().Get("Content-Type"))
	}
	if w := get("HEAD", "/media/ab/cd/abcd-320.jpg"); w.Code != 200 || w.Body.Len() != 0 {
		t.Fatalf("HEAD: %d %q", w.Code, w.Body)
	}
	if w := get("GET", "/media/ab/cd/abcd-320.jpg", "If-None-Match", h.Get("ETag")); w.Code != 304 {
		t.Fatalf("conditional GET: %d", w.Code)
	}
	if w := get("GET", "/media/ab/cd/abcd-320.jpg", "Range", "bytes=0-3"); w.Code != 206 || w.Body.String() != "jpeg" {
		t.Fatalf("range: %d %q", w.Code, w.Body)
	}
	for _, p := range []string{"/media/ab/cd/abcd-320.html", "/media/ab/cd/missing-320.jpg", "/media/../outside.jpg",
		"/media/%2e%2e/outside.jpg", "/media/ab/cd/ABCD-320.JPG", "/media/"} {
		// The router itself answers some of these with a redirect to the
		// cleaned path; nothing is served either way.
		if w := get("GET", p); w.Code == 200 {
			t.Errorf("GET %s: %d %q", p, w.Code, w.Body)
		} else if strings.Contains(w.Body.String(), "<script>") || w.Body.String() == "outside" {
			t.Errorf("GET %s served %q", p, w.Body)
		}
	}
}
