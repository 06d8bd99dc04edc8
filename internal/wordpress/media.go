package wordpress

import (
	"bytes"
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
	"slices"
	"strings"
	"sync"
	"time"

	"dastan/internal/media"
	"dastan/internal/news"
)

// MediaSource hands over the file an upload URL pointed at, by its path
// under the uploads directory ("2025/03/photo.jpg").
type MediaSource interface {
	Open(ctx context.Context, rel string) (io.ReadCloser, error)
}

// MediaStore keeps a file and says where readers will find it. Equal
// content is stored once.
type MediaStore interface {
	Put(ctx context.Context, name string, r io.Reader) (Stored, error)
}

// Stored is a file brought over from the old site.
type Stored struct {
	URL    string       // an image's largest rendition, or the file itself
	SHA256 string       // of the file as it came
	Image  *news.Figure // for images: the rendition's size and the srcset
}

// DirSource reads files from a copy of wp-content/uploads.
type DirSource struct{ Root string }

// Open opens rel under the uploads directory.
func (d DirSource) Open(_ context.Context, rel string) (io.ReadCloser, error) {
	clean := path.Clean("/" + rel)
	return os.Open(filepath.Join(d.Root, filepath.FromSlash(clean)))
}

// HTTPSource fetches files from the old site, with retries on network
// errors and server failures. An attempt is given up when the server has
// not answered, or has sent nothing more of the file, for Wait: a large
// video over a slow link takes as long as it takes, while a server that
// hangs is left after Wait rather than holding the import. Retries cover
// the answer; a file that stops halfway is fetched once more from the
// start by Media, and then reported missing.
type HTTPSource struct {
	Base    string // e.g. https://example.com/wp-content/uploads
	Client  *http.Client
	Retries int
	// Backoff is the wait before the first retry; the n-th waits n² times
	// as long. 0 means half a second.
	Backoff time.Duration
	// Wait is how long an attempt waits for the answer, and then for each
	// next part of the file. 0 means 30 seconds.
	Wait time.Duration
}

// Open fetches Base/rel.
func (h HTTPSource) Open(ctx context.Context, rel string) (io.ReadCloser, error) {
	c := h.Client
	if c == nil {
		c = http.DefaultClient
	}
	backoff := h.Backoff
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	wait := h.Wait
	if wait <= 0 {
		wait = 30 * time.Second
	}
	u := strings.TrimSuffix(h.Base, "/") + "/" + (&url.URL{Path: strings.TrimPrefix(rel, "/")}).EscapedPath()
	var last error
	for attempt := 0; attempt <= h.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * backoff):
			}
		}
		body, err := httpAttempt(ctx, c, u, wait)
		if err == nil {
			return body, nil
		}
		last = err
		if errors.Is(err, os.ErrNotExist) || ctx.Err() != nil {
			return nil, err
		}
	}
	return nil, last
}

// httpAttempt is one attempt of HTTPSource.Open: the file's body, which
// ends in a stalledError when the server sends nothing for wait, or an
// error wrapping os.ErrNotExist for an answer not worth asking again.
func httpAttempt(ctx context.Context, c *http.Client, u string, wait time.Duration) (io.ReadCloser, error) {
	actx, cancel := context.WithCancelCause(ctx)
	stalled := stalledError{wait: wait}
	timer := time.AfterFunc(wait, func() { cancel(stalled) })
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		timer.Stop()
		cancel(nil)
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		timer.Stop()
		if context.Cause(actx) == error(stalled) {
			err = fmt.Errorf("%s: %w", u, stalled)
		}
		cancel(nil)
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		if !timer.Stop() { // the wait ran out as the answer came: the body is cancelled, try again
			resp.Body.Close()
			cancel(nil)
			return nil, fmt.Errorf("%s: %w", u, stalled)
		}
		timer.Reset(wait)
		return &stallingBody{body: resp.Body, ctx: actx, cancel: cancel, timer: timer, wait: wait, stalled: stalled}, nil
	}
	timer.Stop()
	resp.Body.Close()
	cancel(nil)
	err = fmt.Errorf("%s: %s", u, resp.Status)
	if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
		return nil, fmt.Errorf("%w: %w", os.ErrNotExist, err)
	}
	return nil, err
}

// stalledError is an attempt given up because the server sent nothing
// for wait; it is a timeout, as Missing reports it.
type stalledError struct{ wait time.Duration }

func (e stalledError) Error() string { return fmt.Sprintf("nothing received for %s", e.wait) }
func (e stalledError) Timeout() bool { return true }

