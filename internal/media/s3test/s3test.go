// Package s3test starts a real S3-compatible server for tests, as
// storetest starts PostgreSQL: versitygw, an Apache-licensed S3 gateway,
// over its posix backend in a temp directory, on 127.0.0.1 at a free
// port, once per test binary. Install it with
//
//	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
//
// Where it is missing the test is skipped with that message, except
// under CI (which installs it), where that is a failure.
//
// A shell script (such as a cluster test) starts the same server with
//
//	mkdir -p "$DIR/buckets/$BUCKET"
//	versitygw --access "$KEY" --secret "$SECRET" --port 127.0.0.1:$PORT --quiet posix "$DIR/buckets" &
//
// (a folder under the root is a bucket) and points Dastan at it with
// DASTAN_MEDIA_S3_BUCKET=$BUCKET DASTAN_MEDIA_S3_ENDPOINT=http://127.0.0.1:$PORT
// DASTAN_MEDIA_S3_ACCESS_KEY=$KEY DASTAN_MEDIA_S3_SECRET_KEY=$SECRET.
package s3test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"dastan/internal/media"
)

// Server is a running S3 server.
type Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Region    string
	root      string // the posix backend's folder; each folder in it is a bucket
}

var (
	once      sync.Once
	shared    *Server
	sharedErr error
	buckets   atomic.Int64
)

// Start returns the test binary's S3 server, starting it the first time.
func Start(t testing.TB) *Server {
	t.Helper()
	once.Do(func() { shared, sharedErr = start() })
	if sharedErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("s3test: the S3 server is required in CI: %v", sharedErr)
		}
		t.Skipf("s3test: skipping S3 (%v); install it with go install github.com/versity/versitygw/cmd/versitygw@v1.8.0", sharedErr)
	}
	return shared
}

// Bucket returns the settings of a new, empty bucket on the test binary's
// server, for media.NewS3Storage.
func Bucket(t testing.TB) media.S3Config {
	t.Helper()
	s := Start(t)
	name := fmt.Sprintf("dastan-test-%d", buckets.Add(1))
	// The posix backend takes every folder of its root as a bucket.
	if err := os.MkdirAll(filepath.Join(s.root, name), 0o700); err != nil {
		t.Fatalf("s3test: make bucket: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Join(s.root, name)) })
	return media.S3Config{Bucket: name, Endpoint: s.Endpoint, Region: s.Region, AccessKey: s.AccessKey, SecretKey: s.SecretKey}
}

// Storage returns S3 storage in a new, empty bucket.
func Storage(t testing.TB) *media.S3Storage {
	t.Helper()
	st, err := media.NewS3Storage(Bucket(t))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Binary finds versitygw on PATH, in $GOBIN or in $GOPATH/bin (where go
// install puts it).
func Binary() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	var dirs []string
	if d := os.Getenv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	for _, p := range filepath.SplitList(gopath) {
		dirs = append(dirs, filepath.Join(p, "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "versitygw")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", errors.New("versitygw not found on PATH or in $GOPATH/bin")
}

// Args are versitygw's arguments for a server on addr (127.0.0.1:PORT)
// whose buckets are the folders of root.
func Args(addr, root, accessKey, secretKey string) []string {
	return []string{"--access", accessKey, "--secret", secretKey, "--port", addr, "--quiet", "posix", root}
}

// start runs versitygw in a temp directory. The server dies with the
// test binary (Pdeathsig), so nothing is left running.
func start() (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", fmt.Sprintf("dastan-s3-%d-", os.Getpid()))
	if err != nil {
		return nil, err
	}
	root := filepath.Join(dir, "buckets")
	if err := os.Mkdir(root, 0o700); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), AccessKey: "dastan-test", SecretKey: "dastan-test-secret",
		Region: "us-east-1", root: root}
	cmd := exec.Command(bin, Args("127.0.0.1:"+strconv.Itoa(port), root, s.AccessKey, s.SecretKey)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start versitygw: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		// Any HTTP answer (an unsigned request is refused) means it serves.
		resp, err := http.Get(s.Endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return s, nil
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logf.Name())
			return nil, fmt.Errorf("versitygw exited (%v): %s", err, log)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			log, _ := os.ReadFile(logf.Name())
			return nil, fmt.Errorf("versitygw did not answer: %v\n%s", err, log)
		}
	}
}

// removeStale deletes the folders of servers whose test binary has ended
// (the server died with it, but nothing removed its folder).
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "dastan-s3-*"))
	for _, dir := range dirs {
		parts := strings.Split(filepath.Base(dir), "-")
		if len(parts) < 4 {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			os.RemoveAll(dir)
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Unreachable returns settings of a bucket at an address where nothing
// listens, for tests of a store that does not answer.
func Unreachable(t testing.TB) media.S3Config {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return media.S3Config{Bucket: "unreachable", Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), Region: "us-east-1",
		AccessKey: "dastan-test", SecretKey: "dastan-test-secret"}
}
