package wordpress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// MediaSource hands over the file an upload URL pointed at, by its path
// under the uploads directory ("2025/03/photo.jpg").
type MediaSource interface {
	Open(ctx context.Context, rel string) (io.ReadCloser, error)
}

// MediaStore keeps a file and says where readers will find it. Equal
// content is stored once.
type MediaStore interface {
	Put(ctx context.Context, name string, r io.Reader) (url, sha string, err error)
}

// DirSource reads files from a copy of wp-content/uploads.
type DirSource struct{ Root string }

// Open opens rel under the uploads directory.
func (d DirSource) Open(_ context.Context, rel string) (io.ReadCloser, error) {
	clean := path.Clean("/" + rel)
	return os.Open(filepath.Join(d.Root, filepath.FromSlash(clean)))
}

// HTTPSource fetches files from the old site, with a timeout per attempt
// and retries on network errors and server failures.
type HTTPSource struct {
	Base    string // e.g. https://example.com/wp-content/uploads
	Client  *http.Client
	Retries int
}

// Open fetches Base/rel.
func (h HTTPSource) Open(ctx context.Context, rel string) (io.ReadCloser, error) {
	c := h.Client
	if c == nil {
		c = &http.Client{Timeout: 60 * time.Second}
	}
	u := strings.TrimSuffix(h.Base, "/") + "/" + strings.TrimPrefix(rel, "/")
	var last error
	for attempt := 0; attempt <= h.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 500 * time.Millisecond):
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.Do(req)
		if err != nil {
			last = err
			continue
		}
		if resp.StatusCode == http.StatusOK {
			return resp.Body, nil
		}
		resp.Body.Close()
		last = fmt.Errorf("%s: %s", u, resp.Status)
		if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			return nil, fmt.Errorf("%w: %w", os.ErrNotExist, last)
		}
	}
	return nil, last
}

// DirStore keeps files under Dir by the SHA-256 of their content, and
// serves them under URLPrefix: /media/ab/abcdef….jpg.
type DirStore struct {
	Dir       string
	URLPrefix string
}

// Put stores r's content once, whatever name it arrives under.
func (d DirStore) Put(_ context.Context, name string, r io.Reader) (string, string, error) {
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return "", "", err
	}
	tmp, err := os.CreateTemp(d.Dir, ".incoming-*")
	if err != nil {
		return "", "", err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		tmp.Close()
		return "", "", err
	}
	if err := tmp.Close(); err != nil {
		return "", "", err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	ext := strings.ToLower(path.Ext(name))
	if len(ext) > 6 {
		ext = ""
	}
	rel := sum[:2] + "/" + sum + ext
	dst := filepath.Join(d.Dir, filepath.FromSlash(rel))
	if _, err := os.Stat(dst); err != nil {
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", "", err
		}
		if err := os.Rename(tmp.Name(), dst); err != nil {
			return "", "", err
		}
	}
	prefix := d.URLPrefix
	if prefix == "" {
		prefix = "/media/"
	}
	return prefix + rel, sum, nil
}

// Media brings an export's files over: each distinct upload is fetched
// once, at most Concurrency at a time, and what could not be found is
// remembered for the report.
type Media struct {
	Source      MediaSource
	Store       MediaStore
	Concurrency int

	once sync.Once
	sem  chan struct{}
	mu   sync.Mutex
	memo map[string]*mediaResult
	miss []string
}

type mediaResult struct {
	done     chan struct{}
	url, sha string
	err      error
}

func (m *Media) init() {
	m.once.Do(func() {
		n := m.Concurrency
		if n <= 0 {
			n = 8
		}
		m.sem = make(chan struct{}, n)
		m.memo = map[string]*mediaResult{}
	})
}

// Resolve brings over the file that rawURL (an upload URL of the old site)
// names and returns its new URL; ok is false when it could not be found.
func (m *Media) Resolve(ctx context.Context, rawURL string) (newURL, sha string, ok bool) {
	if m == nil {
		return "", "", false
	}
	rel := UploadPath(rawURL)
	if rel == "" {
		return "", "", false
	}
	m.init()
	m.mu.Lock()
	res, seen := m.memo[rel]
	if !seen {
		res = &mediaResult{done: make(chan struct{})}
		m.memo[rel] = res
	}
	m.mu.Unlock()
	if !seen {
		res.url, res.sha, res.err = m.fetch(ctx, rel)
		if res.err != nil {
			m.mu.Lock()
			m.miss = append(m.miss, fmt.Sprintf("%s (%v)", rel, shortErr(res.err)))
			m.mu.Unlock()
		}
		close(res.done)
	}
	select {
	case <-res.done:
	case <-ctx.Done():
		return "", "", false
	}
	return res.url, res.sha, res.err == nil
}

func (m *Media) fetch(ctx context.Context, rel string) (string, string, error) {
	select {
	case m.sem <- struct{}{}:
	case <-ctx.Done():
		return "", "", ctx.Err()
	}
	defer func() { <-m.sem }()
	rc, err := m.Source.Open(ctx, rel)
	if err != nil {
		return "", "", err
	}
	defer rc.Close()
	return m.Store.Put(ctx, path.Base(rel), rc)
}

// Missing lists the files that could not be brought over, with why.
func (m *Media) Missing() []string {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.miss...)
}

func shortErr(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "not found"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return err.Error()
}

// UploadPath returns the path of an upload URL under the uploads
// directory: …/wp-content/uploads/2025/03/a.jpg and
// https://site.files.wordpress.com/2025/03/a.jpg?w=300 both give
// 2025/03/a.jpg. It returns "" for URLs that are not uploads.
func UploadPath(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Path == "" {
		return ""
	}
	p := u.Path
	if i := strings.Index(p, "/wp-content/uploads/"); i >= 0 {
		p = p[i+len("/wp-content/uploads/"):]
	} else if strings.HasSuffix(u.Host, ".files.wordpress.com") {
		p = strings.TrimPrefix(p, "/")
	} else {
		return ""
	}
	if dec, err := url.PathUnescape(p); err == nil {
		p = dec
	}
	p = path.Clean("/" + p)[1:]
	if p == "" || p == "." || strings.HasSuffix(raw, "/") {
		return ""
	}
	return p
}

// reUploadURL finds upload URLs in a body: in attributes, srcset lists
// and bare text alike.
var reUploadURL = regexp.MustCompile(`(?:https?:)?//[A-Za-z0-9.-]+(?::\d+)?/[^\s"'<>()\[\],]*?(?:wp-content/uploads/|files\.wordpress\.com/)?[^\s"'<>()\[\],]*\.(?i:jpe?g|png|gif|webp|svg|pdf|mp3|mp4|m4a|ogg|wav|mov|webm|docx?|xlsx?|pptx?|zip)(?:\?[^\s"'<>()\[\]]*)?`)

// RewriteUploads replaces every upload URL in src whose file resolve
// brought over with its new URL; others are left as they are.
func RewriteUploads(src string, resolve func(string) (string, bool)) string {
	if !strings.Contains(src, "/wp-content/uploads/") && !strings.Contains(src, ".files.wordpress.com/") {
		return src
	}
	return reUploadURL.ReplaceAllStringFunc(src, func(u string) string {
		if UploadPath(u) == "" {
			return u
		}
		full := u
		if strings.HasPrefix(full, "//") {
			full = "https:" + full
		}
		if nu, ok := resolve(full); ok {
			return nu
		}
		return u
	})
}
