package media_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dastan/internal/media"
	"dastan/internal/media/s3test"
)

func TestS3Storage(t *testing.T) {
	ctx := context.Background()
	s := s3test.Storage(t)
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	key := "ab/cd/abcdef-640.jpg"
	putTwice(t, s, key)
	// A reader that cannot seek is read whole first.
	if err := s.Put(ctx, "ab/cd/abcdef.pdf", io.MultiReader(strings.NewReader("%PDF-"), strings.NewReader("1.4")), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	fi, err := s.Stat(ctx, key)
	// SHA-256 of "second".
	if err != nil || fi.Size != 6 || fi.SHA256 != "16367aacb67a4a017c8da8ab95682ccb390863780f7114dda0a0e0c55644c7c4" || fi.ModTime.IsZero() {
		t.Fatalf("stat: %+v %v", fi, err)
	}
	var keys []string
	if err := s.Walk(ctx, func(k string) error { keys = append(keys, k); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"ab/cd/abcdef-640.jpg", "ab/cd/abcdef.pdf"}) {
		t.Fatalf("walk: %v", keys)
	}
	if s.URL(key) != "/media/ab/cd/abcdef-640.jpg" {
		t.Fatalf("URL = %s", s.URL(key))
	}
	deleteTwice(t, s, key)
	if _, err := s.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("stat after delete: %v", err)
	}
	// A failed read leaves nothing under the key.
	if err := s.Put(ctx, key, io.MultiReader(strings.NewReader("part"), errReader{}), "image/jpeg"); err == nil {
		t.Fatal("put of a failing reader succeeded")
	}
	if _, err := s.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after a failed put: %v", err)
	}
	for _, bad := range []string{"", "../secret.jpg", "/etc/passwd", "ab//cd.jpg", ".hidden.jpg", "AB/CD.JPG"} {
		if err := s.Put(ctx, bad, strings.NewReader("x"), "image/jpeg"); !errors.Is(err, media.ErrBadKey) {
			t.Errorf("Put(%q) = %v, want ErrBadKey", bad, err)
		}
		if _, err := s.Open(ctx, bad); !errors.Is(err, media.ErrBadKey) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) = %v", bad, err)
		}
	}
}

