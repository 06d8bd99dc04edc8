// Package browsertest drives headless Chromium for tests of pages people
// click: it finds the browser, starts it with a fresh profile, and gives a
// chromedp context that ends with the test.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Find returns the path of a Chromium or Chrome binary, or "". DASTAN_CHROMIUM
// names one explicitly.
func Find() string {
	if p := os.Getenv("DASTAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless browser for t and returns a tab's context, with
// an overall timeout. Without a browser the test is skipped, except under
// CI (CI set), where that is a failure: CI installs Debian's chromium.
func New(t testing.TB) context.Context {
	t.Helper()
	return NewTimeout(t, 60*time.Second)
}

// NewTimeout is New with an overall timeout of d, for tests that visit
// many pages.
func NewTimeout(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browsertest: browser tests are skipped in -short mode")
	}
	path := Find()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("browsertest: no Chromium found (install Debian's chromium package, or set DASTAN_CHROMIUM)")
		}
		t.Skip("browsertest: no Chromium found; install Debian's chromium package to run browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 800),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), d)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("browsertest: starting %s: %v", path, err)
	}
	return bctx
}

// EmulateMedia sets CSS media features for the tab, such as
// prefers-reduced-motion: reduce; an empty map clears them.
func EmulateMedia(ctx context.Context, features map[string]string) error {
	var fs []*emulation.MediaFeature
	for name, value := range features {
		fs = append(fs, &emulation.MediaFeature{Name: name, Value: value})
	}
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: fs})
	return err
}

// Eval evaluates a JavaScript expression in the tab and decodes its value.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("browsertest: %s: %v", expr, err)
	}
	return v
}

// WaitFor polls a JavaScript expression until it is true, failing the
// test with what with it says when the tab's deadline passes first. The
// expression is evaluated in one go in the page, so, unlike WaitVisible,
// it cannot trip over a node that the page's own script replaces between
// finding it and looking at it (a live preview or a list of suggestions
// re-rendered while the test types).
func WaitFor(t testing.TB, ctx context.Context, expr, what string) {
	t.Helper()
	var last error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		last = err
		select {
		case <-ctx.Done():
			t.Fatalf("browsertest: waiting for %s (%s): %v (last error: %v)", what, expr, ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Click clicks the first element matching the CSS selector sel once the
// page has it, from inside the page. A page that has just replaced the
// one before it can make Chromium drop the node ids a test holds
// ("Could not find node with given id"); a click made by the page's own
// script holds none.
func Click(t testing.TB, ctx context.Context, sel string) {
	t.Helper()
	q := "document.querySelector(" + strconv.Quote(sel) + ")"
	WaitFor(t, ctx, `document.readyState !== "loading" && `+q, sel)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](q+".click(), true")); err != nil {
		t.Fatalf("browsertest: clicking %s: %v", sel, err)
	}
}

// Retry runs a again, up to five times, when Chromium answers that a
// node id it used is gone: it drops them all whenever a page's document
// is replaced, which can fall between finding a node and acting on it
// just after a navigation. a must be safe to run again from its start
// (find, clear and type; find and click).
func Retry(a chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		var err error
		for try := 0; try < 5; try++ {
			if _, err = a(ctx, tg); err == nil || !strings.Contains(err.Error(), "Could not find node with given id") {
				return chromedp.Void{}, err
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, err
			case <-time.After(100 * time.Millisecond):
			}
		}
		return chromedp.Void{}, err
	}
}

// TypeInto waits for the field sel, empties it and types text into it,
// as Retry runs it.
func TypeInto(sel, text string) chromedp.Action[chromedp.Void] {
	return Retry(chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool]("(document.querySelector("+strconv.Quote(sel)+").value = '', true)")(ctx, tg)
			return err
		}),
		chromedp.SendKeys(chromedp.CSS(sel), text),
	))
}

// markPrefix starts the console lines WatchCSP writes to know that it has
// read everything before them.
const markPrefix = "browsertest-mark-"

// WatchCSP reads the tab's console from now on, across navigations, for
// Content-Security-Policy violations (Chromium reports each one there: a
// refused script, style, image, frame or form). The returned func lists
// the violations seen up to the moment it is called.
func WatchCSP(t testing.TB, ctx context.Context) func() []string {
	t.Helper()
	msgs := chromedp.Console(ctx)
	var (
		mu   sync.Mutex
		seen []string
	)
	marks := make(chan string, 1)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			switch {
			case strings.HasPrefix(m.Text, markPrefix):
				marks <- m.Text
			case strings.Contains(m.Text, "Content Security Policy"):
				mu.Lock()
				seen = append(seen, m.Text)
				mu.Unlock()
			}
		}
	}()
	n := 0
	return func() []string {
		t.Helper()
		// The console's messages arrive in order: once a mark written now
		// is read, so is every violation before it.
		n++
		mark := fmt.Sprintf("%s%d", markPrefix, n)
		Eval[bool](t, ctx, fmt.Sprintf("console.debug(%q), true", mark))
		timeout := time.After(10 * time.Second)
		for done := false; !done; {
			select {
			case m := <-marks:
				done = m == mark
			case <-timeout:
				t.Fatal("browsertest: the console's messages stopped arriving")
			}
		}
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}
