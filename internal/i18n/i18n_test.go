package i18n_test

import (
	"strings"
	"testing"
	"testing/fstest"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"dastan/internal/i18n"
)

// Every language has every message of the default one and no other, and
// each counted message has a text for each plural form its language
// uses (CLDR), so no reader meets a key or an English word by accident.
func TestCataloguesAreComplete(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Languages()) < 2 || cat.Languages()[0] != i18n.Default {
		t.Fatalf("languages %v: want %q first and at least one more", cat.Languages(), i18n.Default)
	}
	base := cat.IDs(i18n.Default)
	for _, lang := range cat.Languages() {
		for _, id := range base {
			if _, ok := cat.Message(lang, id); !ok {
				t.Errorf("%s: %q is missing", lang, id)
			}
		}
		for _, id := range cat.IDs(lang) {
			if _, ok := cat.Message(i18n.Default, id); !ok {
				t.Errorf("%s: %q is not in the %s catalogue (a typo, or left over?)", lang, id, i18n.Default)
			}
		}
		for _, id := range cat.IDs(lang) {
			m, _ := cat.Message(lang, id)
			for _, text := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
				if strings.ContainsAny(text, "<>&") {
					t.Errorf("%s: %q has markup (%q): messages are plain text", lang, id, text)
				}
			}
		}
		forms := pluralForms(t, lang)
		for _, id := range cat.IDs(lang) {
			m, _ := cat.Message(lang, id)
			counted := m.One != "" || m.Few != "" || m.Many != "" || m.Zero != "" || m.Two != ""
			if mEn, ok := cat.Message(i18n.Default, id); ok && mEn.One != "" {
				counted = true
			}
			if !counted {
				continue
			}
			for _, f := range forms {
				if text := formText(m, f); text == "" {
					t.Errorf("%s: %q has no %q form", lang, id, f)
				}
			}
		}
	}
}

// pluralForms lists the CLDR cardinal forms lang uses for whole numbers.
func pluralForms(t *testing.T, lang string) []string {
	t.Helper()
	tag := language.MustParse(lang)
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	seen := map[string]bool{}
	var forms []string
	for n := 0; n < 1000; n++ {
		f := names[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]
		if !seen[f] {
			seen[f] = true
			forms = append(forms, f)
		}
	}
	return forms
}

// formText is a message's text for one plural form.
func formText(m *goi18n.Message, form string) string {
	return map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other}[form]
}

func TestPluralsInRussian(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{1: "1 статья", 2: "2 статьи", 5: "5 статей", 11: "11 статей", 21: "21 статья", 22: "22 статьи", 101: "101 статья"} {
		if got := cat.N("ru", "count.articles", n); got != want {
			t.Errorf("ru %d: got %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{1: "1 article", 2: "2 articles", 0: "0 articles"} {
		if got := cat.N("en", "count.articles", n); got != want {
			t.Errorf("en %d: got %q, want %q", n, got, want)
		}
	}
}

func TestArgumentsAndFallbacks(t *testing.T) {
	cat, err := i18n.LoadFS(fstest.MapFS{
		"en.toml": {Data: []byte("hello = \"Hello, {{.Name}}\"\nonly = \"English only\"\n")},
		"ru.toml": {Data: []byte("hello = \"Привет, {{.Name}}\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.T("ru", "hello", "Name", "<b>"); got != "Привет, <b>" {
		t.Errorf("got %q", got)
	}
	if got := cat.T("ru", "only"); got != "English only" {
		t.Errorf("a message missing in ru: got %q, want the English", got)
	}
	if got := cat.T("kk", "hello", "Name", "x"); got != "Hello, x" {
		t.Errorf("a language without a catalogue: got %q, want the English", got)
	}
	if got := cat.T("en", "nowhere"); got != "nowhere" {
		t.Errorf("an unknown key: got %q", got)
	}
	if _, err := i18n.LoadFS(fstest.MapFS{"ru.toml": {Data: []byte("a = \"b\"\n")}}); err == nil {
		t.Error("a catalogue without English loaded")
	}
}

// A refusal names its field by another message (Key), said in the same
// language, and a "Count" argument chooses the plural form.
func TestKeyArgumentsAndCounts(t *testing.T) {
	cat, err := i18n.LoadFS(fstest.MapFS{
		"en.toml": {Data: []byte("label = \"The title\"\nnamed = \"Tag {{.Name}}: {{.Problem}}\"\nlong = \"at most {{.Max}}\"\n[chars]\none = \"{{.Field}} is longer than {{.Count}} character.\"\nother = \"{{.Field}} is longer than {{.Count}} characters.\"\n")},
		"ru.toml": {Data: []byte("label = \"Заголовок\"\nnamed = \"Тег {{.Name}}: {{.Problem}}\"\nlong = \"не больше {{.Max}}\"\n[chars]\none = \"Поле «{{.Field}}» длиннее {{.Count}} знака.\"\nfew = \"Поле «{{.Field}}» длиннее {{.Count}} знаков.\"\nmany = \"Поле «{{.Field}}» длиннее {{.Count}} знаков.\"\nother = \"Поле «{{.Field}}» длиннее {{.Count}} знака.\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang  string
		count int
		want  string
	}{
		{"en", 1, "The title is longer than 1 character."},
		{"en", 300, "The title is longer than 300 characters."},
		{"ru", 21, "Поле «Заголовок» длиннее 21 знака."},
		{"ru", 300, "Поле «Заголовок» длиннее 300 знаков."},
	} {
		if got := cat.T(tc.lang, "chars", "Field", i18n.Key("label"), "Count", tc.count); got != tc.want {
			t.Errorf("%s %d: got %q, want %q", tc.lang, tc.count, got, tc.want)
		}
	}
	if got := cat.T("ru", "named", "Name", "x", "Problem", i18n.Key("long"), "Max", 200); got != "Тег x: не больше 200" {
		t.Errorf("a message inside a message: got %q", got)
	}
	if got := i18n.English("invalid.title_required"); got != "Title is required." {
		t.Errorf("English: got %q", got)
	}
}

// A script gets its messages by the rest of their ids; a counted one as
// its text for 1, 2 and 5 with {n} for the number.
func TestScriptWords(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := cat.Script("ru", "nr.script.")
	if w["saving"] != "Сохранение…" || w["button.bold"] != "Ж" {
		t.Errorf("plain messages: %v, %v", w["saving"], w["button.bold"])
	}
	forms, _ := w["words"].(map[string]string)
	if forms["1"] != "{n} слово" || forms["2"] != "{n} слова" || forms["5"] != "{n} слов" {
		t.Errorf("counted: %v", forms)
	}
	if en, _ := cat.Script("en", "nr.script.")["words"].(map[string]string); en["1"] != "{n} word" || en["5"] != "{n} words" {
		t.Errorf("counted in English: %v", en)
	}
}

// Preferred picks the catalogue's language a browser asks for, by its
// order of preference and regional variants, and the default otherwise.
func TestPreferred(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for header, want := range map[string]string{
		"ru-RU,ru;q=0.9,en-US;q=0.8": "ru",
		"en-GB,en;q=0.9,ru;q=0.8":    "en",
		"de-DE,ru;q=0.5":             "ru",
		"kk-KZ,ru;q=0.7":             "ru",
		"de-DE":                      "en",
		"":                           "en",
		"not a header ;;;":           "en",
	} {
		if got := c.Preferred(header); got != want {
			t.Errorf("Preferred(%q) = %q, want %q", header, got, want)
		}
	}
}
