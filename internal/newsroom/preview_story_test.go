package newsroom_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestPreviewShowsTheStoryReadersAreShown: readers are shown an article's
// story (byline, figure, translations, body, tags, section) made once a
// minute around its body, while a preview renders it with the page. Both
// must be the same story, but for the read beacon readers' pages carry,
// for an article with two authors, tags, a figure and a translation, asked
// for twice (the second time from the minute's part).
func TestPreviewShowsTheStoryReadersAreShown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		second := news.Author{Name: "Иван Петров"}
		must(t, db.SaveAuthor(ctx, &second))
		a := news.Article{Title: "Rogun dam: the second turbine", BodySource: "First line.\n\nSecond <b>line</b> & more.",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-3 * time.Hour), SectionID: f.section.ID,
			Authors: []news.Author{second, f.author}, Tags: []news.Tag{{Name: "Energy"}, {Name: "Таджикистан"}},
			Image: &news.Figure{URL: "/media/rogun.jpg", Alt: "The dam", Caption: "Rogun, 2025", Credit: "Photo: press office"}}
		fixtures.Save(t, db, &a, f.users[auth.Editor].ID)
		ru := news.Article{Title: "Рогунская ГЭС: второй агрегат", BodySource: "Первая строка.", Lang: "ru", TranslationOf: a.ID,
			Status: news.StatusPublished, PublishedAt: testNow.Add(-2 * time.Hour), SectionID: f.section.ID, Authors: []news.Author{second}}
		fixtures.Save(t, db, &ru, f.users[auth.Editor].ID)

		ed, anon := f.as(t, auth.Editor), f.anon(t)
		if code, _ := ed.post(links.NewsroomShare(a.ID), url.Values{"lifetime": {"day"}}); code != http.StatusSeeOther {
			t.Fatalf("make a link: %d", code)
		}
		_, page := ed.get(links.NewsroomShare(a.ID))
		ls := previewLinks(t, page)
		if len(ls) != 1 {
			t.Fatalf("share page lists %q", ls)
		}
		resp, err := anon.c.Get(f.srv.URL + ls[0])
		must(t, err)
		preview := story(t, readAll(t, resp))
		for i := range 2 {
			code, body := anon.get(links.Article(a.Slug))
			if code != http.StatusOK {
				t.Fatalf("the article: %d", code)
			}
			shown := story(t, body)
			if shown != preview {
				t.Errorf("reading %d: readers are shown\n%s\nthe preview shows\n%s", i+1, shown, preview)
			}
		}
		for _, want := range []string{"Иван Петров", "Aigerim Sadykova", "Rogun, 2025", "Таджикистан", "Читать на русском", "<b>line</b> &amp; more"} {
			if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(preview) {
				t.Errorf("the story lacks %q", want)
			}
		}
	})
}

// story is a page's article element, without the read beacon's address.
func story(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<article class="story".*?</article>`).FindString(page)
	if m == "" {
		t.Fatalf("no story in the page:\n%s", page)
	}
	return regexp.MustCompile(` data-read="[^"]*"`).ReplaceAllString(m, "")
}
