package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func TestSitemapQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nw, kz, opinion, a1, a2 := seed(t, db)
		now := time.Date(2026, 3, 26, 12, 0, 0, 0, time.UTC)
		for i := 0; i < 25; i++ {
			a := article(fmt.Sprintf("Story %d", i), kz.ID, now.Add(-time.Duration(25-i)*time.Hour), []news.Author{a1}, "Energy")
			must(t, db.SaveArticle(ctx, a, 0, ""))
		}
		draft := article("Draft", opinion.ID, now.Add(-time.Hour), []news.Author{a2}, "Secret")
		draft.Status = news.StatusDraft
		must(t, db.SaveArticle(ctx, draft, 0, ""))
		future := article("Future", opinion.ID, now.Add(time.Hour), []news.Author{a2}, "Secret")
		future.Status = news.StatusScheduled
		must(t, db.SaveArticle(ctx, future, 0, ""))

		pages, err := db.SitemapPages(ctx, now, 10)
		must(t, err)
		if len(pages) != 3 || pages[0].Number != 1 || pages[2].Number != 3 || pages[2].LastMod.IsZero() {
			t.Fatalf("pages = %+v", pages)
		}
		seen := map[string]bool{}
		for p := 1; p <= 4; p++ {
			entries, err := db.SitemapArticles(ctx, now, p, 10)
			must(t, err)
			if want := []int{10, 10, 5, 0}[p-1]; len(entries) != want {
				t.Fatalf("page %d: %d entries, want %d", p, len(entries), want)
			}
			for _, e := range entries {
				seen[e.Slug] = true
			}
		}
		if len(seen) != 25 || seen["draft"] || seen["future"] || !seen["story-0"] {
			t.Errorf("sitemap slugs: %v", seen)
		}

		secs, err := db.SectionsLastMod(ctx, now)
		must(t, err)
		if len(secs) != 2 || secs[kz.ID].IsZero() || !secs[kz.ID].Equal(secs[nw.ID]) {
			t.Errorf("sections' last changes: %v, want Kazakhstan's and News's (its parent's)", secs)
		}
		tags, err := db.SitemapTags(ctx, now)
		must(t, err)
		if len(tags) != 1 || tags[0].Slug != "energy" {
			t.Errorf("tags: %+v", tags) // Secret has only unpublished articles
		}
		authors, err := db.SitemapAuthors(ctx, now)
		must(t, err)
		if len(authors) != 1 || authors[0].Slug != a1.Slug {
			t.Errorf("authors: %+v", authors)
		}

		full, err := db.FeedArticles(ctx, store.ListQuery{VisibleAt: now, Limit: 3})
		must(t, err)
		if len(full) != 3 || full[0].Title != "Story 24" || full[0].BodyHTML == "" || len(full[0].Tags) != 1 || len(full[0].Authors) != 1 {
			t.Errorf("feed articles: %+v", full)
		}
		full, err = db.FeedArticles(ctx, store.ListQuery{VisibleAt: now, Limit: 30, SectionIDs: []int64{kz.ID}})
		must(t, err)
		if len(full) != 25 || full[24].Title != "Story 0" {
			t.Errorf("section feed articles: %d", len(full))
		}
		if full, err = db.FeedArticles(ctx, store.ListQuery{VisibleAt: now, Limit: 5, Lang: "ru"}); err != nil || len(full) != 0 {
			t.Errorf("no Russian articles, got %d, %v", len(full), err)
		}
		recent, err := db.NewsArticles(ctx, now, now.Add(-150*time.Minute), 10)
		must(t, err)
		if len(recent) != 2 || recent[0].Title != "Story 24" || recent[1].Title != "Story 23" || len(recent[0].Authors) != 1 {
			t.Errorf("news articles: %+v", recent)
		}
	})
}