// With a prefix, keys live under it, and a public URL names the bucket's
// root.
func TestS3StoragePrefix(t *testing.T) {
	ctx := context.Background()
	cfg := s3test.Bucket(t)
	cfg.Prefix, cfg.PublicURL = "/site-a/media/", "https://cdn.example.org/"
	a, err := media.NewS3Storage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Prefix = "site-b"
	b, err := media.NewS3Storage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Put(ctx, "ab/cd/x-320.jpg", strings.NewReader("a"), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Stat(ctx, "ab/cd/x-320.jpg"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("another prefix sees the file: %v", err)
	}
	if got := a.URL("ab/cd/x-320.jpg"); got != "https://cdn.example.org/site-a/media/ab/cd/x-320.jpg" {
		t.Fatalf("URL = %s", got)
	}
}

// FileServer streams a bucket's objects over real HTTP, with what a CDN
// and a browser need: type, caching, validators and ranges.
func TestFileServerS3(t *testing.T) {
	ctx := context.Background()
	s := s3test.Storage(t)
	s.Put(ctx, "ab/cd/abcd-320.jpg", strings.NewReader("jpeg bytes"), "image/jpeg")
	s.Put(ctx, "ab/cd/abcd.pdf", strings.NewReader("%PDF-1.4 document"), "application/pdf")
	s.Put(ctx, "ab/cd/abcd.mp3", strings.NewReader("ID3 audio"), "audio/mpeg")
	s.Put(ctx, "ab/cd/abcd.docx", strings.NewReader("PK word"), "application/octet-stream")
	s.Put(ctx, "ab/cd/abcd-320.html", strings.NewReader("<script>"), "text/html") // never served
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", media.FileServer(s))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(method, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("GET", "/media/ab/cd/abcd-320.jpg")
	h := resp.Header
	if resp.StatusCode != 200 || body != "jpeg bytes" || h.Get("Content-Type") != "image/jpeg" ||
		h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("ETag") == "" || h.Get("Last-Modified") == "" || h.Get("Content-Length") != "10" {
		t.Fatalf("GET jpg: %d %q %v", resp.StatusCode, body, h)
	}
	if r, _ := get("GET", "/media/ab/cd/abcd-320.jpg", "If-None-Match", h.Get("ETag")); r.StatusCode != 304 {
		t.Fatalf("If-None-Match: %d", r.StatusCode)
	}
	lm, _ := http.ParseTime(h.Get("Last-Modified"))
	if r, _ := get("GET", "/media/ab/cd/abcd-320.jpg", "If-Modified-Since", lm.Add(time.Second).Format(http.TimeFormat)); r.StatusCode != 304 {
		t.Fatalf("If-Modified-Since: %d", r.StatusCode)
	}
	if r, b := get("GET", "/media/ab/cd/abcd-320.jpg", "Range", "bytes=5-"); r.StatusCode != 206 || b != "bytes" ||
		r.Header.Get("Content-Range") != "bytes 5-9/10" {
		t.Fatalf("range: %d %q %v", r.StatusCode, b, r.Header)
	}
	// Two ranges: the file is read at one place, then another before it.
	if r, b := get("GET", "/media/ab/cd/abcd-320.jpg", "Range", "bytes=5-7,0-3"); r.StatusCode != 206 ||
		!strings.Contains(b, "\r\n\r\nbyt\r\n") || !strings.Contains(b, "\r\n\r\njpeg\r\n") {
		t.Fatalf("two ranges: %d %q", r.StatusCode, b)
	}
	if r, b := get("HEAD", "/media/ab/cd/abcd-320.jpg"); r.StatusCode != 200 || b != "" || r.Header.Get("Content-Length") != "10" {
		t.Fatalf("HEAD: %d %q", r.StatusCode, b)
	}
	for _, c := range []struct{ path, ctype, body, disposition string }{
		{"/media/ab/cd/abcd.pdf", "application/pdf", "%PDF-1.4 document", ""},
		{"/media/ab/cd/abcd.mp3", "audio/mpeg", "ID3 audio", ""},
		{"/media/ab/cd/abcd.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK word", "attachment"},
	} {
		r, b := get("GET", c.path)
		if r.StatusCode != 200 || b != c.body || r.Header.Get("Content-Type") != c.ctype || r.Header.Get("Content-Disposition") != c.disposition {
			t.Errorf("GET %s: %d %q %v", c.path, r.StatusCode, b, r.Header)
		}
	}
	for _, p := range []string{"/media/ab/cd/abcd-320.html", "/media/ab/cd/missing-320.jpg", "/media/ab/cd/ABCD-320.JPG"} {
		if r, b := get("GET", p); r.StatusCode != 404 || strings.Contains(b, "<script>") {
			t.Errorf("GET %s: %d %q", p, r.StatusCode, b)
		}
	}
}

// Serving a file from a bucket asks the store once: the GET that streams
// it also says its size and time.
func TestFileServerS3AsksOnce(t *testing.T) {
	cfg := s3test.Bucket(t)
	u, err := url.Parse(cfg.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int64
	rp := httputil.NewSingleHostReverseProxy(u)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { asked.Add(1); rp.ServeHTTP(w, r) }))
	defer proxy.Close()
	cfg.Endpoint = proxy.URL
	s, err := media.NewS3Storage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Repeat("x", 64<<10)
	if err := s.Put(context.Background(), "ab/cd/abcd-640.jpg", strings.NewReader(data), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	h := media.FileServer(s)
	asked.Store(0)
	for range 10 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/media/ab/cd/abcd-640.jpg", nil))
		if w.Code != 200 || w.Body.String() != data {
			t.Fatalf("GET: %d, %d bytes", w.Code, w.Body.Len())
		}
	}
	if n := asked.Load(); n != 10 {
		t.Fatalf("10 files served with %d requests to the store", n)
	}
}

// BenchmarkFileServer serves a 64 KiB rendition from disk and from a
// bucket on this machine.
func BenchmarkFileServer(b *testing.B) {
	ctx := context.Background()
	data := strings.Repeat("x", 64<<10)
	for _, c := range []struct {
		name string
		st   media.Storage
	}{{"disk", media.NewLocalStorage(b.TempDir())}, {"bucket", s3test.Storage(b)}} {
		b.Run(c.name, func(b *testing.B) {
			if err := c.st.Put(ctx, "ab/cd/abcd-640.jpg", strings.NewReader(data), "image/jpeg"); err != nil {
				b.Fatal(err)
			}
			h := media.FileServer(c.st)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/media/ab/cd/abcd-640.jpg", nil))
				if w.Code != 200 || w.Body.Len() != len(data) {
					b.Fatalf("%d, %d bytes", w.Code, w.Body.Len())
				}
			}
		})
	}
}
