package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"dastan/internal/config"
	"dastan/internal/links"
)

// S3Config names a bucket of an S3-compatible object store (AWS S3,
// Cloudflare R2, Backblaze B2, DigitalOcean Spaces, MinIO, versitygw …).
type S3Config struct {
	Bucket string
	// Prefix is put before every key ("media/"), so one bucket can hold
	// several newsrooms or other things besides.
	Prefix string
	// Endpoint is the store's address, such as https://s3.eu-central-1.amazonaws.com
	// or http://127.0.0.1:7070; empty means AWS S3.
	Endpoint string
	Region   string
	// AccessKey and SecretKey sign the requests; when empty, the usual
	// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables or the
	// machine's IAM role are used.
	AccessKey, SecretKey string
	// PublicURL, when set, is where readers fetch the bucket's files from
	// (a CDN or the bucket's public address): a key's URL is PublicURL +
	// "/" + Prefix + key. Empty means Dastan serves them itself under
	// /media/, streaming from the bucket (FileServer).
	PublicURL string
}

// S3Storage keeps files as objects in a bucket. Objects are written
// whole (S3 has no partial objects), with their content type, a
// Cache-Control for ever (keys never change content), and their SHA-256
// in the object's metadata so that moving a library can check a copy
// without reading it back.
type S3Storage struct {
	client    *minio.Client
	bucket    string
	prefix    string
	publicURL string
	endpoint  string // for error messages
}

// shaMeta is the user metadata (x-amz-meta-sha256) holding an object's
// SHA-256, lower-case hex.
const shaMeta = "Sha256"

// NewS3Storage returns storage in the bucket c names. It does not
// contact the store; Check does.
func NewS3Storage(c S3Config) (*S3Storage, error) {
	if c.Bucket == "" {
		return nil, errors.New("media: S3 storage needs a bucket")
	}
	host, secure := "s3.amazonaws.com", true
	if c.Endpoint != "" {
		u, err := url.Parse(c.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("media: S3 endpoint %q: want an address such as https://s3.example.com", c.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	creds := credentials.NewStaticV4(c.AccessKey, c.SecretKey, "")
	if c.AccessKey == "" && c.SecretKey == "" {
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{}, &credentials.EnvMinio{}, &credentials.IAM{},
		})
	}
	// A store that does not answer should fail an upload in seconds, not
	// hang the newsroom: connecting is bounded, and so is the wait for a
	// response to begin. Reading a large body is not.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.ResponseHeaderTimeout = 60 * time.Second
	tr.MaxIdleConnsPerHost = 32
	client, err := minio.New(host, &minio.Options{
		Creds:        creds,
		Secure:       secure,
		Region:       c.Region,
		Transport:    tr,
		BucketLookup: minio.BucketLookupAuto,
		MaxRetries:   3,
	})
	if err != nil {
		return nil, fmt.Errorf("media: S3 endpoint %q: %w", c.Endpoint, err)
	}
	prefix := strings.Trim(c.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3Storage{client: client, bucket: c.Bucket, prefix: prefix,
		publicURL: strings.TrimRight(c.PublicURL, "/"), endpoint: client.EndpointURL().String()}, nil
}

// String names the bucket and where it is, for reports.
func (s *S3Storage) String() string {
	return "bucket " + s.bucket + " at " + s.endpoint + "/" + s.prefix
}

// Check asks the store whether the bucket is there and ours to use, so a
// wrong setting is reported when Dastan starts rather than at the first
// upload.
func (s *S3Storage) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.fail("reach", "", err)
	}
	if !ok {
		return fmt.Errorf("media: bucket %q does not exist at %s", s.bucket, s.endpoint)
	}
	return nil
}

func (s *S3Storage) object(key string) (string, error) {
	if !validKey(key) {
		return "", fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	return s.prefix + key, nil
}

// fail wraps an error of the store with what was being done and where, so
// the person reading the log sees which bucket did not answer.
func (s *S3Storage) fail(doing, key string, err error) error {
	what := "bucket " + s.bucket
	if key != "" {
		what = key + " in " + what
	}
	return fmt.Errorf("media: %s %s at %s: %w", doing, what, s.endpoint, err)
}

// Put uploads r's bytes as the object for key. The bytes are hashed
// first (SHA-256, kept in the object's metadata), so r is read into
// memory unless it can seek; the library's files are bounded in size.
func (s *S3Storage) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("media: store %s: %w", key, err)
		}
		rs = bytes.NewReader(data)
	}
	h := sha256.New()
	size, err := io.Copy(h, rs)
	if err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	return s.put(ctx, key, name, rs, size, hex.EncodeToString(h.Sum(nil)), contentType)
}

func (s *S3Storage) put(ctx context.Context, key, name string, r io.Reader, size int64, sha, contentType string) error {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	_, err := s.client.PutObject(ctx, s.bucket, name, r, size, minio.PutObjectOptions{
		ContentType:  contentType,
		CacheControl: immutable,
		UserMetadata: map[string]string{shaMeta: sha},
	})
	if err != nil {
		return s.fail("store", key, err)
	}
	return nil
}

