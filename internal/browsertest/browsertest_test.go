package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"dastan/internal/browsertest"
)

// WatchCSP sees what Chromium refuses under a page's policy, and nothing
// on a page that keeps to it; tests that rely on it can trust a silence.
func TestWatchCSP(t *testing.T) {
	ctx := browsertest.New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'none'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/clean" {
			w.Write([]byte(`<!doctype html><title>clean</title><script type="application/ld+json">{"@type":"NewsArticle"}</script><p>Text.</p>`))
			return
		}
		w.Write([]byte(`<!doctype html><title>bad</title><p style="color:red">Text.</p><script>document.title = "ran"</script>`))
	}))
	defer srv.Close()
	violations := browsertest.WatchCSP(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/clean")); err != nil {
		t.Fatal(err)
	}
	if v := violations(); len(v) != 0 {
		t.Fatalf("violations on a page that keeps its policy: %q", v)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	v := violations()
	if len(v) < 2 {
		t.Fatalf("an inline script and an inline style under script-src 'none' and style-src 'self': %d violations seen: %q", len(v), v)
	}
	if title := browsertest.Eval[string](t, ctx, "document.title"); title != "bad" {
		t.Fatalf("the inline script ran: title %q", title)
	}
}
