package server_test

import (
	"strings"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Each edition lists its own language only, says so in <html lang>, and
// speaks it: dates, counts and labels. The masthead's switch leads to the
// same page in the other edition, or to an article's translation.
func TestEditions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		addTranslated(t, f)

		resp, body := f.get(t, "/ru/")
		if resp.StatusCode != 200 {
			t.Fatalf("/ru/: %d", resp.StatusCode)
		}
		expect(t, body, `<html lang="ru">`, "Переговоры о воде", "Перейти к содержанию", `hreflang="en" lang="en">English</a>`,
			`<a href="/ru/category/news/">Новости</a>`, "ноября 2026", `action="/ru/"`)
		if strings.Contains(body, "Water talks in Tashkent") || strings.Contains(body, "Pipeline story") {
			t.Error("the Russian front page lists English articles")
		}
		if strings.Contains(body, " Nov 2026") {
			t.Error("the Russian front page writes dates in English")
		}
		_, body = f.get(t, "/")
		expect(t, body, `<html lang="en">`, "Water talks in Tashkent", `<a href="/ru/" hreflang="ru" lang="ru">Русский</a>`,
			`<link rel="alternate" hreflang="ru" href="`+site+`/ru/">`)
		if strings.Contains(body, "Переговоры о воде") {
			t.Error("the English front page lists Russian articles")
		}

		// A section of each edition, with its count in its language.
		_, body = f.get(t, "/ru/category/news/kazakhstan/")
		expect(t, body, `<html lang="ru">`, "<h1>Казахстан</h1>", "Показаны результаты 1–1 из 1",
			`<a href="/category/news/kazakhstan/" hreflang="en" lang="en">English</a>`)
		_, body = f.get(t, "/category/news/kazakhstan/")
		if strings.Contains(body, "Переговоры о воде") {
			t.Error("an English section lists Russian articles")
		}

		// The Russian article: its page is Russian, links its original,
		// and the switch leads to it.
		_, body = f.get(t, "/peregovory-o-vode/")
		expect(t, body, `<html lang="ru">`, "Автор:", "1 минута чтения", "Главная",
			`<p class="translation"><a href="/water-talks-in-tashkent/" hreflang="en" lang="en">Read in English</a></p>`,
			`<a href="/water-talks-in-tashkent/" hreflang="en" lang="en">English</a>`)
		_, body = f.get(t, "/water-talks-in-tashkent/")
		expect(t, body, `<html lang="en">`, `<a href="/peregovory-o-vode/" hreflang="ru" lang="ru">Читать на русском</a>`,
			`<a href="/tag/water/" rel="tag">`)
		// Polylang's /ru/{slug}/ is the article's one permalink.
		resp, _ = f.get(t, "/ru/peregovory-o-vode/")
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/peregovory-o-vode/" {
			t.Errorf("/ru/peregovory-o-vode/: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}

		// Search in the Russian edition looks in Russian first, with a
		// way to every language.
		_, body = f.get(t, "/ru/search/?q=министры")
		expect(t, body, `<html lang="ru">`, "Показаны результаты 1–1 из 1 по запросу «министры»", "Язык: Русский",
			`href="/ru/search/?lang=all&amp;q=%D0%BC%D0%B8%D0%BD%D0%B8%D1%81%D1%82%D1%80%D1%8B">На всех языках</a>`)
		_, body = f.get(t, "/ru/?s=ministers")
		expect(t, body, "По запросу «ministers» ничего не найдено", "Только на английском")
		_, body = f.get(t, "/ru/search/?q=ministers&lang=all")
		expect(t, body, "Water talks in Tashkent", `<span class="result-lang" lang="ru">Английский</span>`)

		// A missing page in the Russian edition says so in Russian.
		resp, body = f.get(t, "/ru/tag/no-such-tag/")
		if resp.StatusCode != 404 {
			t.Errorf("/ru/tag/no-such-tag/: %d", resp.StatusCode)
		}
		expect(t, body, `<html lang="ru">`, "Страница не найдена")
	})
}
