package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dastan/internal/demo"
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
