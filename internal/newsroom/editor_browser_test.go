package newsroom_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dastan/internal/auth"
	"dastan/internal/browsertest"
	"dastan/internal/fixtures"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// bodyValue is what the form would send as the body now.
func bodyValue(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.getElementById("body").value`)
}

// waitBody waits until the form's body contains want.
func waitBody(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	var v string
	for i := 0; i < 200; i++ {
		if v = bodyValue(t, ctx); strings.Contains(v, want) {
			return v
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the body never contained %q: %s", want, v)
	return ""
}

// TestBrowserVisualEditor writes in the visual editor: typing, bold by
// its shortcut, undo, a heading chosen with the keyboard alone, an image
// dropped into the body (uploaded through the media library), an embed
// by address; then saves, and the public page shows it. The editor fits
// a phone's width. DASTAN_SCREENSHOTS=dir keeps pictures at 390 and 1280 px.
func TestBrowserVisualEditor(t *testing.T) {
	ctx := browsertest.New(t)
	violations := browsertest.WatchCSP(t, ctx)
	f := newFixture(t, storetest.Open(t, "sqlite"))
	base := f.srv.URL
	a := news.Article{Title: "Visual draft", BodySource: `<p>First paragraph.</p>`, BodyFormat: news.FormatHTML, Status: news.StatusDraft,
		SectionID: f.section.ID, Authors: []news.Author{f.author}}
	fixtures.Save(t, f.db, &a, f.users[auth.Editor].ID)
	ctrl := chromedp.KeyModifiers(chromedp.ModifierCtrl)

	must(t, chromedp.Do(ctx, signInTab(base, auth.Editor),
		chromedp.Navigate(base+links.NewsroomArticle(a.ID)),
		chromedp.WaitVisible(chromedp.CSS(".visual-body .tiptap")),
	))
	if browsertest.Eval[bool](t, ctx, `document.getElementById("body").offsetParent !== null`) {
		t.Fatal("the textarea still shows under the visual editor")
	}
	// Typing at the end of the paragraph, then bold by its shortcut.
	// The caret at the end, and kept there: the page may still be moving
	// the focus as it settles, and keys sent before the editor holds it
	// are lost.
	focusEnd := `dastanEditor.commands.focus("end") && document.activeElement !== null && document.activeElement.closest(".tiptap") !== null`
	browsertest.WaitFor(t, ctx, focusEnd, "the editor has the caret")
	time.Sleep(200 * time.Millisecond)
	browsertest.WaitFor(t, ctx, focusEnd, "the editor keeps the caret")
	must(t, chromedp.Do(ctx, chromedp.KeyEvent(" Plain then ")))
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("b", ctrl), chromedp.KeyEvent("strong"), chromedp.KeyEvent("b", ctrl)))
	if v := waitBody(t, ctx, "strong</strong></p>"); !strings.Contains(v, "Plain then") || !strings.Contains(v, "<strong>") {
		t.Fatalf("typed body: %s", v)
	}
	if wc := browsertest.Eval[string](t, ctx, `document.getElementById("wordcount").textContent`); !regexp.MustCompile(`^[45] words · 1 min read$`).MatchString(wc) {
		t.Errorf("word count reads %q", wc)
	}
	// Undo takes the bold word back.
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("z", ctrl)))
	for i := 0; i < 40 && strings.Contains(bodyValue(t, ctx), "strong"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if v := bodyValue(t, ctx); strings.Contains(v, "<strong>") {
		t.Fatalf("undo left %s", v)
	}

	// The keyboard alone: Tab from the title until the heading button,
	// Enter makes the paragraph a heading.
	must(t, chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#title"))))
	found := false
	for i := 0; i < 30 && !found; i++ {
		must(t, chromedp.Do(ctx, chromedp.KeyEvent("\t")))
		found = browsertest.Eval[string](t, ctx, `document.activeElement.dataset.cmd || ""`) == "heading"
	}
	if !found {
		t.Fatal("Tab never reached the heading button")
	}
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("\r")))
	waitBody(t, ctx, "<h2>First paragraph.")
	must(t, chromedp.Do(ctx, chromedp.KeyEvent("z", ctrl)))
	waitBody(t, ctx, "<p>First paragraph.")

	// An image dropped into the body goes through the library.
	browsertest.Eval[bool](t, ctx, `(() => { (async () => {
		const c = document.createElement("canvas"); c.width = 320; c.height = 200;
		const g = c.getContext("2d"); g.fillStyle = "#2a6"; g.fillRect(0, 0, 320, 200); g.fillStyle = "#fff"; g.fillRect(40, 40, 100, 60);
		const blob = await new Promise(r => c.toBlob(r, "image/png"));
		const dt = new DataTransfer(); dt.items.add(new File([blob], "dropped.png", { type: "image/png" }));
		const el = document.querySelector(".visual-body .tiptap"), r = el.getBoundingClientRect();
		el.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.left + 20, clientY: r.bottom - 10 }));
	})(); return true; })()`)
	v := waitBody(t, ctx, `<figure><img src="/media/`)
	if !strings.Contains(v, `srcset="`) {
		t.Errorf("the dropped image has no srcset: %s", v)
	}
	// An embed by its address.
	browsertest.Eval[bool](t, ctx, `window.prompt = () => "https://t.me/timesca/1234"; true`)
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.visual-bar button[data-cmd="embed"]`))))
	waitBody(t, ctx, `<p class="embed"><a href="https://t.me/timesca/1234"`)

	// The live preview follows, made by the server's renderer.
	for i := 0; i < 100 && !strings.Contains(browsertest.Eval[string](t, ctx, `document.getElementById("live").innerHTML`), "<figure"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if live := browsertest.Eval[string](t, ctx, `document.getElementById("live").innerHTML`); !strings.Contains(live, "<figure") {
		t.Errorf("live preview: %s", live)
	}
	shots(t, ctx, "editor")

	must(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	got, err := f.db.ArticleByID(context.Background(), a.ID)
	must(t, err)
	if got.BodyFormat != news.FormatVisual || !strings.Contains(got.BodyHTML, `<figure><img src="/media/`) || !strings.Contains(got.BodyHTML, `<figure class="embed embed-click">`) || strings.Contains(got.BodyHTML, "</p>\n</p>") {
		t.Fatalf("saved body: %s", got.BodyHTML)
	}
	// Published, the embed is a placeholder: no frame, nothing loaded
	// from Telegram, until the reader clicks it.
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+links.NewsroomArticle(a.ID)),
		chromedp.WaitVisible(chromedp.CSS(".visual-body .tiptap")),
	))
	// Reopened, the saved placeholder is an embed block again.
	waitBody(t, ctx, `<p class="embed"><a href="https://t.me/timesca/1234"`)
	must(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[value="publish"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.Navigate(base+links.Article(got.Slug)),
		chromedp.WaitVisible(chromedp.CSS("a.embed-load")),
	))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("iframe").length + performance.getEntriesByType("resource").filter(e => !e.name.startsWith(location.origin)).length`); n != 0 {
		t.Fatalf("%d frames or third-party requests before the click", n)
	}
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.embed-load")), chromedp.WaitReady(chromedp.CSS("iframe.embed-frame"))))
	if src := browsertest.Eval[string](t, ctx, `document.querySelector("iframe.embed-frame").src`); src != "https://t.me/timesca/1234?embed=1" {
		t.Errorf("the click framed %q", src)
	}
	if v := violations(); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}

// shots checks the page fits 390 and 1280 px and, with
// DASTAN_SCREENSHOTS=dir, keeps a picture of each.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{390, 1280} {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 900)))
		if over := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			wide := browsertest.Eval[string](t, ctx, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id).join(" ")`)
			t.Errorf("%s at %d px is %d px too wide: %s", name, w, over, wide)
		}
		if dir := os.Getenv("DASTAN_SCREENSHOTS"); dir != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644))
		}
	}
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
}
