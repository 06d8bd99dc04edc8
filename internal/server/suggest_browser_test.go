package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"dastan/internal/browsertest"
	"dastan/internal/store/storetest"
)

// TestSuggestInBrowser types in the masthead's box as a reader does: the
// suggestions open as a combobox's list, the arrow keys choose one,
// Escape closes the list, Enter on a chosen one goes to its page — and
// the site's one script breaks no Content-Security-Policy rule.
// DASTAN_SCREENSHOTS=dir keeps a picture of the open list at both widths.
func TestSuggestInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	violations := browsertest.WatchCSP(t, ctx)
	f := newFixture(t, storetest.Open(t, "sqlite"))
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/"),
		chromedp.SendKeys(chromedp.CSS(`#masthead-s`), "pipeline story 1"),
	))
	// The list is rebuilt as each answer arrives while the keys are
	// typed: wait, in one evaluation each time, for the answer to the
	// whole text (it holds story 10, which "pipeline story" alone also
	// would, and story 1).
	options := `[...document.querySelectorAll('#masthead-s-list [role="option"]')]`
	browsertest.WaitFor(t, ctx, options+`.length > 0 && document.querySelector('#masthead-s-list').offsetParent !== null`, "the list of suggestions")
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('#masthead-s').getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("aria-expanded %q with the list open", got)
	}
	labels := browsertest.Eval[string](t, ctx, `document.querySelector('#masthead-s-list').innerText`)
	if !strings.Contains(labels, "Pipeline story 1") || !strings.Contains(labels, "Pipeline story 10") {
		t.Fatalf("suggestions:\n%s", labels)
	}
	if dir := os.Getenv("DASTAN_SCREENSHOTS"); dir != "" {
		for _, w := range []int64{390, 1280} {
			must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 700)))
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("suggest-%d.png", w)), png, 0o644))
		}
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	}

	// Escape closes the list; typing opens it again.
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#masthead-s`), kb.Escape),
		chromedp.WaitNotVisible(chromedp.CSS(`#masthead-s-list`)),
	))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('#masthead-s').getAttribute('aria-expanded')`); got != "false" {
		t.Errorf("aria-expanded %q with the list closed", got)
	}
	must(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#masthead-s`), "0")))
	// "pipeline story 10" matches that story alone: the list shrinks to
	// one (the test fails at the tab's deadline if it never does).
	browsertest.WaitFor(t, ctx, options+`.length === 1 && `+options+`[0].innerText.includes("Pipeline story 10")`, "one suggestion for pipeline story 10")
	must(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#masthead-s`), kb.Backspace)))
	browsertest.WaitFor(t, ctx, `document.querySelector('#masthead-s-list-1')`, "the second suggestion again")
	must(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#masthead-s`), kb.ArrowDown+kb.ArrowDown)))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('#masthead-s').getAttribute('aria-activedescendant')`); got != "masthead-s-list-1" {
		t.Fatalf("aria-activedescendant %q after two ArrowDowns", got)
	}
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#masthead-s`), kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`article h1`)),
	))
	if path := browsertest.Eval[string](t, ctx, `location.pathname`); path != "/pipeline-story-10/" {
		t.Errorf("Enter on the second suggestion went to %q", path)
	}
	if v := violations(); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}
