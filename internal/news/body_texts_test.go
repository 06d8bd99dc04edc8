package news

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// bodySeeds are bodies whose two readings differ: captions (searched,
// not in excerpts), code, tables, line breaks, stray shortcodes,
// entities, invalid UTF-8 and NULs.
var bodySeeds = []string{
	"", "plain words  only", "a &amp; b",
	`<p>One <b>two</b></p><figure><img src="x.jpg"><figcaption>Almaty at dusk</figcaption></figure><p>Three<br>four</p>`,
	`<script>var x = "<p>";</script><p>After</p><style>p{}</style><noscript>no</noscript>`,
	`<table><tr><td>a</td><td>b</td></tr></table><ul><li>x</li><li>y</li></ul>`,
	`<figure><figcaption>left open</figure><p>[caption id="1"]text[/caption] &#91;gallery&#93;</p>`,
	"<p>\xff\xfe broken\x00 bytes</p><pre>code\r\n  kept</pre>",
	`<iframe src="x">frame words</iframe><svg><text>drawn</text></svg><p>end</p>`,
}

// FuzzBodyTexts checks that one pass over a body makes the same two texts
// as PlainText and SearchText reading it each on its own.
func FuzzBodyTexts(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		plain, search := BodyTexts(h)
		if want := PlainText(h); plain != want {
			t.Fatalf("plain text of %q:\n got %q\nwant %q", h, plain, want)
		}
		if want := SearchText(h); search != want {
			t.Fatalf("search text of %q:\n got %q\nwant %q", h, search, want)
		}
	})
}

// FuzzExcerptOfBody checks the excerpt of a body against what it stands
// for: its plain text, shortcodes stripped, spaces joined, cut at a word.
func FuzzExcerptOfBody(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s, 300)
		f.Add(s, 5)
	}
	f.Add(strings.Repeat("Бишкек ", 80), 300)
	f.Add(`<p>a [caption id="x"]  b [/caption]  c</p>`, 3)
	f.Fuzz(func(t *testing.T, h string, limit int) {
		limit %= 10000
		got := MakeExcerpt("", h, FormatHTML, h, limit)
		want := cutAtWord(joinFields(noTags(stripShortcodeText(PlainText(h)))), limit)
		if strings.Contains(h, "<!--more") || h == "" {
			return // the teaser or the source, not the body
		}
		if got != want {
			t.Fatalf("excerpt of %q (%d):\n got %q\nwant %q", h, limit, got, want)
		}
	})
}

// FuzzLongerThan checks the bounded count against counting every rune.
func FuzzLongerThan(f *testing.F) {
	for _, s := range []string{"", "abc", "абв", "\xff\xfeab", strings.Repeat("ж", 301)} {
		f.Add(s, 3)
		f.Add(s, 300)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 {
			return
		}
		if got, want := longerThan(s, n), utf8.RuneCountInString(s) > n; got != want {
			t.Fatalf("longerThan(%q, %d) = %v, want %v", s, n, got, want)
		}
	})
}
