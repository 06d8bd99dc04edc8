package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestArticleStoriesFollowWrites checks that what the site keeps between
// readers of different pages — an article's related stories, its
// translations, the rail beside it, listings' items and the sections
// bar — shows a write at the next reading, with no page cache in front
// and the clock standing still.
func TestArticleStoriesFollowWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := testConfig(t)
		cfg.PageCache = false
		f := newFixtureConfig(t, db, cfg)
		ctx := context.Background()
		_, listing := f.get(t, "/category/news/kazakhstan/")
		expect(t, listing, `<a href="/pipeline-story-0/">Pipeline story 0</a>`, `<a href="/category/news/kazakhstan/" aria-current="page">Kazakhstan</a>`)
		_, body := f.get(t, "/pipeline-story-3/")
		expect(t, body, `class="related"`, `<a href="/pipeline-story-0/">Pipeline story 0</a>`, `<a href="/pipeline-story-1/">Pipeline story 1</a>`)
		if strings.Contains(body, "Читать на русском") {
			t.Fatal("an article without a translation links one")
		}

		// A related story's new title, in the related stories and the rail.
		a, err := db.ArticleBySlug(ctx, "pipeline-story-0")
		must(t, err)
		a.Title = "Pipeline story 0, corrected"
		f.save(t, &a)
		_, body = f.get(t, "/pipeline-story-3/")
		if n := strings.Count(body, ">Pipeline story 0, corrected</a>"); n != 3 {
			t.Errorf("the corrected title shows %d times, want 3 (related, latest, more in the section)", n)
		}
		if strings.Contains(body, ">Pipeline story 0</a>") {
			t.Error("the old title still shows")
		}
		for _, path := range []string{"/category/news/kazakhstan/", "/tag/energy/"} {
			_, listing = f.get(t, path)
			expect(t, listing, `<a href="/pipeline-story-0/">Pipeline story 0, corrected</a>`)
		}

		// A related story taken back leaves the page.
		a, err = db.ArticleBySlug(ctx, "pipeline-story-1")
		must(t, err)
		a.Status = news.StatusDraft
		f.save(t, &a)
		_, body = f.get(t, "/pipeline-story-3/")
		if strings.Contains(body, `href="/pipeline-story-1/"`) {
			t.Error("a story taken back is still linked")
		}

		// A translation published now is linked at once.
		en, err := db.ArticleBySlug(ctx, "pipeline-story-3")
		must(t, err)
		f.save(t, &news.Article{Title: "Трубопровод", Slug: "truboprovod", Lang: "ru", BodySource: "Текст.",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Minute), TranslationOf: en.ID})
		_, body = f.get(t, "/pipeline-story-3/")
		expect(t, body, `<p class="translation"><a href="/truboprovod/" hreflang="ru" lang="ru">Читать на русском</a></p>`)

		// A section renamed, in the sections bar of every page.
		f.kz.Name = "Qazaqstan"
		must(t, db.SaveSection(ctx, &f.kz))
		_, listing = f.get(t, "/category/news/kazakhstan/")
		expect(t, listing, `<a href="/category/news/kazakhstan/" aria-current="page">Qazaqstan</a>`)
		_, body = f.get(t, "/pipeline-story-3/")
		expect(t, body, `<li class="sub"><a href="/category/news/kazakhstan/" aria-current="page">Qazaqstan</a></li>`)
	})
}

// TestPartsOfTheLastMinuteGiveWayToWrites checks that once the minute
// turns, when readers are served the last minute's shared parts while
// they are made again, a write still shows at the next reading.
func TestPartsOfTheLastMinuteGiveWayToWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := testConfig(t)
		cfg.PageCache = false
		f := newFixtureConfig(t, db, cfg)
		ctx := context.Background()
		for _, path := range []string{"/pipeline-story-3/", "/", "/category/news/kazakhstan/"} {
			_, body := f.get(t, path)
			expect(t, body, `<a href="/pipeline-story-0/">Pipeline story 0</a>`)
		}
		f.clock.Add(time.Minute)
		for _, path := range []string{"/pipeline-story-3/", "/"} {
			_, body := f.get(t, path) // the last minute's parts, made again behind this reading
			expect(t, body, `<a href="/pipeline-story-0/">Pipeline story 0</a>`)
		}
		a, err := db.ArticleBySlug(ctx, "pipeline-story-0")
		must(t, err)
		a.Title = "Pipeline story 0, corrected"
		f.save(t, &a)
		for _, path := range []string{"/pipeline-story-3/", "/", "/category/news/kazakhstan/"} {
			_, body := f.get(t, path)
			expect(t, body, `<a href="/pipeline-story-0/">Pipeline story 0, corrected</a>`)
			if strings.Contains(body, ">Pipeline story 0</a>") {
				t.Errorf("%s: the old title still shows", path)
			}
		}
	})
}
