package news

import (
	"strings"
	"testing"
)

// benchArticle is about a thousand words of classic-editor HTML with the
// shortcodes an archived story carries.
func benchArticle() string {
	para := "The National Bank of Kazakhstan kept its base rate unchanged on Friday, citing persistent inflation, a weaker tenge and the <a href=\"https://example.org/report\">latest report</a> on household spending across the regions of Central Asia. "
	var b strings.Builder
	for i := 0; i < 25; i++ {
		b.WriteString(para + para + "\n\n")
		if i%8 == 0 {
			b.WriteString(`[caption id="attachment_29119" align="aligncenter" width="683"]<a href="/a.jpg"><img src="/a.jpg" alt="Astana" width="683" height="400"></a> Astana in winter[/caption]` + "\n\n")
		}
		if i == 3 {
			b.WriteString("<!--more-->\n\n")
		}
	}
	return b.String()
}

func BenchmarkRenderBody(b *testing.B) {
	src := benchArticle()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := RenderBody(src, FormatHTML); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderBodyMarkdown(b *testing.B) {
	src := benchArticle()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := RenderBody(src, FormatMarkdown); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMakeExcerpt(b *testing.B) {
	src := strings.Replace(benchArticle(), "<!--more-->", "", 1)
	body, err := RenderBody(src, FormatHTML)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		MakeExcerpt("", src, FormatHTML, body, 300)
	}
}

// BenchmarkBodyTexts compares an import's two texts of a body read apart
// (PlainText, then SearchText) and in one pass (BodyTexts).
func BenchmarkBodyTexts(b *testing.B) {
	html, err := RenderBody(benchArticle(), FormatHTML)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(html)))
	b.Run("apart", func(b *testing.B) {
		for b.Loop() {
			_, _ = PlainText(html), SearchText(html)
		}
	})
	b.Run("one-pass", func(b *testing.B) {
		for b.Loop() {
			_, _ = BodyTexts(html)
		}
	})
}
