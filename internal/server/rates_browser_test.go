package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dastan/internal/browsertest"
	"dastan/internal/store/storetest"
)

// TestTickerInBrowser checks what a reader of the ticker gets in Chromium:
// the visible text, one copy for screen readers, a marquee that pauses on
// focus and stands still under prefers-reduced-motion.
func TestTickerInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	f, _ := newRatesFixture(t, storetest.Open(t, "sqlite"), nil)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".ticker"))); err != nil {
		t.Fatal(err)
	}
	text := browsertest.Eval[string](t, ctx, `document.querySelector('.ticker-list:not([aria-hidden])').innerText`)
	for _, want := range []string{"KGS/USD 0.01144 ▼ -0.06% as of 20 Nov", "KZT/USD 0.002089 ▲ +0.26%", "UZS/USD 0.00008299 ▬ 0.00%"} {
		if !strings.Contains(text, want) {
			t.Errorf("ticker text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "-0%") || strings.Contains(text, "-0.00%") {
		t.Errorf("ticker shows a negative zero:\n%s", text)
	}
	copies := browsertest.Eval[int](t, ctx, `document.querySelectorAll('.ticker-list[aria-hidden="true"]').length`)
	focusable := browsertest.Eval[int](t, ctx, `[...document.querySelectorAll('.ticker-list[aria-hidden="true"] a')].filter(a => a.tabIndex >= 0).length`)
	if copies != 2 || focusable != 0 {
		t.Errorf("%d aria-hidden copies (want 2), %d focusable links in them (want 0)", copies, focusable)
	}
	if name := browsertest.Eval[string](t, ctx, `getComputedStyle(document.querySelector('.ticker-track')).animationName`); name != "ticker" {
		t.Errorf("ticker animation %q, want it moving", name)
	}
	state := browsertest.Eval[string](t, ctx, `document.querySelector('.ticker-list a').focus(), getComputedStyle(document.querySelector('.ticker-track')).animationPlayState`)
	if state != "paused" {
		t.Errorf("focused ticker is %q, want paused", state)
	}

	if err := browsertest.EmulateMedia(ctx, map[string]string{"prefers-reduced-motion": "reduce"}); err != nil {
		t.Fatal(err)
	}
	if name := browsertest.Eval[string](t, ctx, `getComputedStyle(document.querySelector('.ticker-track')).animationName`); name != "none" {
		t.Errorf("under reduced motion the animation is %q, want none", name)
	}
	seen := browsertest.Eval[string](t, ctx, `document.querySelector('.ticker').innerText`)
	if n := strings.Count(seen, "KZT/USD"); n != 1 {
		t.Errorf("under reduced motion KZT shows %d times, want once:\n%s", n, seen)
	}
}

// TestConverterInBrowser fills the rates page's converter and submits it,
// with no script on the page.
func TestConverterInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	violations := browsertest.WatchCSP(t, ctx)
	f, _ := newRatesFixture(t, storetest.Open(t, "sqlite"), nil)
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/rates/"),
		chromedp.WaitVisible(chromedp.CSS("form.converter")),
		chromedp.SetValue(chromedp.CSS(`input[name="amount"]`), "250"),
		chromedp.SetValue(chromedp.CSS(`select[name="from"]`), "USD"),
		chromedp.SetValue(chromedp.CSS(`select[name="to"]`), "KZT"),
		chromedp.Click(chromedp.CSS("form.converter button")),
		chromedp.WaitVisible(chromedp.CSS("output")),
	)
	if err != nil {
		t.Fatal(err)
	}
	out := browsertest.Eval[string](t, ctx, `document.querySelector('output').innerText`)
	if out != "250 USD = 119,692.50 KZT" {
		t.Errorf("converter shows %q", out)
	}
	// The converter and the charts need no script: the page's only one
	// is the search box's suggestions, as on every page.
	if n := browsertest.Eval[int](t, ctx, `[...document.scripts].filter(s => !s.src.includes('/static/suggest.js')).length`); n != 0 {
		t.Errorf("rates page has %d scripts besides the search box's, want none", n)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('svg.rate-chart').length`); n != 3 {
		t.Errorf("%d charts drawn, want 3", n)
	}
	row := browsertest.Eval[string](t, ctx, `document.getElementById('KZT').innerText`)
	for _, want := range []string{"KZT/USD = 0.002089", "USD/KZT = 478.77", "26 Nov 2026", "National Bank of Kazakhstan"} {
		if !strings.Contains(row, want) {
			t.Errorf("KZT row lacks %q: %s", want, row)
		}
	}
	if v := violations(); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}