// stallingBody is a file's body whose every read that brings bytes
// gives the server another wait for the next; when the wait runs out,
// the request is cancelled and the read fails with a stalledError.
type stallingBody struct {
	body    io.ReadCloser
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timer   *time.Timer
	wait    time.Duration
	stalled stalledError
}

func (b *stallingBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if n > 0 {
		b.timer.Reset(b.wait)
	}
	if err != nil && err != io.EOF && context.Cause(b.ctx) == error(b.stalled) {
		err = b.stalled
	}
	return n, err
}

func (b *stallingBody) Close() error {
	b.timer.Stop()
	err := b.body.Close()
	b.cancel(nil)
	return err
}

// Library keeps what an import brings in the media library: images go
// through media.Service.Upload (checked, turned upright, made into
// renditions, recorded once per content); audio, video and documents of
// the types in FileTypes are kept as they are in the library's storage,
// under a key made from their content. Anything else is refused.
type Library struct {
	Service *media.Service
	// MaxFileBytes bounds a file that is not an image; 0 means 200 MB.
	// Images are bound by the service's limits.
	MaxFileBytes int64
}

// FileTypes are the files other than images an import keeps, by
// extension, with the content type they are served with.
var FileTypes = media.FileTypes

// imageTypes are the content types media.Service takes, as
// http.DetectContentType names them.
var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// Put stores r's content, an image in the library or a file of an
// allowed type; name (the old file name) gives the type of files only.
func (l Library) Put(ctx context.Context, name string, r io.Reader) (Stored, error) {
	sniffed := make([]byte, 512)
	n, err := io.ReadFull(r, sniffed)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Stored{}, err
	}
	sniffed = sniffed[:n]
	r = io.MultiReader(bytes.NewReader(sniffed), r)
	ct := http.DetectContentType(sniffed)
	if imageTypes[ct] {
		m, err := l.Service.Upload(ctx, operator, name, r, media.Text{})
		if err != nil {
			return Stored{}, err
		}
		f := l.Service.Figure(m)
		return Stored{URL: f.URL, SHA256: m.SHA256, Image: &f}, nil
	}
	ext := strings.ToLower(path.Ext(name))
	want, ok := FileTypes[ext]
	switch {
	case !ok:
		return Stored{}, fmt.Errorf("files of type %q are not imported", ext)
	case strings.HasPrefix(ct, "text/html"), strings.HasPrefix(ct, "text/xml"), strings.HasPrefix(ct, "image/"):
		// An HTML page (or an image of a kind the library refuses, like
		// SVG) under an innocent name would be served as something else.
		return Stored{}, fmt.Errorf("the file's content (%s) does not match its name", ct)
	case ext == ".pdf" && !bytes.HasPrefix(sniffed, []byte("%PDF-")):
		return Stored{}, errors.New("the file is not a PDF")
	}
	max := l.MaxFileBytes
	if max <= 0 {
		max = 200 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return Stored{}, err
	}
	if int64(len(data)) > max {
		return Stored{}, fmt.Errorf("the file is larger than %d MB", max>>20)
	}
	if len(data) == 0 {
		return Stored{}, errors.New("the file is empty")
	}
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	key := sum[0:2] + "/" + sum[2:4] + "/" + sum + ext
	if err := l.Service.Storage.Put(ctx, key, bytes.NewReader(data), want); err != nil {
		return Stored{}, err
	}
	return Stored{URL: l.Service.Storage.URL(key), SHA256: sum}, nil
}

// Image returns how an image already in the library, found by the
// SHA-256 of its file, is shown.
func (l Library) Image(ctx context.Context, sha string) (news.Figure, bool) {
	m, err := l.Service.Store.MediaBySHA(ctx, sha)
	if err != nil {
		return news.Figure{}, false
	}
	return l.Service.Figure(m), true
}

// Media brings an export's files over: each distinct upload is fetched
// once, at most Concurrency at a time, and what could not be found is
// remembered for the report.
type Media struct {
	Source      MediaSource
	Store       MediaStore
	Concurrency int

	once   sync.Once
	sem    chan struct{}
	mu     sync.Mutex
	memo   map[string]*mediaResult
	images map[string]news.Figure // by SHA-256
	miss   []string
}

type mediaResult struct {
	done chan struct{}
	st   Stored
	err  error
}

func (m *Media) init() {
	m.once.Do(func() {
		n := m.Concurrency
		if n <= 0 {
			n = 8
		}
		m.sem = make(chan struct{}, n)
		m.memo = map[string]*mediaResult{}
		m.images = map[string]news.Figure{}
	})
}

// reSizedUpload matches the name WordPress gives the smaller sizes it
// makes of an image: photo-300x200.jpg of photo.jpg.
var reSizedUpload = regexp.MustCompile(`^(.+)-\d{1,5}x\d{1,5}(\.[A-Za-z0-9]+)$`)