// Sitemap pages are ranges of ids: a range whose articles readers cannot
// see is left out of the index, and the next keeps its number, so the
// addresses of old pages never shift.
func TestSitemapPagesAreRangesOfIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Date(2026, 3, 26, 12, 0, 0, 0, time.UTC)
		var first int64
		for i := 0; i < 23; i++ {
			a := article(fmt.Sprintf("Range %d", i), kz.ID, now.Add(-time.Duration(30-i)*time.Hour), []news.Author{a1}, "Energy")
			if i >= 10 && i < 20 {
				a.Status = news.StatusDraft
			}
			must(t, db.SaveArticle(ctx, a, 0, ""))
			if i == 0 {
				first = a.ID
			}
		}
		if first != 1 {
			t.Skipf("ids start at %d", first) // ranges are counted from id 1
		}
		pages, err := db.SitemapPages(ctx, now, 10)
		must(t, err)
		if len(pages) != 2 || pages[0].Number != 1 || pages[1].Number != 3 {
			t.Fatalf("pages = %+v, want pages 1 and 3", pages)
		}
		for p, want := range map[int][]string{1: {"range-0", "range-9"}, 2: nil, 3: {"range-20", "range-22"}, 4: nil} {
			entries, err := db.SitemapArticles(ctx, now, p, 10)
			must(t, err)
			var got []string
			if len(entries) > 0 {
				got = []string{entries[0].Slug, entries[len(entries)-1].Slug}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("page %d runs %v, want %v", p, got, want)
			}
		}
		tags, err := db.SitemapTags(ctx, now)
		must(t, err)
		last, err := db.ArticleBySlug(ctx, "range-22")
		must(t, err)
		if len(tags) != 1 || !tags[0].LastMod.Equal(last.UpdatedAt) {
			t.Errorf("tags: %+v, want energy changed when its newest article did (%v)", tags, last.UpdatedAt)
		}
	})
}

func TestTranslations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Now()
		en := article("Water talks", kz.ID, now.Add(-time.Hour), []news.Author{a1})
		must(t, db.SaveArticle(ctx, en, 0, ""))
		alone := article("Alone", kz.ID, now.Add(-time.Hour), []news.Author{a1})
		must(t, db.SaveArticle(ctx, alone, 0, ""))
		ru := article("Переговоры о воде", kz.ID, now.Add(-time.Hour), []news.Author{a1})
		ru.Slug, ru.Lang, ru.TranslationOf = "peregovory-o-vode", "ru", en.ID
		must(t, db.SaveArticle(ctx, ru, 0, ""))

		for _, a := range []*news.Article{en, ru} {
			tr, err := db.Translations(ctx, *a, now)
			must(t, err)
			if len(tr) != 2 || tr[0] != (store.Translation{ID: en.ID, Slug: en.Slug, Lang: "en"}) || tr[1] != (store.Translation{ID: ru.ID, Slug: "peregovory-o-vode", Lang: "ru"}) {
				t.Errorf("translations of %s: %+v", a.Slug, tr)
			}
		}
		if tr, err := db.Translations(ctx, *alone, now); err != nil || tr != nil {
			t.Errorf("an untranslated article: %v %v", tr, err)
		}
		// The sitemap's page lists the story's versions under each of its
		// articles, and nothing for the article alone.
		byPage, err := db.SitemapTranslations(ctx, now, 1, 10)
		must(t, err)
		want := fmt.Sprint([]store.Translation{{ID: en.ID, Slug: en.Slug, Lang: "en"}, {ID: ru.ID, Slug: "peregovory-o-vode", Lang: "ru"}})
		if len(byPage) != 2 || fmt.Sprint(byPage[en.Slug]) != want || fmt.Sprint(byPage[ru.Slug]) != want {
			t.Errorf("sitemap translations: %v, want %s under both", byPage, want)
		}
		// Pages of one id each: the original's page finds its translation
		// on another page, and the translation's page its original.
		for _, a := range []*news.Article{en, ru, alone} {
			byPage, err := db.SitemapTranslations(ctx, now, int(a.ID), 1)
			must(t, err)
			if a == alone {
				if len(byPage) != 0 {
					t.Errorf("the page of the article alone: %v", byPage)
				}
			} else if len(byPage) != 1 || fmt.Sprint(byPage[a.Slug]) != want {
				t.Errorf("the page of %s alone: %v, want %s under it", a.Slug, byPage, want)
			}
		}
	})
}

