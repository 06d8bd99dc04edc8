package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while serve writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startServe runs serve with args on a free port until the test ends,
// and returns the address the site answers on and its stdout.
func startServe(t *testing.T, args ...string) (base string, out *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	var errs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0", "-rates-offline", "-log-level", "warn"}, args...), out, &errs)
	}()
	ready := regexp.MustCompile(`ready at (http://[^/\s]+)/`)
	for deadline := time.Now().Add(60 * time.Second); base == ""; time.Sleep(50 * time.Millisecond) {
		if m := ready.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve stopped early: %v\n%s", err, errs.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve was not ready in a minute:\n%s\n%s", out.String(), errs.String())
		}
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("shutdown: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop within 20 s of being told to")
		}
	}
	t.Cleanup(stop)
	return base, out, stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The README's first command, end to end: serve --demo fills an empty
// store, prints the newsroom sign-ins once the site answers, names the
// address served in its links, and stops cleanly when told to (as on
// SIGTERM). Started again, it says how to get in.
func TestServeDemoStartsAndStops(t *testing.T) {
	dir := t.TempDir()
	base, out, stop := startServe(t, "--demo", "-data-dir", dir)
	for _, want := range []string{"admin@demo.dastan.local", "editor@", "author@", "contributor@", "Sign in at " + base + "/newsroom/"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --demo did not print %q:\n%s", want, out.String())
		}
	}
	if i, j := strings.Index(out.String(), "password:"), strings.Index(out.String(), "ready at"); i < 0 || i > j {
		t.Errorf("the sign-ins should come with the ready line:\n%s", out.String())
	}
	for path, want := range map[string]string{"/healthz": "ok", "/": `class="lead"`, "/category/news/kazakhstan/": "Viewing results 1 - 10 of", "/feed/": "<link>" + base + "/"} {
		if code, body := get(t, base+path); code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want %q in it", path, code, want)
		}
	}
	if _, body := get(t, base+"/"); strings.Contains(body, "localhost:8080") {
		t.Errorf("the home page links to localhost:8080, not the address served (%s)", base)
	}
	stop()

	_, out, _ = startServe(t, "--demo", "-data-dir", dir)
	if s := out.String(); strings.Contains(s, "password:") || !strings.Contains(s, "dastan user reset-password --email admin@demo.dastan.local") {
		t.Errorf("a second serve --demo should say how to get in, and print no passwords:\n%s", s)
	}
}

// An explicit site URL wins over the address served.
func TestServeExplicitSiteURL(t *testing.T) {
	base, out, _ := startServe(t, "-data-dir", t.TempDir(), "-site-url", "https://news.example.org")
	if !strings.Contains(out.String(), "Its links name https://news.example.org") {
		t.Errorf("serve did not say which site URL its links name:\n%s", out.String())
	}
	if _, body := get(t, base+"/feed/"); !strings.Contains(body, "https://news.example.org/") {
		t.Errorf("the feed does not name the site URL set:\n%.400s", body)
	}
}

// Bad settings stop serve before it opens anything, naming the setting.
func TestServeRefusesBadSettings(t *testing.T) {
	var out, errs syncBuffer
	err := run(context.Background(), []string{"serve", "-data-dir", t.TempDir(), "-time-zone", "Mars/Olympus"}, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), `DASTAN_TIME_ZONE "Mars/Olympus"`) {
		t.Fatalf("serve with a bad zone: %v", err)
	}
}
