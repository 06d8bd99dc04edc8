package news

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSplitMore(t *testing.T) {
	tests := []struct {
		in, teaser string
		more       bool
	}{
		{"Intro<!--more-->Rest", "Intro", true},
		{"Intro\n<!--more Read on-->\nRest", "Intro\n", true},
		{"No tag", "No tag", false},
	}
	for _, tt := range tests {
		teaser, more := SplitMore(tt.in)
		if teaser != tt.teaser || more != tt.more {
			t.Errorf("SplitMore(%q) = %q, %v; want %q, %v", tt.in, teaser, more, tt.teaser, tt.more)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>One</p><p>two</p>", "One two"},
		{"wo<b>rd</b>", "word"},
		{"a<br>b", "a b"},
		{"Tom &amp; Jerry&nbsp;&mdash; &#1058;&#1086;&#1082;", "Tom & Jerry — Ток"},
		{`<figure><img src="/a.jpg" alt="x"><figcaption>Caption</figcaption></figure><p>Body</p>`, "Body"},
		{"<script>var a = '<p>';</script><style>p{}</style>Text", "Text"},
		{"<ul><li>one</li><li>two</li></ul>", "one two"},
		{"<figure><figcaption>Open caption</figure> After", "After"},
		{"  many \n\t spaces ", "many spaces"},
		{"<!-- comment -->Text", "Text"},
	}
	for _, tt := range tests {
		if got := PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// SearchText is what the search index and snippets read: unlike
// PlainText it keeps captions and paragraph breaks.
func TestSearchText(t *testing.T) {
	for in, want := range map[string]string{
		`<p>Oil &amp; gas</p><p>Second</p>`: "Oil & gas\n\nSecond",
		`<figure><img src="/x.jpg" alt=""><figcaption>Almaty at dawn</figcaption></figure><p>Text</p>`: "Almaty at dawn\n\n\n\nText",
		`<p>one<br>two</p><script>alert(1)</script>`:                                                   "one\ntwo",
		`<table><tr><td>KZT</td><td>478</td></tr></table>`:                                             "KZT 478",
		`<p>&#91;caption id="1"]Left as text&#91;/caption]</p>`:                                        "Left as text",
		`<p>x [playlist ids="1,2"] y [note]</p>`:                                                       "x  y [note]",
	} {
		if got := SearchText(in); got != want {
			t.Errorf("SearchText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMakeExcerpt(t *testing.T) {
	body := "<p>The National Bank of Kazakhstan kept its base rate at 15.25 percent on Friday.</p>"
	tests := []struct {
		name, manual, source string
		format               Format
		body                 string
		limit                int
		want                 string
	}{
		{"manual wins", "Editor's <b>own</b> words.", "x", FormatHTML, body, 100, "Editor's own words."},
		{"manual shortcodes stripped", `[caption id="attachment_29119" align="aligncenter" width="683"]<img src="/a.jpg"> Cap[/caption] Text`, "", FormatHTML, "", 100, "Text"},
		{"manual escaped shortcode stripped", "See [[caption]] here", "", FormatHTML, "", 100, "See here"},
		{"teaser", "", "Before the fold.\n\n<!--more-->\n\nAfter.", FormatHTML, "<p>Before the fold.</p><p>After.</p>", 100, "Before the fold."},
		{"markdown teaser", "", "**Bold** start\n\n<!--more-->\n\nrest", FormatMarkdown, "", 100, "Bold start"},
		{"body", "", "", FormatHTML, body, 0, "The National Bank of Kazakhstan kept its base rate at 15.25 percent on Friday."},
		{"cut at word", "", "", FormatHTML, body, 30, "The National Bank of…"},
		{"cut drops trailing comma", "", "", FormatHTML, "<p>Astana, Almaty, Shymkent and more</p>", 15, "Astana, Almaty…"},
		{"fits exactly", "", "", FormatHTML, "<p>exactly ten</p>", 11, "exactly ten"},
		{"cyrillic", "", "", FormatHTML, "<p>Токаев провёл совещание в Акорде</p>", 20, "Токаев провёл…"},
		{"gallery and caption leave nothing", "", `[gallery ids="1,2"][caption]<img src="/a.jpg"> Cap[/caption]Story starts here.`, FormatHTML, "", 100, "Story starts here."},
		{"less than sign", "", "", FormatHTML, "<p>&lt;script&gt; is text</p>", 100, "‹script> is text"},
		{"one long word", "", "", FormatHTML, "<p>" + strings.Repeat("ж", 50) + "</p>", 10, strings.Repeat("ж", 9) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MakeExcerpt(tt.manual, tt.source, tt.format, tt.body, tt.limit)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if tt.limit > 0 && utf8.RuneCountInString(got) > tt.limit {
				t.Errorf("%q is longer than %d runes", got, tt.limit)
			}
		})
	}
}

func TestReadingMinutes(t *testing.T) {
	words := func(w string, n int) string { return "<p>" + strings.Repeat(w+" ", n) + "</p>" }
	tests := []struct {
		html string
		want int
	}{
		{"", 1},
		{words("word", 100), 1},
		{words("word", 440), 2},
		{words("word", 2200), 10},
		{words("слово", 1800), 10},
		{words("—", 5000), 1},
	}
	for _, tt := range tests {
		if got := ReadingMinutes(tt.html); got != tt.want {
			t.Errorf("ReadingMinutes(%d bytes) = %d, want %d", len(tt.html), got, tt.want)
		}
	}
}

func FuzzMakeExcerpt(f *testing.F) {
	f.Add("", "Intro<!--more-->rest", "html", "<p>x</p>", 20)
	f.Add(`[caption id="a"]<img src=x> cap[/caption]`, "", "markdown", "", 5)
	f.Add("", `[[caption]] &lt;b&gt; [gallery ids="1"]`, "html", "", 300)
	f.Add("&#91;caption]", "", "html", "", 3)
	f.Fuzz(func(t *testing.T, manual, source, format, body string, limit int) {
		if limit > 10000 || limit < -1 {
			limit %= 10000
		}
		got := MakeExcerpt(manual, source, Format(format), body, limit)
		// "[caption0" is not a shortcode and may stay; "[caption …]" may not.
		if knownTagLeft(got) {
			t.Fatalf("shortcode in excerpt %q", got)
		}
		if strings.Contains(got, "<") {
			t.Fatalf("markup in excerpt %q", got)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("excerpt is not valid UTF-8: %q", got)
		}
		if limit > 0 && utf8.RuneCountInString(got) > limit {
			t.Fatalf("excerpt %q longer than %d runes", got, limit)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
			t.Fatalf("whitespace not collapsed in %q", got)
		}
	})
}

// FuzzJoinFields checks joinFields against what it stands for.
func FuzzJoinFields(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a b ", "a  b", "a\tb\n\nc", "x\u00a0y\u2003 z", "\xff \xfe", "a \u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := joinFields(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("joinFields(%q) = %q, want %q", s, got, want)
		}
	})
}

// readingMinutesByWords is readingMinutesOf as it was first written, word
// by word: what the one-pass reading must count.
func readingMinutesByWords(text string) int {
	var latin, cyr int
	for w := range strings.FieldsSeq(text) {
		var letters, cyrLetters int
		for _, r := range w {
			switch {
			case r < utf8.RuneSelf:
				if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
					letters++
				}
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				letters++
				if unicode.Is(unicode.Cyrillic, r) {
					cyrLetters++
				}
			}
		}
		switch {
		case letters == 0:
		case cyrLetters*2 > letters:
			cyr++
		default:
			latin++
		}
	}
	m := float64(latin)/latinWordsPerMinute + float64(cyr)/cyrillicWordsPerMinute
	return max(1, int(math.Round(m)))
}

// FuzzReadingMinutes checks the one-pass count against the word-by-word one.
func FuzzReadingMinutes(f *testing.F) {
	for _, s := range []string{"", "a", " — ", strings.Repeat("word ", 330), strings.Repeat("слово ", 271) + strings.Repeat("x ", 60),
		"ОшКГУ-2024 Ош\u00a0Bishkek\u2003Алматы", "\xff\xfe б \u0085 c", strings.Repeat("Nur-Sultan Нур-Султан 2019 ", 120)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := readingMinutesOf(s), readingMinutesByWords(s); got != want {
			t.Fatalf("readingMinutesOf(%q) = %d, word by word %d", s, got, want)
		}
	})
}
