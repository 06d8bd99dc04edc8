package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dastan/internal/auth"
	"dastan/internal/browsertest"
	"dastan/internal/demo"
	"dastan/internal/fixtures"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// pageWidths are a small phone, a common phone, a tablet and a desktop.
var pageWidths = []int64{360, 390, 768, 1280}

// TestEveryPageFitsAndPassesAxe opens every page type, the reader's and
// the newsroom's, in Chromium at phone, tablet and desktop widths: none
// may scroll sideways (the document no wider than the window), and
// axe-core finds no serious or critical accessibility violation on any.
// DASTAN_SCREENSHOTS=dir keeps a picture of each page at 390 and 1280.
func TestEveryPageFitsAndPassesAxe(t *testing.T) {
	ctx := browsertest.NewTimeout(t, 8*time.Minute)
	db := storetest.Open(t, "sqlite")
	bg := context.Background()
	must(t, demo.Fill(bg, db, demo.Options{Articles: 300, Seed: 1, End: testNow}))
	fixtures.Users(t, db, func() time.Time { return testNow })
	_, ts := fixtures.Serve(t, server.Options{Config: testConfig(t), Store: db, Now: func() time.Time { return testNow }, AuthParams: fixtures.Cheap})
	l, err := db.ListArticles(bg, store.ListQuery{VisibleAt: testNow, Limit: 1})
	must(t, err)
	a, err := db.ArticleByID(bg, l.Articles[0].ID)
	must(t, err)
	public := []string{"/", "/" + a.Slug + "/", "/category/news/", "/category/news/kazakhstan/page/2/", "/tag/" + a.Tags[0].Slug + "/",
		"/author/" + a.Authors[0].Slug + "/", "/2026/11/", "/page/3/", "/?s=pipeline", "/rates/", "/no-such-page/", "/ru/", "/ru/category/news/kazakhstan/", "/ru/rates/"}
	newsroom := []string{"/newsroom/articles/", fmt.Sprintf("/newsroom/articles/%d/", a.ID), "/newsroom/articles/new",
		fmt.Sprintf("/newsroom/articles/%d/revisions/", a.ID), "/newsroom/media/", "/newsroom/trash/", "/newsroom/front/",
		"/newsroom/sections/", "/newsroom/tags/", "/newsroom/redirects/", "/newsroom/users/", "/newsroom/tokens/",
		"/newsroom/audit/", "/newsroom/account/"}
	shots := os.Getenv("DASTAN_SCREENSHOTS")
	check := func(path string) {
		t.Helper()
		for _, w := range pageWidths {
			must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, 800), chromedp.Navigate(ts.URL+path), chromedp.WaitReady("body")))
			if sw := browsertest.Eval[int64](t, ctx, `document.documentElement.scrollWidth`); sw > w {
				wide := browsertest.Eval[string](t, ctx, widest)
				t.Errorf("%s is %d px wide at %d px: %s", path, sw, w, wide)
			}
			if w == 390 || w == 1280 {
				for _, v := range browsertest.Axe(t, ctx) {
					t.Errorf("%s at %d px: %s", path, w, v)
				}
				if shots != "" {
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					must(t, err)
					name := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(path), "_")
					must(t, os.WriteFile(filepath.Join(shots, fmt.Sprintf("page-%s-%d.png", name, w)), png, 0o644))
				}
			}
		}
	}
	for _, p := range public {
		check(p)
	}
	check("/newsroom/signin")
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), signIn(ts.URL, auth.Editor)))
	for _, p := range newsroom {
		check(p)
	}
}

// widest names the elements that reach past the window's right edge,
// for a failure message that says where to look.
const widest = `(() => { const w = document.documentElement.clientWidth; const out = [];
	for (const el of document.querySelectorAll("body *")) { const r = el.getBoundingClientRect();
		if (r.right > w + 1 && out.length < 5) out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " " + Math.round(r.right) + "px"); }
	return out.join(", "); })()`

// signIn signs a tab in to the newsroom as role.
func signIn(base string, r auth.Role) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/newsroom/signin"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), string(r)+"@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), fixtures.Password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/newsroom/articles/new"]`)),
	)
}