// A sitemap page is dated by the newest change readers may see among its
// articles, and a section by its newest article, its children's
// included: an edit to an old article moves its own page's date only; a
// draft's edit or a story scheduled for later moves nothing until
// readers may see it.
func TestSitemapDatesFollowWhatReadersSee(t *testing.T) {
	at := time.Date(2026, 3, 26, 12, 0, 0, 0, time.UTC)
	clock := at
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			clock = at
			db := storetest.Open(t, engine, store.WithClock(func() time.Time { return clock }))
			ctx := context.Background()
			nw, kz, opinion, a1, _ := seed(t, db)
			var all []*news.Article
			for i := 0; i < 15; i++ {
				clock = at.Add(time.Duration(i) * time.Minute)
				a := article(fmt.Sprintf("Dated %d", i), kz.ID, at.Add(-time.Duration(30-i)*time.Hour), []news.Author{a1})
				if i == 14 {
					a.SectionID = opinion.ID
				}
				must(t, db.SaveArticle(ctx, a, 0, ""))
				all = append(all, a)
			}
			if all[0].ID != 1 {
				t.Skipf("ids start at %d", all[0].ID) // ranges are counted from id 1
			}
			dates := func(now time.Time) (map[int]time.Time, map[int64]time.Time) {
				t.Helper()
				pages, err := db.SitemapPages(ctx, now, 10)
				must(t, err)
				byPage := map[int]time.Time{}
				for _, p := range pages {
					byPage[p.Number] = p.LastMod
				}
				secs, err := db.SectionsLastMod(ctx, now)
				must(t, err)
				return byPage, secs
			}
			minute := func(i int) time.Time { return at.Add(time.Duration(i) * time.Minute) }
			pages, secs := dates(at)
			if len(pages) != 2 || !pages[1].Equal(minute(9)) || !pages[2].Equal(minute(14)) {
				t.Errorf("pages dated %v, want page 1 at minute 9 and page 2 at 14", pages)
			}
			if len(secs) != 3 || !secs[kz.ID].Equal(minute(13)) || !secs[nw.ID].Equal(minute(13)) || !secs[opinion.ID].Equal(minute(14)) {
				t.Errorf("sections dated %v, want Kazakhstan and News at minute 13, Opinion at 14", secs)
			}

			// An old story's correction dates its page, not the section,
			// whose page opens with newer stories.
			clock = minute(20)
			all[2].Title = "Dated 2, corrected"
			must(t, db.SaveArticle(ctx, all[2], all[2].Version, ""))
			// A draft changed later, and a story scheduled for later, are
			// not what readers see yet.
			clock = minute(30)
			draft := article("Draft", kz.ID, at.Add(-time.Hour), []news.Author{a1})
			draft.Status = news.StatusDraft
			must(t, db.SaveArticle(ctx, draft, 0, ""))
			clock = minute(40)
			later := article("Later", kz.ID, at.Add(2*time.Hour), []news.Author{a1})
			later.Status = news.StatusScheduled
			must(t, db.SaveArticle(ctx, later, 0, ""))
			pages, secs = dates(at)
			if len(pages) != 2 || !pages[1].Equal(minute(20)) || !pages[2].Equal(minute(14)) {
				t.Errorf("after a correction: pages dated %v, want page 1 at minute 20 and page 2 at 14", pages)
			}
			if !secs[kz.ID].Equal(minute(13)) || !secs[nw.ID].Equal(minute(13)) {
				t.Errorf("after a correction: sections dated %v, want Kazakhstan and News still at minute 13", secs)
			}
			// Once the scheduled story is out, it dates its page and sections.
			pages, secs = dates(at.Add(3 * time.Hour))
			if !pages[2].Equal(minute(40)) || !secs[kz.ID].Equal(minute(40)) || !secs[nw.ID].Equal(minute(40)) || !secs[opinion.ID].Equal(minute(14)) {
				t.Errorf("with the scheduled story out: pages %v, sections %v; want page 2, Kazakhstan and News at minute 40", pages, secs)
			}
		})
	}
}

// A store that grew by the newsroom, not by an import, has never been
// analyzed: SQLite then plans without statistics. An article sitemap's
// originals must still be found from the few translations that point into
// its range, never by walking the range's originals, each row read past
// its body (a second of CPU a page at 400,000 articles).
func TestSitemapTranslationsStartFromTranslationsWithoutStatistics(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	_, kz, _, a1, _ := seed(t, db)
	now := time.Now()
	for i := 0; i < 3; i++ {
		en := article(fmt.Sprintf("Story %d", i), kz.ID, now.Add(-time.Hour), []news.Author{a1})
		must(t, db.SaveArticle(ctx, en, 0, ""))
		if i == 0 {
			ru := article("Перевод", kz.ID, now.Add(-time.Hour), []news.Author{a1})
			ru.Slug, ru.Lang, ru.TranslationOf = "perevod", "ru", en.ID
			must(t, db.SaveArticle(ctx, ru, 0, ""))
		}
	}
	steps, err := db.SitemapTranslationsPlanForTest(ctx)
	must(t, err)
	plan := strings.Join(steps, "\n")
	if !strings.Contains(plan, "SEARCH m USING INDEX articles_translation (translation_of>? AND translation_of<?)") {
		t.Errorf("the page's originals are not found from their translations' index range:\n%s", plan)
	}
	if strings.Contains(plan, "SEARCH a USING INDEX articles_translation (translation_of=? AND rowid>? AND rowid<?)") {
		t.Errorf("the page's range of originals is walked:\n%s", plan)
	}
}
