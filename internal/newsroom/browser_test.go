package newsroom_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dastan/internal/auth"
	"dastan/internal/browsertest"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// signInTab signs a tab in as role.
func signInTab(base string, r auth.Role) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/newsroom/signin"),
		browsertest.TypeInto("#email", string(r)+"@example.com"),
		browsertest.TypeInto("#password", password),
		browsertest.Retry(chromedp.Submit(chromedp.CSS("#password"))),
		browsertest.Retry(chromedp.WaitVisible(chromedp.CSS(`a[href="/newsroom/articles/new"]`))),
	)
}

// waitURL waits until the tab's address contains part.
func waitURL(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	// A busy machine can take seconds to answer a form: wait up to 30 s.
	for i := 0; i < 600; i++ {
		if u, err := chromedp.Run(ctx, chromedp.Location()); err == nil && strings.Contains(u, part) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the page never reached an address with %q", part)
}

// testPNG writes a small photo-like PNG for uploading.
func testPNG(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 640, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 640; x++ {
			img.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 2), 120, 255})
		}
	}
	p := filepath.Join(t.TempDir(), "bishkek.png")
	fh, err := os.Create(p)
	must(t, err)
	must(t, png.Encode(fh, img))
	must(t, fh.Close())
	return p
}

// TestBrowserWritePublish signs in, writes an article with an image,
// previews it, publishes it and finds it on the site.
func TestBrowserWritePublish(t *testing.T) {
	ctx := browsertest.New(t)
	violations := browsertest.WatchCSP(t, ctx) // the newsroom's and the site's policies hold
	f := newFixture(t, storetest.Open(t, "sqlite"))
	base := f.srv.URL
	// Each step that leaves a page waits for the next page's address
	// before touching its nodes: a node found on the page being left is
	// gone by the time it is clicked.
	must(t, chromedp.Do(ctx,
		signInTab(base, auth.Author),
		chromedp.Navigate(base+"/newsroom/articles/new"),
		browsertest.TypeInto("#title", "Bishkek opens a new market"),
		browsertest.TypeInto("#standfirst", "Traders move in this week."),
		browsertest.TypeInto("#body", "The market has **four hundred** stalls."),
	))
	// The live preview, by the server's renderer, is re-rendered while
	// the body is typed: ask for it in one evaluation.
	browsertest.WaitFor(t, ctx, `document.querySelector("#live strong")`, "the live preview")
	// From here each page replaces the one before: clicks and fields are
	// done from inside the page (browsertest.Click, Evaluate), which holds
	// no node id that the new document could take away.
	browsertest.Click(t, ctx, `button[value="save"]`)
	waitURL(t, ctx, "done=saved")
	browsertest.Click(t, ctx, `a[href^="/newsroom/media/?for="]`)
	waitURL(t, ctx, "/newsroom/media/?for=")
	browsertest.WaitFor(t, ctx, `document.readyState !== "loading" && document.querySelector("#file")`, "the upload form")
	upload := testPNG(t)
	var err error
	for try := 0; try < 5; try++ { // a node id taken away mid-step is asked for again
		if err = chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{upload})); err == nil {
			break
		}
	}
	must(t, err)
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#alt").value = "Stalls of the new market";
		document.querySelector("#caption").value = "The new market in Bishkek";
		document.querySelector("#file").form.requestSubmit(), true`))
	must(t, err)
	waitURL(t, ctx, "?image=")
	browsertest.WaitFor(t, ctx, `document.readyState !== "loading" && document.querySelector("img.thumb")`, "the chosen image")
	browsertest.Click(t, ctx, `button[value="save"]`)
	waitURL(t, ctx, "done=saved")
	url, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(url, base), "/newsroom/articles/%d/", &id); err != nil {
		t.Fatalf("editor address %q: %v", url, err)
	}
	// Preview: the reader's page, before it is published.
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/newsroom/articles/%d/preview", base, id)),
		chromedp.WaitVisible(chromedp.CSS("article.story h1")),
	))
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("article.story")))
	must(t, err)
	for _, want := range []string{"Bishkek opens a new market", "<strong>four hundred</strong>", `src="/media/`, "The new market in Bishkek"} {
		if !strings.Contains(html, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	a, err := f.db.ArticleByID(context.Background(), id)
	must(t, err)
	if code, _ := f.anon(t).get("/" + a.Slug + "/"); code != 404 {
		t.Fatalf("draft visible to readers: %d", code)
	}
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/newsroom/articles/%d/", base, id)),
		browsertest.Retry(chromedp.WaitVisible(chromedp.CSS(`button[value="publish"]`))),
	))
	browsertest.Click(t, ctx, `button[value="publish"]`)
	waitURL(t, ctx, "done=")
	browsertest.WaitFor(t, ctx, `document.querySelector(".flash")`, "the step's message")
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/"+a.Slug+"/"),
		chromedp.WaitVisible(chromedp.CSS("article.story h1")),
	))
	html, err = chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("article.story")))
	must(t, err)
	if !strings.Contains(html, "Bishkek opens a new market") || !strings.Contains(html, `src="/media/`) {
		t.Fatalf("published page: %s", html)
	}
	// And on the front page.
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/")))
	html, err = chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(html, "Bishkek opens a new market") {
		t.Fatal("published article not on the front page")
	}
	if v := violations(); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}

