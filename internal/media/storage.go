package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"dastan/internal/links"
)

// Storage keeps rendition files under keys such as
// "ab/cd/abcdef…-640.jpg". Keys are made from the upload's SHA-256, so a
// key's content never changes and may be cached for ever.
//
// LocalStorage keeps them in the data directory, for one machine;
// S3Storage in a bucket, which several instances share. Both are
// Inventories, so a library can move from one to the other (Move).
type Storage interface {
	// Put stores r's bytes under key, replacing whatever was there; readers
	// never see a half-written file.
	Put(ctx context.Context, key string, r io.Reader, contentType string) error
	// Open returns the file under key; an error matching fs.ErrNotExist
	// when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the file under key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
	// URL is the address readers fetch key from.
	URL(key string) string
}

// Inventory is a Storage whose files can be listed and described, which
// moving a library between storages needs.
type Inventory interface {
	Storage
	// Walk calls fn with every key in the storage, in no set order,
	// stopping at fn's first error.
	Walk(ctx context.Context, fn func(key string) error) error
	// Stat describes the file under key; an error matching
	// fs.ErrNotExist when there is none.
	Stat(ctx context.Context, key string) (FileInfo, error)
}

// FileInfo describes a stored file.
type FileInfo struct {
	Size    int64
	SHA256  string // lower-case hex, where the storage keeps it; "" otherwise
	ModTime time.Time
}

// immutable is the Cache-Control of every stored file: a key's content
// never changes.
const immutable = "public, max-age=31536000, immutable"

// ErrBadKey is returned for a key that could name a file outside the
// storage, or that no upload would produce.
var ErrBadKey = errors.New("media: invalid storage key")

// validKey accepts the keys this package makes: relative slash-separated
// paths of lower-case letters, digits, '-' and '.', with no "." or ".."
// element.
func validKey(key string) bool {
	if key == "" || len(key) > 300 || !fs.ValidPath(key) {
		return false
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '/') {
			return false
		}
	}
	for _, el := range strings.Split(key, "/") {
		if el == "." || el == ".." || strings.HasPrefix(el, ".") {
			return false
		}
	}
	return true
}

// LocalStorage keeps files in a directory on this machine, by default
// "media" in the data directory, served by FileServer under BaseURL.
type LocalStorage struct {
	Root    string // directory holding the files
	BaseURL string // URL path the files are served under; "/media/" when empty
}

// NewLocalStorage returns storage in dir, served under /media/.
func NewLocalStorage(dir string) *LocalStorage {
	return &LocalStorage{Root: dir, BaseURL: links.MediaPrefix}
}

// String names the folder, for reports.
func (l *LocalStorage) String() string { return "folder " + l.Root }

func (l *LocalStorage) path(key string) (string, error) {
	if !validKey(key) {
		return "", fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	return filepath.Join(l.Root, filepath.FromSlash(key)), nil
}

// Put writes to a temporary file beside the destination and renames it
// into place, so a crash or a failed copy never leaves a partial file
// under the key. The content type is implied by the key's extension.
func (l *LocalStorage) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := filepath.Dir(p)
	// Folders and files are Dastan's user's alone, like the store: the
	// process serves them itself (FileServer), and a proxy or CDN in front
	// caches what it serves rather than reading the folder.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	privateDirs(l.Root, dir)
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	return nil
}

// privateDirs sets dir and its parents up to root to 0700 whatever the
// umask, narrowing folders an older Dastan made 0755 as they are written
// to. It is best effort: the data directory above is 0700 already.
func privateDirs(root, dir string) {
	root = filepath.Clean(root)
	for d := dir; ; d = filepath.Dir(d) {
		os.Chmod(d, 0o700)
		if d == root || d == filepath.Dir(d) || !strings.HasPrefix(d, root) {
			return
		}
	}
}

// Open opens the file under key.
func (l *LocalStorage) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", key, err)
	}
	return f, nil
}

