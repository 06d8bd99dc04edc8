package newsroom_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dastan/internal/auth"
	"dastan/internal/browsertest"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// TestBrowserPreviewLink: an editor makes a preview link with the
// keyboard alone; a browser that never signed in opens it and sees the
// draft as the public article page.
func TestBrowserPreviewLink(t *testing.T) {
	ctx := browsertest.New(t)
	outside, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	f := newFixture(t, storetest.Open(t, "sqlite"))
	base := f.srv.URL
	a := f.article(t, f.users[auth.Editor], news.StatusDraft, "Draft: the Kambarata dam")
	must(t, chromedp.Do(ctx, signInTab(base, auth.Editor),
		chromedp.Navigate(base+links.NewsroomShare(a.ID)),
		chromedp.WaitVisible(chromedp.CSS("#lifetime")),
		chromedp.Focus(chromedp.CSS("#lifetime")),
		chromedp.KeyEvent("\t"),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS("input.copy")),
	))
	addr, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("input.copy")))
	must(t, err)
	u, err := url.Parse(addr)
	must(t, err)
	violations := browsertest.WatchCSP(t, outside)
	must(t, chromedp.Do(outside,
		chromedp.Navigate(base+u.Path),
		chromedp.WaitVisible(chromedp.CSS("article.story h1")),
	))
	h1, err := chromedp.Run(outside, chromedp.Text(chromedp.CSS("article.story h1")))
	must(t, err)
	if !strings.Contains(h1, "Kambarata") {
		t.Fatalf("the preview link shows %q", h1)
	}
	if n := browsertest.Eval[int](t, outside, `document.querySelectorAll('meta[name=robots][content*=noindex]').length`); n != 1 {
		t.Errorf("%d robots noindex tags", n)
	}
	if v := violations(); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}