// TestBrowserEditConflict has two people, in two browser sessions, open
// one article: the second is told who is editing it and takes over; the
// first person's page says so. A save from the first person's old page
// still lands (locks only warn), so the second person's save is refused
// and shows both versions.
func TestBrowserEditConflict(t *testing.T) {
	ctx1 := browsertest.New(t)
	ctx2, cancel := chromedp.NewContext(ctx1, chromedp.WithNewBrowserContext())
	defer cancel()
	f := newFixture(t, storetest.Open(t, "sqlite"))
	base := f.srv.URL
	a := f.article(t, f.users[auth.Editor], news.StatusDraft, "Water talks resume")
	edit := fmt.Sprintf("%s/newsroom/articles/%d/", base, a.ID)
	must(t, chromedp.Do(ctx1, signInTab(base, auth.Editor), chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS("#body"))))
	must(t, chromedp.Do(ctx2, signInTab(base, auth.Admin), chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS(".locked"))))
	locked, err := chromedp.Run(ctx2, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(locked, "editor@example.com") || !strings.Contains(locked, "has been editing") {
		t.Fatalf("locked page: %q", locked)
	}
	// Taking over by keyboard alone: Tab to the button, Enter.
	must(t, chromedp.Do(ctx2,
		chromedp.Focus(chromedp.CSS(`.actions button[type=submit]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS("#body")),
	))
	// The editor's page learns at its next heartbeat (sent at once when
	// the window gets focus back).
	browsertest.Eval[bool](t, ctx1, `window.dispatchEvent(new Event("focus"))`)
	must(t, chromedp.Do(ctx1, chromedp.WaitVisible(chromedp.CSS("#lock-status"))))
	lost, err := chromedp.Run(ctx1, chromedp.Text(chromedp.CSS("#lock-status")))
	must(t, err)
	if !strings.Contains(lost, "admin@example.com") || !strings.Contains(lost, "took over") {
		t.Fatalf("lock status on the first page: %q", lost)
	}
	must(t, chromedp.Do(ctx1,
		chromedp.SetValue(chromedp.CSS("#body"), "The editor's paragraph."),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	tctx, tcancel := context.WithTimeout(ctx2, 20*time.Second)
	defer tcancel()
	must(t, chromedp.Do(tctx,
		chromedp.SetValue(chromedp.CSS("#body"), "The admin's paragraph."),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS("#theirs-h")),
	))
	page, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	for _, want := range []string{"Your changes were not saved", "Your version", "The current version", "The admin's paragraph.", "The editor's paragraph."} {
		if !strings.Contains(page, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	got, _ := f.db.ArticleByID(context.Background(), a.ID)
	if got.BodySource != "The editor's paragraph." {
		t.Fatalf("second session overwrote the first: %q", got.BodySource)
	}
	// The admin keeps theirs, on purpose.
	must(t, chromedp.Do(tctx,
		chromedp.Click(chromedp.CSS(`form.actions button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	got, _ = f.db.ArticleByID(context.Background(), a.ID)
	if got.BodySource != "The admin's paragraph." {
		t.Fatalf("deliberate overwrite: %q", got.BodySource)
	}
}

// TestBrowserUsers: an admin makes a reset link on the users page; the
// link, opened in a browser, sets a new password and signs the author
// in. The users, account and reset pages fit a phone's width.
// DASTAN_SCREENSHOTS=dir keeps a picture of each page at both widths.
func TestBrowserUsers(t *testing.T) {
	ctx := browsertest.New(t)
	f := newFixture(t, storetest.Open(t, "sqlite"))
	base := f.srv.URL
	fits := func(page string) {
		t.Helper()
		for _, w := range []int64{390, 1280} {
			must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 844)))
			if over := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
				t.Errorf("%s at %d px is %d px too wide", page, w, over)
			}
			if dir := os.Getenv("DASTAN_SCREENSHOTS"); dir != "" {
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				must(t, err)
				must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", page, w)), png, 0o644))
			}
		}
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	}
	must(t, chromedp.Do(ctx,
		signInTab(base, auth.Admin),
		chromedp.Navigate(base+"/newsroom/users/"),
		chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Reset link for author@example.com"]`)),
		chromedp.Click(chromedp.CSS(`button[aria-label="Reset link for author@example.com"]`)),
		chromedp.WaitVisible(chromedp.CSS("input.secret")),
	))
	link, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("input.secret")))
	must(t, err)
	fits("users")
	if !strings.Contains(link, "/newsroom/reset/") {
		t.Fatalf("the link shown: %q", link)
	}
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/newsroom/account/"),
		chromedp.WaitVisible(chromedp.CSS("#current")),
	))
	fits("account")
	// The link's page, opened by the author: the path is the link's, the
	// host the test server's.
	path := link[strings.Index(link, "/newsroom/reset/"):]
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.CSS("#password")),
	))
	fits("reset")
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#password"), "a password of my own"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/newsroom/account/"]`)),
	))
	if who := browsertest.Eval[string](t, ctx, `document.querySelector('a[href="/newsroom/account/"]').textContent`); !strings.Contains(who, "author@example.com") {
		t.Fatalf("signed in as %q after the reset", who)
	}
}
