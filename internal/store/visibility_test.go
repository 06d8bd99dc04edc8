package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// The rule of what readers may see is written once in Go
// (news.Article.VisibleAt) and once in SQL (migration 0007's visible_from
// column and articles_visibility trigger). Every status at every time,
// written whole or changed by a bare UPDATE, must give the same answer in
// the article's row, its tag link and its search document.
func TestVisibilityRuleAgrees(t *testing.T) {
	statuses := []news.Status{news.StatusDraft, "pending", news.StatusScheduled, news.StatusPublished, news.StatusPrivate, news.StatusTrash}
	offsets := []time.Duration{-time.Hour, 0, time.Hour}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2025, 3, 26, 12, 0, 0, 0, time.UTC)
		n := 0
		for _, status := range statuses {
			for _, off := range offsets {
				for _, byUpdate := range []bool{false, true} {
					n++
					name := fmt.Sprintf("%s at now%+v, %s", status, off, map[bool]string{false: "saved", true: "updated"}[byUpdate])
					a := article(fmt.Sprintf("Zebra crossing %d", n), 0, now.Add(off), nil, fmt.Sprintf("rule-%d", n))
					a.Status = status
					if byUpdate {
						a.Status = news.StatusDraft
					}
					must(t, db.SaveArticle(ctx, a, 0, ""))
					if byUpdate {
						must(t, db.SetStatusForTest(ctx, a.ID, status))
						a.Status = status
					}
					want := a.VisibleAt(now)
					if got := storeShows(t, db, a, now); got != [3]bool{want, want, want} {
						t.Errorf("%s: the Go rule says %v; the row, the tag listing and search say %v", name, want, got)
					}
				}
			}
		}
	})
}

// storeShows is whether the store's SQL shows a at now: by its row, in its
// tag's listing, and in search.
func storeShows(t *testing.T, db *store.DB, a *news.Article, now time.Time) (got [3]bool) {
	t.Helper()
	ctx := context.Background()
	var err error
	if got[0], err = db.ArticleVisible(ctx, a.ID, now); err != nil {
		t.Fatal(err)
	}
	full, err := db.ArticleByID(ctx, a.ID)
	must(t, err)
	l, err := db.ListArticles(ctx, store.ListQuery{TagID: full.Tags[0].ID, VisibleAt: now, Limit: 10})
	must(t, err)
	got[1] = l.Total == 1
	res, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("zebra"), TagID: full.Tags[0].ID, VisibleAt: now, Limit: 10})
	must(t, err)
	got[2] = res.Total == 1
	return got
}
