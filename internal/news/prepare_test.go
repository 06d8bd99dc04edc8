package news

import (
	"errors"
	"strings"
	"testing"
)

func TestPrepare(t *testing.T) {
	a := &Article{
		Title:      "  Токаев провёл встречу  ",
		Lang:       "ru",
		BodyFormat: FormatHTML,
		BodySource: "[caption align=\"aligncenter\"]<img src=\"/a.jpg\"> Фото[/caption]\n\nПервый абзац.\n\n<!--more-->\n\nВторой абзац.",
	}
	if err := Prepare(a, 0, nil); err != nil {
		t.Fatal(err)
	}
	if a.Slug != "tokaev-provyol-vstrechu" {
		t.Errorf("Slug = %q", a.Slug)
	}
	if a.Excerpt != "Первый абзац." {
		t.Errorf("Excerpt = %q", a.Excerpt)
	}
	if !strings.Contains(a.BodyHTML, "<figcaption>Фото</figcaption>") || strings.Contains(a.BodyHTML, "more") {
		t.Errorf("BodyHTML = %q", a.BodyHTML)
	}
	if a.ReadingMinutes != 1 {
		t.Errorf("ReadingMinutes = %d", a.ReadingMinutes)
	}

	kept := &Article{Title: "T", Slug: "own-slug", Lang: "en", BodyFormat: FormatMarkdown}
	if err := Prepare(kept, 10, nil); err != nil || kept.Slug != "own-slug" {
		t.Errorf("editor's slug not kept: %q, %v", kept.Slug, err)
	}
}

func TestPrepareValidation(t *testing.T) {
	tests := []struct {
		a    Article
		want error
	}{
		{Article{Title: " ", Lang: "en", BodyFormat: FormatHTML}, ErrTitleRequired},
		{Article{Title: "T", Lang: "kk", BodyFormat: FormatHTML}, ErrLangUnknown},
		{Article{Title: "T", Lang: "en", BodyFormat: "docx"}, ErrFormatUnknown},
	}
	for _, tt := range tests {
		a := tt.a
		if err := Prepare(&a, 0, nil); !errors.Is(err, tt.want) {
			t.Errorf("Prepare(%+v) = %v, want %v", tt.a, err, tt.want)
		}
	}
	if err := Prepare(nil, 0, nil); err == nil {
		t.Error("Prepare(nil) = nil")
	}
	if ErrTitleRequired.Error() != "news: title is required" {
		t.Errorf("message %q", ErrTitleRequired)
	}
}
