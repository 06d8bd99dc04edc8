package newsroom_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// An editor links an article to its original by number or by address;
// each editor then lists the other, a translation of a translation is
// linked to the first original, and a same-language or missing original
// is refused with the field named, the text kept.
func TestLinkingTranslations(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	ctx := context.Background()
	en := f.article(t, f.users[auth.Editor], news.StatusPublished, "Water talks in Tashkent")
	ru := f.article(t, f.users[auth.Editor], news.StatusDraft, "Переговоры о воде")
	ru.Lang = "ru"
	c := f.as(t, auth.Editor)

	v := form(ru, "save")
	v.Set("lang", "ru")
	v.Set("translation_of", "http://localhost:8080/"+en.Slug+"/")
	if code, body := c.post(fmt.Sprintf("/newsroom/articles/%d/", ru.ID), v); code != http.StatusSeeOther {
		t.Fatalf("link by address: %d\n%s", code, body)
	}
	got, err := f.db.ArticleByID(ctx, ru.ID)
	if err != nil || got.TranslationOf != en.ID {
		t.Fatalf("translation_of = %d, %v; want %d", got.TranslationOf, err, en.ID)
	}
	_, body := c.get(fmt.Sprintf("/newsroom/articles/%d/", en.ID))
	if !strings.Contains(body, fmt.Sprintf(`<a href="/newsroom/articles/%d/" lang="ru">Переговоры о воде</a> · Russian · draft`, ru.ID)) {
		t.Errorf("the original's editor does not list its translation:\n%s", body)
	}

	// Another version, linked to the Russian one, joins the English original.
	kk := f.article(t, f.users[auth.Editor], news.StatusDraft, "Переговоры о воде (вариант)")
	v = form(kk, "save")
	v.Set("lang", "ru")
	v.Set("translation_of", fmt.Sprint(ru.ID))
	if code, body := c.post(fmt.Sprintf("/newsroom/articles/%d/", kk.ID), v); code != http.StatusSeeOther {
		t.Fatalf("link by number: %d\n%s", code, body)
	}
	if got, _ := f.db.ArticleByID(ctx, kk.ID); got.TranslationOf != en.ID {
		t.Errorf("a translation of a translation points at %d, want the original %d", got.TranslationOf, en.ID)
	}

	for _, tc := range []struct{ lang, of, want string }{
		{"en", fmt.Sprint(en.ID + 1000), "There is no article"},
		{"en", "/no-such-story/", "No article has the number or address"},
		{"ru", fmt.Sprint(ru.ID), "cannot be a translation of itself"},
	} {
		other := f.article(t, f.users[auth.Editor], news.StatusDraft, "Another story "+tc.of)
		target := other
		if tc.of == fmt.Sprint(ru.ID) {
			target = ru
		}
		v = form(target, "save")
		v.Set("lang", tc.lang)
		v.Set("translation_of", tc.of)
		code, body := c.post(fmt.Sprintf("/newsroom/articles/%d/", target.ID), v)
		if code != http.StatusUnprocessableEntity && code != http.StatusBadRequest && code != http.StatusOK {
			t.Errorf("%s: %d", tc.of, code)
		}
		if !strings.Contains(body, tc.want) || !strings.Contains(body, `value="`+tc.of+`"`) && !strings.Contains(body, tc.of) {
			t.Errorf("%s: no %q in the form shown again", tc.of, tc.want)
		}
	}
	v = form(en, "save")
	v.Set("translation_of", fmt.Sprint(f.article(t, f.users[auth.Editor], news.StatusDraft, "Another English story").ID))
	_, body = c.post(fmt.Sprintf("/newsroom/articles/%d/", en.ID), v)
	if !strings.Contains(body, "another language than its original") {
		t.Error("an original in the same language was accepted")
	}
}

// An editor chooses the newsroom's language in their account; every
// screen then speaks it, and only to them.
func TestNewsroomLanguage(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	c := f.as(t, auth.Editor)
	if code, _ := c.post("/newsroom/account/", url.Values{"op": {"lang"}, "lang": {"ru"}}); code != http.StatusSeeOther {
		t.Fatalf("choosing Russian: %d", code)
	}
	_, body := c.get("/newsroom/articles/")
	for _, want := range []string{`<html lang="ru">`, "<title>Статьи | Редакция</title>", ">Новая статья</a>", ">Выйти</button>"} {
		if !strings.Contains(body, want) {
			t.Errorf("Russian newsroom lacks %q", want)
		}
	}
	_, body = c.get("/newsroom/account/")
	if !strings.Contains(body, `<option value="ru" lang="ru" selected>Русский</option>`) {
		t.Error("the account page does not show the chosen language")
	}
	// Others keep theirs.
	_, body = f.as(t, auth.Admin).get("/newsroom/articles/")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, ">New article</a>") {
		t.Error("another user's newsroom changed language")
	}
	if code, body := c.post("/newsroom/account/", url.Values{"op": {"lang"}, "lang": {"xx"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Выберите один из языков редакции") {
		t.Errorf("an unknown language: %d", code)
	}
}
