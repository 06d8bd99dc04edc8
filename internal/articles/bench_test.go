package articles_test

import (
	"strings"
	"testing"

	"dastan/internal/articles"
	"dastan/internal/news"
)

// BenchmarkPrepareImport is what the service's rules (normalising,
// limits, control characters, the slug) add to news.Prepare for one
// imported story of about a thousand words of classic-editor HTML.
func BenchmarkPrepareImport(b *testing.B) {
	para := "The National Bank of Kazakhstan kept its base rate unchanged on Friday, citing persistent inflation, a weaker tenge and the <a href=\"https://example.org/report\">latest report</a> on household spending across the regions of Central Asia. "
	var body strings.Builder
	for i := 0; i < 25; i++ {
		body.WriteString(para + para + "\n\n")
		if i%8 == 0 {
			body.WriteString(`[caption id="attachment_29119" align="aligncenter" width="683"]<img src="/a.jpg" alt="Astana" width="683" height="400"> Astana in winter[/caption]` + "\n\n")
		}
	}
	story := func() *news.Article {
		return &news.Article{Title: "Kazakhstan keeps its base rate", Slug: "kazakhstan-keeps-its-base-rate", BodySource: body.String(),
			BodyFormat: news.FormatHTML, Lang: "en", Status: news.StatusPublished, ManualExcerpt: "The rate stays.",
			Tags:  []news.Tag{{Slug: "banking", Name: "Banking"}, {Slug: "inflation", Name: "Inflation"}},
			Image: &news.Figure{URL: "https://example.org/a.jpg", Alt: "Astana"}}
	}
	b.Run("news.Prepare", func(b *testing.B) {
		for b.Loop() {
			if err := news.Prepare(story(), 240, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	svc := articles.New(articles.Options{ExcerptLength: 240})
	b.Run("PrepareImport", func(b *testing.B) {
		for b.Loop() {
			if err := svc.PrepareImport(story(), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