// Resolve brings over the file that rawURL (an upload URL of the old site)
// names and says where it now is; ok is false when it could not be found.
// A smaller size WordPress made of an image (photo-300x200.jpg) resolves
// to the original when the original can be found: the library makes its
// own sizes of it.
func (m *Media) Resolve(ctx context.Context, rawURL string) (st Stored, ok bool) {
	if m == nil {
		return Stored{}, false
	}
	rel := UploadPath(rawURL)
	if rel == "" {
		return Stored{}, false
	}
	m.init()
	if sm := reSizedUpload.FindStringSubmatch(rel); sm != nil {
		if st, err := m.get(ctx, sm[1]+sm[2], false); err == nil {
			return st, true
		}
	}
	st, err := m.get(ctx, rel, true)
	return st, err == nil
}

// Prefetch resolves the upload URLs in body at once, up to Concurrency at
// a time, so that rewriting it afterwards waits for the slowest file
// rather than for all of them in turn.
func (m *Media) Prefetch(ctx context.Context, body string) {
	if m == nil || !strings.Contains(body, "/wp-content/uploads/") && !strings.Contains(body, ".files.wordpress.com/") {
		return
	}
	var wg sync.WaitGroup
	for _, u := range reUploadURL.FindAllString(body, -1) {
		if strings.HasPrefix(u, "//") {
			u = "https:" + u
		}
		wg.Go(func() { m.Resolve(ctx, u) })
	}
	wg.Wait()
}

// get fetches rel once, however many ask for it; report says whether a
// failure belongs in the report's list of missing files.
func (m *Media) get(ctx context.Context, rel string, report bool) (Stored, error) {
	m.mu.Lock()
	res, seen := m.memo[rel]
	if !seen {
		res = &mediaResult{done: make(chan struct{})}
		m.memo[rel] = res
	}
	m.mu.Unlock()
	if !seen {
		res.st, res.err = m.fetch(ctx, rel)
		m.mu.Lock()
		if res.err == nil && res.st.Image != nil {
			m.images[res.st.SHA256] = *res.st.Image
		}
		m.mu.Unlock()
		close(res.done)
	}
	select {
	case <-res.done:
	case <-ctx.Done():
		return Stored{}, ctx.Err()
	}
	if res.err != nil && report {
		m.mu.Lock()
		if !slices.Contains(m.miss, rel) {
			m.miss = append(m.miss, rel)
		}
		m.mu.Unlock()
	}
	return res.st, res.err
}

func (m *Media) fetch(ctx context.Context, rel string) (Stored, error) {
	select {
	case m.sem <- struct{}{}:
	case <-ctx.Done():
		return Stored{}, ctx.Err()
	}
	defer func() { <-m.sem }()
	st, err := m.fetchOnce(ctx, rel)
	if errors.As(err, new(stalledError)) { // stopped halfway: once more, from the start
		st, err = m.fetchOnce(ctx, rel)
	}
	return st, err
}

// fetchOnce opens rel at the source and stores what it reads.
func (m *Media) fetchOnce(ctx context.Context, rel string) (Stored, error) {
	rc, err := m.Source.Open(ctx, rel)
	if err != nil {
		return Stored{}, err
	}
	defer rc.Close()
	return m.Store.Put(ctx, path.Base(rel), rc)
}

// imageLookup is a MediaStore that can say how an image stored by an
// earlier import is shown.
type imageLookup interface {
	Image(ctx context.Context, sha string) (news.Figure, bool)
}

// Image returns how the image whose file has that SHA-256 is shown: its
// largest rendition, size and srcset. ok is false for files that are not
// images in the library.
func (m *Media) Image(ctx context.Context, sha string) (news.Figure, bool) {
	if m == nil || sha == "" {
		return news.Figure{}, false
	}
	m.init()
	m.mu.Lock()
	f, ok := m.images[sha]
	m.mu.Unlock()
	if ok {
		return f, f.URL != ""
	}
	if l, isLookup := m.Store.(imageLookup); isLookup {
		f, ok = l.Image(ctx, sha)
	}
	m.mu.Lock()
	m.images[sha] = f // a miss is remembered too, as an empty figure
	m.mu.Unlock()
	return f, ok
}

// Missing lists the files that could not be brought over, with why.
func (m *Media) Missing() []string {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, len(m.miss))
	for i, rel := range m.miss {
		out[i] = fmt.Sprintf("%s (%v)", rel, shortErr(m.memo[rel].err))
	}
	return out
}

func shortErr(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "not found"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
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