// Delete removes the file under key.
func (l *LocalStorage) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	return nil
}

// URL returns BaseURL + key.
func (l *LocalStorage) URL(key string) string {
	base := l.BaseURL
	if base == "" {
		base = links.MediaPrefix
	}
	return strings.TrimSuffix(base, "/") + "/" + key
}

// Stat describes the file under key; its SHA-256 is not kept.
func (l *LocalStorage) Stat(ctx context.Context, key string) (FileInfo, error) {
	p, err := l.path(key)
	if err != nil {
		return FileInfo{}, fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return FileInfo{}, fmt.Errorf("media: stat %s: %w", key, err)
	}
	return FileInfo{Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Walk calls fn with the key of every file under Root that this package
// could have written; temporary files of unfinished writes (".upload-…")
// and anything else are passed over.
func (l *LocalStorage) Walk(ctx context.Context, fn func(key string) error) error {
	err := filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(l.Root, p)
		if err != nil {
			return err
		}
		if key := filepath.ToSlash(rel); validKey(key) {
			return fn(key)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		// No folder yet: nothing was ever stored.
		if _, serr := os.Stat(l.Root); errors.Is(serr, fs.ErrNotExist) {
			return nil
		}
	}
	return err
}

// ContentType is what a stored file is served as, by its key's
// extension; "" for a kind the library never stores, which is not served.
func ContentType(key string) string {
	return contentTypes[path.Ext(key)]
}

// contentTypes are the files FileServer hands out: renditions, and the
// documents, audio and video an import keeps (FileTypes).
var contentTypes = func() map[string]string {
	m := map[string]string{".jpg": "image/jpeg", ".png": "image/png"}
	for ext, ct := range FileTypes {
		m[ext] = ct
	}
	return m
}()

// FileTypes are the files other than images the library keeps (from
// imports), by extension, with the content type they are served with.
var FileTypes = map[string]string{
	".pdf": "application/pdf",
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".wav": "audio/wav",
	".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime",
	".doc": "application/msword", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt": "application/vnd.ms-powerpoint", ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}

// FileServer serves the files of s for the route "GET /media/{key...}"
// (or, mounted elsewhere, whatever follows the last "/media/" in the
// path), from local disk or streamed from a bucket. Files never change
// under a key, so they are cached for a year as immutable. Each kind is
// served as its extension says and never sniffed; images get a closed
// Content-Security-Policy, so a browser only ever treats them as images,
// and office documents are downloaded rather than opened in the site.
func FileServer(s Storage) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		key := r.PathValue("key")
		if key == "" {
			if i := strings.LastIndex(r.URL.Path, "/media/"); i >= 0 {
				key = r.URL.Path[i+len("/media/"):]
			}
		}
		ctype := ContentType(key)
		if ctype == "" || !validKey(key) {
			http.NotFound(w, r)
			return
		}
		f, err := s.Open(r.Context(), key)
		if errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, "the file could not be read", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Cache-Control", immutable)
		h.Set("X-Content-Type-Options", "nosniff")
		switch {
		case strings.HasPrefix(ctype, "image/"):
			h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		case strings.HasPrefix(ctype, "application/") && ctype != "application/pdf":
			h.Set("Content-Disposition", "attachment")
		}
		h.Set("ETag", `"`+path.Base(key)+`"`)
		var mod time.Time
		if st, ok := f.(interface{ Stat() (fs.FileInfo, error) }); ok {
			if fi, err := st.Stat(); err == nil {
				mod = fi.ModTime()
			}
		}
		if rs, ok := f.(io.ReadSeeker); ok {
			// Ranges, If-None-Match, If-Modified-Since and HEAD, for
			// files that can seek (a bucket's objects read a range as
			// asked).
			http.ServeContent(w, r, "", mod, rs)
			return
		}
		if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, h.Get("ETag")) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Method == http.MethodHead {
			return
		}
		io.Copy(w, f)
	})
}
