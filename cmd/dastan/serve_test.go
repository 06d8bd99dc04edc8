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

// The README's first command, end to end: serve --demo fills an empty
// store, prints the newsroom sign-ins, answers readers, and stops cleanly
// when told to (as on SIGTERM).
func TestServeDemoStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "-data-dir", t.TempDir(), "-addr", "127.0.0.1:0", "-rates-offline", "-log-level", "warn"}, &out, &errs)
	}()
	ready := regexp.MustCompile(`ready at (http://[^/\s]+)/`)
	var base string
	for deadline := time.Now().Add(60 * time.Second); base == ""; time.Sleep(50 * time.Millisecond) {
		if m := ready.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s", err, errs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve was not ready in a minute:\n%s\n%s", out.String(), errs.String())
		}
	}
	for _, want := range []string{"admin@demo.dastan.local", "editor@", "author@", "contributor@"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --demo did not print the %s sign-in", want)
		}
	}
	for path, want := range map[string]string{"/healthz": "ok", "/": `class="lead"`, "/category/news/kazakhstan/": "Viewing results 1 - 10 of"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
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

// Bad settings stop serve before it opens anything, naming the setting.
func TestServeRefusesBadSettings(t *testing.T) {
	var out, errs syncBuffer
	err := run(context.Background(), []string{"serve", "-data-dir", t.TempDir(), "-time-zone", "Mars/Olympus"}, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "time-zone") {
		t.Fatalf("serve with a bad zone: %v", err)
	}
}
