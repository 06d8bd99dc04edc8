package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dastan/internal/demo"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// The demo a newcomer clicks through must cover what the site shows:
// every section and country, English and Russian, figures and tags.
func TestDemoNewsroomCoversTheSite(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	end := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	if err := demo.Fill(ctx, db, demo.Options{Articles: 1200, Seed: 1, End: end}); err != nil {
		t.Fatal(err)
	}
	all, err := db.ListArticles(ctx, store.ListQuery{VisibleAt: end, Limit: 1})
	if err != nil || all.Total != 1200 {
		t.Fatalf("visible articles: %d, %v", all.Total, err)
	}
	secs, _ := db.Sections(ctx)
	if len(secs) != 12 {
		t.Fatalf("%d sections, want 7 top-level and 5 countries", len(secs))
	}
	for _, s := range secs {
		l, _ := db.ListArticles(ctx, store.ListQuery{SectionIDs: []int64{s.ID}, VisibleAt: end, Limit: 1})
		if l.Total == 0 && s.ParentID != 0 {
			t.Errorf("country %s has no articles", s.Name)
		}
	}
	ru, _ := db.ListArticles(ctx, store.ListQuery{Lang: "ru", VisibleAt: end, Limit: 1})
	if ru.Total < 100 || ru.Total > 600 {
		t.Errorf("%d Russian articles of 1200", ru.Total)
	}
	authors, _ := db.Authors(ctx)
	if len(authors) < 5 {
		t.Errorf("%d authors", len(authors))
	}
	oldest, _ := db.ListArticles(ctx, store.ListQuery{VisibleAt: end, Limit: 1, Offset: 1199})
	if span := end.Sub(oldest.Articles[0].PublishedAt); span < 2*365*24*time.Hour {
		t.Errorf("the archive spans only %v", span)
	}
	figures := 0
	for i := 0; i < 40; i++ {
		l, _ := db.ListArticles(ctx, store.ListQuery{VisibleAt: end, Limit: 1, Offset: i})
		a, _ := db.ArticleByID(ctx, l.Articles[0].ID)
		if strings.Contains(a.BodyHTML, "<figcaption>") {
			figures++
		}
		if strings.Contains(a.BodyHTML, "[caption") || strings.Contains(a.Excerpt, "[") {
			t.Fatalf("raw shortcode in %q", a.Title)
		}
		if len(a.Tags) == 0 {
			t.Errorf("%q has no tags", a.Title)
		}
	}
	if figures == 0 {
		t.Error("no article body has a captioned figure")
	}
	if err := demo.Fill(ctx, db, demo.Options{Articles: 10}); err == nil {
		t.Error("demo filled a store that already had articles")
	}
}

// The demo reads like a newsroom: no headline twice, no sentence twice in
// a paragraph, English stories signed in Latin letters, stories in hand
// (drafts, pending, scheduled), a week of reads and pinned stories.
func TestDemoReadsLikeANewsroom(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	end := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	if err := demo.Fill(ctx, db, demo.Options{Articles: 400, Seed: 3, End: end}); err != nil {
		t.Fatal(err)
	}
	all, err := db.ListArticles(ctx, store.ListQuery{VisibleAt: end, Limit: 400})
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	for _, a := range all.Articles {
		if titles[a.Title] {
			t.Errorf("two stories are headlined %q", a.Title)
		}
		titles[a.Title] = true
		for _, au := range a.Authors {
			if a.Lang == "en" && strings.ContainsAny(au.Name, "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯабвгдежзиклмнопрстуфхцчшщыьэюя") {
				t.Errorf("English story %q signed %q", a.Title, au.Name)
			}
		}
	}
	for _, a := range all.Articles[:40] {
		full, err := db.ArticleByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, para := range strings.Split(full.BodySource, "\n\n") {
			seen := map[string]bool{}
			for _, s := range strings.SplitAfter(para, ". ") {
				if s = strings.TrimSpace(s); s != "" && seen[s] {
					t.Fatalf("%q repeats %q in one paragraph", a.Title, s)
				}
				seen[s] = true
			}
		}
	}
	for _, st := range []news.Status{news.StatusDraft, "pending", news.StatusScheduled} {
		l, err := db.NewsroomArticles(ctx, store.NewsroomQuery{Status: st, Limit: 1})
		if err != nil || l.Total == 0 {
			t.Errorf("no %s stories in the newsroom (%v)", st, err)
		}
	}
	read, err := db.MostRead(ctx, end.Add(-7*24*time.Hour), end, 5)
	if err != nil || len(read) < 5 || read[0].Reads <= read[4].Reads {
		t.Errorf("most read = %+v, %v; want five with a leader", read, err)
	}
	pinned, err := db.FrontSlots(ctx)
	if err != nil || len(pinned) == 0 || pinned[0].Slot != 1 || pinned[0].Article.Image == nil || pinned[0].Article.Lang != "en" {
		t.Errorf("front slots = %+v, %v; want an English story with a picture leading", pinned, err)
	}
}

// The demo links some English stories to their Russian versions, so that
// both editions offer "Read in English" / "Читать на русском".
func TestDemoLinksTranslations(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	end := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	if err := demo.Fill(ctx, db, demo.Options{Articles: 120, Seed: 1, End: end}); err != nil {
		t.Fatal(err)
	}
	all, _ := db.ListArticles(ctx, store.ListQuery{VisibleAt: end, Limit: 120})
	if all.Total != 120 {
		t.Fatalf("%d articles, want 120", all.Total)
	}
	pairs := 0
	for _, l := range all.Articles {
		a, _ := db.ArticleByID(ctx, l.ID)
		if a.TranslationOf == 0 {
			continue
		}
		pairs++
		orig, err := db.ArticleByID(ctx, a.TranslationOf)
		if err != nil || orig.Lang != "en" || a.Lang != "ru" || orig.SectionID != a.SectionID {
			t.Errorf("%q translates %q (%s, %v)", a.Title, orig.Title, orig.Lang, err)
		}
		tr, _ := db.Translations(ctx, a, end)
		if len(tr) != 2 {
			t.Errorf("%q: %d language versions", a.Title, len(tr))
		}
	}
	if pairs < 5 {
		t.Errorf("%d linked pairs in 120 articles", pairs)
	}
}
