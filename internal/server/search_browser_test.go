package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dastan/internal/browsertest"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// TestSearchInBrowser searches as a reader does: the masthead's box, the
// results with highlighted words, a filter chosen in the form, and the
// next page keeping both — with no script on the page.
func TestSearchInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	violations := browsertest.WatchCSP(t, ctx)
	f := newFixture(t, storetest.Open(t, "sqlite"))
	f.save(t, &news.Article{Title: "Новый трубопровод в Казахстане", Lang: "ru", BodySource: "Строительство трубопровода начнётся весной.",
		Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour)})

	err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/"),
		chromedp.SendKeys(chromedp.CSS(`#masthead-s`), "pipelines\n"),
		chromedp.WaitVisible(chromedp.CSS(`.results`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	head := browsertest.Eval[string](t, ctx, `document.querySelector('.search-head').innerText`)
	if !strings.Contains(head, "Viewing results 1 - 10 of 23") {
		t.Fatalf("results heading: %q", head)
	}
	if marks := browsertest.Eval[int](t, ctx, `document.querySelectorAll('.results mark').length`); marks < 10 {
		t.Errorf("%d highlighted words on the first page", marks)
	}

	// Next page keeps the query.
	// Page 2 is the one with a link back.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[rel="next"]`)), chromedp.WaitVisible(chromedp.CSS(`a[rel="prev"]`))); err != nil {
		t.Fatal(err)
	}
	head = browsertest.Eval[string](t, ctx, `document.querySelector('.search-head').innerText`)
	if !strings.Contains(head, "Viewing results 11 - 20 of 23") {
		t.Fatalf("second page heading: %q", head)
	}

	// A Russian query through the form, narrowed to Russian.
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#search-q`), "трубопроводы"),
		chromedp.SetValue(chromedp.CSS(`select[name="lang"]`), "ru"),
		chromedp.Submit(chromedp.CSS(`#search-q`)),
		chromedp.WaitNotPresent(chromedp.CSS(`a[rel="prev"]`)), // page 2 is gone
		chromedp.WaitVisible(chromedp.CSS(`.results`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	head = browsertest.Eval[string](t, ctx, `document.querySelector('.search-head').innerText`)
	titles := browsertest.Eval[string](t, ctx, `document.querySelector('.results').innerText`)
	if !strings.Contains(head, "Viewing results 1 - 1 of 1 ") {
		t.Errorf("Russian search heading: %q", head)
	}
	if !strings.Contains(titles, "Новый трубопровод") {
		t.Errorf("Russian search results:\n%s", titles)
	}
	if lang := browsertest.Eval[string](t, ctx, `document.querySelector('select[name="lang"]').value`); lang != "ru" {
		t.Errorf("the language filter was not kept: %q", lang)
	}
	if v := violations(); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}
