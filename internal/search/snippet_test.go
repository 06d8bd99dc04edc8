package search

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSnippetMarksSurfaceForms(t *testing.T) {
	text := "Officials said the pipelines would open in spring. Токаев обсудил трубопровод."
	got := string(Snippet(text, ParseQuery("pipeline Tokayev"), 0))
	want := "Officials said the <mark>pipelines</mark> would open in spring. <mark>Токаев</mark> обсудил трубопровод."
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSnippetCutsAtWords(t *testing.T) {
	filler := strings.Repeat("lorem ipsum dolor sit amet ", 40)
	text := filler + "the new gas pipeline to China opened on Monday " + filler
	got := string(Snippet(text, ParseQuery("pipeline China"), 80))
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("want … at both cuts: %q", got)
	}
	if !strings.Contains(got, "<mark>pipeline</mark> to <mark>China</mark>") {
		t.Errorf("matches not in window: %q", got)
	}
	plain := strings.NewReplacer("<mark>", "", "</mark>", "", "…", "").Replace(got)
	if n := utf8.RuneCountInString(plain); n > 80 {
		t.Errorf("snippet has %d runes, want at most 80", n)
	}
	for _, w := range strings.Fields(plain) {
		if !strings.Contains(" lorem ipsum dolor sit amet the new gas pipeline to china opened on monday ", " "+strings.ToLower(w)+" ") {
			t.Errorf("cut inside a word: %q", w)
		}
	}
}

func TestSnippetNoMatchIsOpening(t *testing.T) {
	text := "First words of the story, and then a great deal more text follows here."
	got := string(Snippet(text, ParseQuery("absent"), 30))
	if got != "First words of the story, and…" {
		t.Errorf("got %q", got)
	}
}

func TestSnippetEscapes(t *testing.T) {
	text := `<script>alert("x")</script> & the pipeline's <b>opening</b>`
	got := string(Snippet(text, ParseQuery("pipeline script"), 0))
	want := `&lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; &amp; the <mark>pipeline</mark>&#39;s &lt;b&gt;opening&lt;/b&gt;`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestHighlightTitle(t *testing.T) {
	got := string(HighlightTitle("Mirziyoyev meets Tokayev in Tashkent", ParseQuery("Мирзиёев Ташкент -Tokayev")))
	want := "<mark>Mirziyoyev</mark> meets Tokayev in <mark>Tashkent</mark>"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>?`)

func FuzzSnippet(f *testing.F) {
	f.Add("<script>x</script> pipeline", "pipeline", 20)
	f.Add("Токаев & <b>", "Tokayev", 5)
	f.Add("\xff<mark>a", "mark", 3)
	f.Fuzz(func(t *testing.T, text, query string, n int) {
		q := ParseQuery(query)
		for _, out := range []string{string(Snippet(text, q, n%500)), string(HighlightTitle(text, q))} {
			for _, tag := range tagRE.FindAllString(out, -1) {
				if tag != "<mark>" && tag != "</mark>" {
					t.Fatalf("unescaped %q in %q", tag, out)
				}
			}
			if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
				t.Fatalf("unbalanced marks in %q", out)
			}
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 %q", out)
			}
		}
	})
}

func BenchmarkSnippet(b *testing.B) {
	text := article(1000)
	q := ParseQuery("Tokayev pipeline")
	for b.Loop() {
		Snippet(text, q, 240)
	}
}

func TestSnippetIn(t *testing.T) {
	body := "Президент Токаев открыл газопровод в степи.\n\nPresident Tokayev opens the gas pipeline. Photo: Press service\n\nГазопровод пройдёт через степь до Китая, сказал Tokayev."
	q := ParseQuery("Токаев газопровод")
	got := string(SnippetIn(body, "ru", q, 500))
	if strings.Contains(got, "President") || !strings.Contains(got, "<mark>Токаев</mark>") || !strings.Contains(got, "Китая") {
		t.Errorf("Russian snippet: %s", got)
	}
	if got := string(SnippetIn(body, "en", q, 500)); !strings.Contains(got, "President") || strings.Contains(got, "Президент") {
		t.Errorf("English snippet: %s", got)
	}
	// Nothing in the article's language: the text is used whole.
	if got := string(SnippetIn("Only English here.", "ru", q, 500)); got != "Only English here." {
		t.Errorf("whole text: %s", got)
	}
}

// Every Cyrillic letter, in each of Unicode's Cyrillic blocks, is noticed
// by the byte test that lets English text skip the paragraph check.
func TestMayHoldCyrillic(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.Is(unicode.Cyrillic, r) && !mayHoldCyrillic("An English “quote” — "+string(r)) {
			t.Errorf("%U %c not noticed", r, r)
		}
	}
	if mayHoldCyrillic("President Tokayev’s pipeline — “on time”, 5 km… ½ é ü ß ğ ş") {
		t.Error("Latin text with punctuation taken for Cyrillic")
	}
}

// A match near the end of a long text: the window is the text's last
// maxRunes runes, counted in runes, not bytes, in Cyrillic too.
func TestSnippetWindowAtEnd(t *testing.T) {
	filler := strings.Repeat("степь и ветер ", 30)
	got := string(Snippet(filler+"Токаев открыл газопровод", ParseQuery("газопровод"), 40))
	want := "…степь и ветер Токаев открыл <mark>газопровод</mark>"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// One Highlighter marks a page's titles and snippets as the package's
// functions mark each: what it remembers of a word read in one text
// changes nothing in the next.
func TestHighlighterPage(t *testing.T) {
	q := ParseQuery("Tokayev pipelines")
	texts := []string{
		"Tokayev's pipeline opens. " + strings.Repeat("words about the steppe ", 20) + "The PIPELINE, said Tokayev.",
		"Президент Токаев и трубопровод",
		"No match here at all, just words about the steppe.",
		"pipeline pipelines Pipeline's tokayev",
	}
	h := NewHighlighter(q)
	for _, text := range texts {
		if got, want := h.Title(text), HighlightTitle(text, q); got != want {
			t.Errorf("title %q: got %s, want %s", text, got, want)
		}
		if got, want := h.SnippetIn(text, "en", 60), SnippetIn(text, "en", q, 60); got != want {
			t.Errorf("snippet %q: got %s, want %s", text, got, want)
		}
	}
	if got := string(h.Title(texts[3])); got != "<mark>pipeline</mark> <mark>pipelines</mark> <mark>Pipeline</mark>&#39;s <mark>tokayev</mark>" {
		t.Errorf("marks: %s", got)
	}
	// The next page's Highlighter may be handed what h remembers of the
	// same words: which of them match is its query's.
	h.Release()
	next := NewHighlighter(ParseQuery("steppe"))
	defer next.Release()
	if got := string(next.Title(texts[3] + " steppes")); got != "pipeline pipelines Pipeline&#39;s tokayev <mark>steppes</mark>" {
		t.Errorf("next page's marks: %s", got)
	}
}
