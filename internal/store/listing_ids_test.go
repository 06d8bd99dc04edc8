package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A listing read as ids, then as the summaries of those ids, is the
// listing read whole: the same articles in the same order, the same
// total, with bylines, on every page — the first, those read forwards
// and those past the middle, read backwards.
func TestListArticleIDsAreTheListing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nw, kz, op, a1, a2 := seed(t, db)
		now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
		for i := 0; i < 23; i++ {
			sec, by := kz.ID, []news.Author{a1}
			if i%4 == 0 {
				sec, by = op.ID, []news.Author{a2, a1}
			}
			// Two a day at the same second, so ties are broken the same way.
			must(t, db.SaveArticle(ctx, article("Story", sec, now.Add(-time.Duration(i/2)*24*time.Hour), by, "energy"), 0, ""))
		}
		tag, err := db.TagBySlug(ctx, "energy")
		must(t, err)
		for _, q := range []store.ListQuery{{Section: nw.ID}, {TagID: tag.ID}, {AuthorID: a2.ID}, {}} {
			for offset := 0; offset < 30; offset += 5 {
				q.VisibleAt, q.Limit, q.Offset, q.Lang = now, 5, offset, "en"
				whole, err := db.ListArticles(ctx, q)
				must(t, err)
				ids, total, err := db.ListArticleIDs(ctx, q)
				must(t, err)
				got, err := db.Summaries(ctx, ids)
				must(t, err)
				if total != whole.Total || !slices.EqualFunc(got, whole.Articles, sameListed) {
					t.Errorf("%+v: ids give %d of %d %v, the listing %d of %d %v", q, len(got), total, listedIDs(got), len(whole.Articles), whole.Total, listedIDs(whole.Articles))
				}
			}
		}
	})
}

func sameListed(a, b news.Article) bool {
	return a.ID == b.ID && a.Title == b.Title && a.UpdatedAt.Equal(b.UpdatedAt) &&
		slices.EqualFunc(a.Authors, b.Authors, func(x, y news.Author) bool { return x.ID == y.ID && x.Name == y.Name })
}

func listedIDs(list []news.Article) []int64 {
	var ids []int64
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	return ids
}