// Open returns the object under key, which can seek (a range is read
// from the store when asked) and Stat. It costs one request: a GET whose
// answer says what the object is and streams it.
func (s *S3Storage) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
	}
	f := &s3File{get: func(offset int64) (io.ReadCloser, minio.ObjectInfo, error) {
		var opts minio.GetObjectOptions
		if offset > 0 {
			opts.SetRange(offset, 0)
		}
		body, info, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, name, opts)
		if err != nil {
			return nil, info, s.notExist("open", key, err)
		}
		return body, info, nil
	}}
	body, info, err := f.get(0)
	if err != nil {
		return nil, err
	}
	f.body, f.info = body, fileInfo{name: key, size: info.Size, mod: info.LastModified}
	return f, nil
}

// notExist is fail for an answer that may say the object is not there,
// which then matches fs.ErrNotExist.
func (s *S3Storage) notExist(doing, key string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound":
		return fmt.Errorf("media: %s %s: %w", doing, key, fs.ErrNotExist)
	}
	return s.fail(doing, key, err)
}

// Delete removes the object under key; S3 answers a missing one as done.
func (s *S3Storage) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil {
		return s.fail("delete", key, err)
	}
	return nil
}

// URL is the public address of key when a public URL is set, and
// otherwise its path under /media/, which FileServer answers.
func (s *S3Storage) URL(key string) string {
	if s.publicURL != "" {
		return s.publicURL + "/" + s.prefix + key
	}
	return links.MediaPrefix + key
}

// Stat describes the object under key.
func (s *S3Storage) Stat(ctx context.Context, key string) (FileInfo, error) {
	name, err := s.object(key)
	if err != nil {
		return FileInfo{}, fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
	}
	info, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return FileInfo{}, s.notExist("stat", key, err)
	}
	return FileInfo{Size: info.Size, SHA256: info.UserMetadata[shaMeta], ModTime: info.LastModified}, nil
}

// Walk calls fn with the key of every object under the prefix that this
// package could have written; others (a bucket shared with other
// things) are passed over.
func (s *S3Storage) Walk(ctx context.Context, fn func(key string) error) error {
	for obj := range s.client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return s.fail("list", "", obj.Err)
		}
		key := strings.TrimPrefix(obj.Key, s.prefix)
		if !validKey(key) {
			continue
		}
		if err := fn(key); err != nil {
			return err
		}
	}
	return nil
}

// s3File is an object being read, with the size and time FileServer
// answers Range and If-Modified-Since from. It seeks by itself and asks
// the store again only when a read needs bytes from elsewhere:
// http.ServeContent seeks to the end and back to learn the size.
type s3File struct {
	get  func(offset int64) (io.ReadCloser, minio.ObjectInfo, error)
	body io.ReadCloser // the object's bytes from at on
	info fileInfo
	pos  int64 // where the next Read reads
	at   int64 // where body is
}

// Seek sets where the next Read reads.
func (f *s3File) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.info.size
	}
	if offset < 0 {
		return f.pos, errors.New("media: seek before the start of the file")
	}
	f.pos = offset
	return offset, nil
}

// Read reads from pos, asking the store for the object from there when
// the stream in hand is elsewhere.
func (f *s3File) Read(p []byte) (int, error) {
	if f.pos >= f.info.size {
		return 0, io.EOF
	}
	if f.pos != f.at {
		f.body.Close()
		body, _, err := f.get(f.pos)
		if err != nil {
			f.body = io.NopCloser(strings.NewReader(""))
			return 0, err
		}
		f.body, f.at = body, f.pos
	}
	n, err := f.body.Read(p)
	f.pos += int64(n)
	f.at += int64(n)
	return n, err
}

// Close ends the stream.
func (f *s3File) Close() error { return f.body.Close() }

// Stat returns what the store said of the object when it was opened.
func (f *s3File) Stat() (fs.FileInfo, error) { return f.info, nil }

// fileInfo is the fs.FileInfo of an object.
type fileInfo struct {
	name string
	size int64
	mod  time.Time
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return i.mod }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }

// Configured returns the storage cfg names: its bucket when one is set,
// otherwise the media folder of its data directory.
func Configured(cfg config.Config) (Inventory, error) {
	if cfg.Media.Bucket != "" {
		return S3For(cfg)
	}
	return LocalFor(cfg), nil
}

// LocalFor is the media folder of cfg's data directory, served under
// the public URL when one is set and no bucket is.
func LocalFor(cfg config.Config) *LocalStorage {
	l := NewLocalStorage(filepath.Join(cfg.DataDir, "media"))
	if cfg.Media.PublicURL != "" && cfg.Media.Bucket == "" {
		l.BaseURL = cfg.Media.PublicURL + "/"
	}
	return l
}

// S3For is the bucket cfg names.
func S3For(cfg config.Config) (*S3Storage, error) {
	m := cfg.Media
	if m.Bucket == "" {
		return nil, errors.New("media: no bucket is set (DASTAN_MEDIA_S3_BUCKET)")
	}
	return NewS3Storage(S3Config{Bucket: m.Bucket, Prefix: m.Prefix, Endpoint: m.Endpoint, Region: m.Region,
		AccessKey: m.AccessKey, SecretKey: m.SecretKey, PublicURL: m.PublicURL})
}
