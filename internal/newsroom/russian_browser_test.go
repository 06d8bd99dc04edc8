package newsroom_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"dastan/internal/auth"
	"dastan/internal/browsertest"
	"dastan/internal/fixtures"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// An editor who reads the newsroom in Russian gets the visual editor in
// Russian: its toolbar's labels and titles, and the word count in the
// plural form each number takes. The buttons keep their commands
// (data-cmd) in any language. DASTAN_SCREENSHOTS=dir keeps pictures of
// the Russian editor at 390 and 1280 px.
func TestBrowserVisualEditorInRussian(t *testing.T) {
	ctx := browsertest.New(t)
	violations := browsertest.WatchCSP(t, ctx)
	f := newFixture(t, storetest.Open(t, "sqlite"))
	ed := f.users[auth.Editor]
	must(t, f.db.SetUserLang(context.Background(), ed.ID, "ru"))
	a := news.Article{Title: "Переговоры о воде", BodySource: `<p>Первый абзац.</p>`, BodyFormat: news.FormatVisual, Status: news.StatusDraft,
		Lang: "ru", SectionID: f.section.ID, Authors: []news.Author{f.author}}
	fixtures.Save(t, f.db, &a, ed.ID)

	must(t, chromedp.Do(ctx, signInTab(f.srv.URL, auth.Editor)))
	waitURL(t, ctx, "/newsroom/articles/")
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+links.NewsroomArticle(a.ID)),
		chromedp.WaitVisible(chromedp.CSS(".visual-body .tiptap")),
	))
	for cmd, want := range map[string][2]string{
		"bold":       {"Ж", "Жирный (Ctrl+B)"},
		"italic":     {"К", "Курсив (Ctrl+I)"},
		"heading":    {"H2", "Подзаголовок"},
		"pull-quote": {"Вынос", "Цитата-вынос"},
		"image":      {"Фото", "Загрузить изображение"},
		"embed":      {"Встроить", "Встроить публикацию по её адресу"},
		"redo":       {"Вернуть", "Вернуть (Ctrl+Shift+Z)"},
	} {
		b := `document.querySelector('.visual-bar button[data-cmd="` + cmd + `"]')`
		if got := browsertest.Eval[[]string](t, ctx, `(b => b ? [b.textContent, b.title] : [])(`+b+`)`); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("button %s reads %q, want %q", cmd, got, want)
		}
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector(".visual-bar").getAttribute("aria-label")`); got != "Форматирование" {
		t.Errorf("the toolbar is called %q", got)
	}
	// Two words, then five, then twenty-one: слова, слов, слово.
	browsertest.WaitFor(t, ctx, `document.getElementById("wordcount").textContent === "2 слова · 1 мин чтения"`, "the word count of two words in Russian")
	browsertest.Eval[bool](t, ctx, `dastanEditor.chain().focus("end").insertContent(" Ещё три слова").run()`)
	browsertest.WaitFor(t, ctx, `document.getElementById("wordcount").textContent === "5 слов · 1 мин чтения"`, "the word count of five words in Russian")
	browsertest.Eval[bool](t, ctx, `dastanEditor.chain().focus("end").insertContent(" один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать тринадцать четырнадцать шестнадцать шестнадцать").run()`)
	browsertest.WaitFor(t, ctx, `document.getElementById("wordcount").textContent === "21 слово · 1 мин чтения"`, "the word count of twenty-one words in Russian")
	// A command works by its id whatever the label says.
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.visual-bar button[data-cmd="heading"]`))))
	waitBody(t, ctx, "<h2>")
	shots(t, ctx, "editor-ru")
	if v := violations(); len(v) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}
