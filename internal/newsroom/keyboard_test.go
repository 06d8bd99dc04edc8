package newsroom_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dastan/internal/auth"
	"dastan/internal/browsertest"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// tabTo presses Tab until the focused element matches selector, as a
// keyboard user moves through a page; it fails if it never gets there.
func tabTo(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	for i := 0; i < 80; i++ {
		if browsertest.Eval[bool](t, ctx, `!!document.activeElement && document.activeElement.matches(`+jsString(selector)+`)`) {
			return
		}
		must(t, chromedp.Do(ctx, chromedp.KeyEvent("\t")))
	}
	t.Fatalf("Tab never reached %s", selector)
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// TestBrowserKeyboardOnly signs in, opens a new article, writes it and
// saves it with the keyboard alone: every control is reachable by Tab and
// works with Enter.
func TestBrowserKeyboardOnly(t *testing.T) {
	ctx := browsertest.New(t)
	f := newFixture(t, storetest.Open(t, "sqlite"))
	base := f.srv.URL
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/newsroom/signin"), chromedp.WaitVisible(chromedp.CSS("#email"))))
	tabTo(t, ctx, "#email")
	must(t, chromedp.Do(ctx, chromedp.KeyEvent(string(auth.Editor)+"@example.com")))
	tabTo(t, ctx, "#password")
	must(t, chromedp.Do(ctx, chromedp.KeyEvent(password+"\r")))
	must(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`a[href="/newsroom/articles/new"]`))))

	tabTo(t, ctx, `a[href="/newsroom/articles/new"]`)
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("#title"))))
	tabTo(t, ctx, "#title")
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("Tashkent metro adds a line")))
	tabTo(t, ctx, "#body")
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("The new line has six stations.")))
	tabTo(t, ctx, `button[value="save"]`)
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("\r")))
	waitURL(t, ctx, "done=saved")

	l, err := f.db.NewsroomArticles(context.Background(), store.NewsroomQuery{Search: "metro", Limit: 10})
	must(t, err)
	found := false
	for _, a := range l.Articles {
		found = found || a.Title == "Tashkent metro adds a line"
	}
	if !found {
		t.Fatal("the article written with the keyboard was not saved")
	}
}
