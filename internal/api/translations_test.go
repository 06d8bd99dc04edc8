package api_test

import (
	"fmt"
	"testing"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// An article's language versions are in its /api/v1 answer and, as
// Polylang shows them, in the WordPress-compatible one; a draft
// translation is in neither.
func TestTranslationsInAPIs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		en := f.pub[0]
		ru := f.save(t, news.Article{Title: "Казахстан повысил базовую ставку", Slug: "kazakhstan-povysil-stavku", Lang: "ru", BodySource: "Первый абзац.",
			Status: news.StatusPublished, PublishedAt: en.PublishedAt, TranslationOf: en.ID}, f.users[auth.Editor])
		f.save(t, news.Article{Title: "Kazakhstan raises its base rate (draft)", Lang: "ru", BodySource: "Черновик.", Status: news.StatusDraft, TranslationOf: en.ID}, f.users[auth.Editor])

		var a api.Article
		f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", en.ID), "", 200, &a)
		want := fmt.Sprintf("[{ru %d https://timesca.example/kazakhstan-povysil-stavku/}]", ru.ID)
		if got := fmt.Sprint(a.Translations); got != want {
			t.Errorf("English article's translations: %s, want %s", got, want)
		}
		f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", ru.ID), "", 200, &a)
		if len(a.Translations) != 1 || a.Translations[0].ID != en.ID || a.Translations[0].Lang != "en" {
			t.Errorf("Russian article's translations: %+v", a.Translations)
		}
		var alone api.Article
		f.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", f.pub[1].ID), "", 200, &alone)
		if alone.Translations != nil {
			t.Errorf("an article without translation lists %+v", alone.Translations)
		}

		// A listing names each article's versions too, read for the whole
		// page at once: the original and its translation both listed,
		// the draft in neither.
		var page api.ArticleList
		f.getJSON(t, "/api/v1/articles?per_page=100", "", 200, &page)
		listed := map[int64]api.Article{}
		for _, la := range page.Articles {
			listed[la.ID] = la
		}
		if got := fmt.Sprint(listed[en.ID].Translations); got != want {
			t.Errorf("listed English article's translations: %s, want %s", got, want)
		}
		if tr := listed[ru.ID].Translations; len(tr) != 1 || tr[0].ID != en.ID || tr[0].Lang != "en" || tr[0].URL != "https://timesca.example/"+en.Slug+"/" {
			t.Errorf("listed Russian article's translations: %+v", tr)
		}
		if _, ok := listed[ru.ID]; !ok || listed[f.pub[1].ID].Translations != nil || len(listed) < 3 {
			t.Errorf("listing: %d articles, the one without translation lists %+v", len(listed), listed[f.pub[1].ID].Translations)
		}
		// The Russian edition's listing, which holds the translation but
		// not its original, still names the original.
		var ruPage api.ArticleList
		f.getJSON(t, "/api/v1/articles?lang=ru", "", 200, &ruPage)
		for _, la := range ruPage.Articles {
			if tr := la.Translations; la.ID == ru.ID && (len(tr) != 1 || tr[0].ID != en.ID || la.TranslationOf != en.ID) || la.ID != ru.ID && tr != nil {
				t.Errorf("Russian listing, article %d: translation of %d, translations %+v", la.ID, la.TranslationOf, tr)
			}
		}
		if len(ruPage.Articles) < 2 {
			t.Errorf("Russian listing: %d articles", len(ruPage.Articles))
		}

		var p struct {
			Lang         string           `json:"lang"`
			Translations map[string]int64 `json:"translations"`
		}
		f.getJSON(t, fmt.Sprintf("/wp-json/wp/v2/posts/%d", ru.ID), "", 200, &p)
		if p.Lang != "ru" || len(p.Translations) != 2 || p.Translations["en"] != en.ID || p.Translations["ru"] != ru.ID {
			t.Errorf("WordPress post: lang %q, translations %v", p.Lang, p.Translations)
		}
		var list []struct {
			ID           int64            `json:"id"`
			Lang         string           `json:"lang"`
			Translations map[string]int64 `json:"translations"`
		}
		f.getJSON(t, "/wp-json/wp/v2/posts?per_page=100", "", 200, &list)
		for _, q := range list {
			switch q.ID {
			case en.ID:
				if q.Lang != "en" || q.Translations["ru"] != ru.ID || len(q.Translations) != 2 {
					t.Errorf("listed English post: %+v", q)
				}
			case f.pub[1].ID:
				if len(q.Translations) != 1 || q.Translations["en"] != q.ID {
					t.Errorf("listed post without translation: %+v", q)
				}
			}
		}
	})
}
