package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Listings' totals (kept in listing_counts, compacted now and then on
// PostgreSQL) and VisibleCounts must match the articles a listing really
// shows after every kind of write: import, save, publish, unpublish,
// scheduling coming due, trash and restore, purge, a move to another
// section, a section moved in the tree, a language change, tags merged.
func TestListingCountsFollowWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nw, kz, opinion, a1, a2 := seed(t, db)
		now := time.Date(2025, 3, 26, 12, 0, 0, 0, time.UTC)
		check := func(step string) {
			t.Helper()
			checkCounts(t, db, step, now, []int64{nw.ID, kz.ID, opinion.ID}, []int64{a1.ID, a2.ID})
		}

		var list []*news.Article
		statuses := []news.Status{news.StatusPublished, news.StatusPublished, news.StatusDraft, news.StatusScheduled, "private"}
		for i := 0; i < 40; i++ {
			sec := []int64{nw.ID, kz.ID, opinion.ID, 0}[i%4]
			au := [][]news.Author{{a1}, {a2}, {a1, a2}}[i%3]
			a := article(fmt.Sprintf("Imported %d", i), sec, now.Add(time.Duration(i-30)*time.Hour), au, "oil", []string{"gas", "grain"}[i%2])
			a.Status = statuses[i%len(statuses)]
			if i%5 == 0 {
				a.Lang = "ru"
			}
			a.UpdatedAt = a.PublishedAt
			list = append(list, a)
		}
		must(t, db.ImportArticles(ctx, list))
		check("after the import")

		fresh := article("Saved by hand", kz.ID, now.Add(-time.Minute), []news.Author{a2}, "oil", "wheat")
		must(t, db.SaveArticle(ctx, fresh, 0, ""))
		check("after a save")

		must(t, db.SetStatusForTest(ctx, list[0].ID, news.StatusDraft))
		must(t, db.SetStatusForTest(ctx, list[2].ID, news.StatusPublished))
		check("after unpublishing one and publishing another")

		now = now.Add(10 * 24 * time.Hour) // the scheduled ones come due
		check("when the scheduled articles come due")

		got, err := db.ArticleByID(ctx, fresh.ID)
		must(t, err)
		must(t, db.TrashArticle(ctx, got.ID, got.Version, now, nil))
		check("after trashing")
		_, _, err = db.RestoreArticle(ctx, got.ID, []news.Status{news.StatusPublished}, now, nil)
		must(t, err)
		check("after restoring")

		got, err = db.ArticleByID(ctx, list[1].ID)
		must(t, err)
		got.SectionID, got.Lang = opinion.ID, "ru"
		got.Tags = []news.Tag{{Name: "wheat"}}
		must(t, db.SaveArticle(ctx, &got, 0, ""))
		check("after moving an article to another section, language and tags")

		// Language and visibility changed by one save, both ways.
		got, err = db.ArticleByID(ctx, list[6].ID)
		must(t, err)
		got.Lang, got.Status = "ru", news.StatusDraft
		must(t, db.SaveArticle(ctx, &got, 0, ""))
		got, err = db.ArticleByID(ctx, list[7].ID)
		must(t, err)
		got.Lang, got.Status = "ru", news.StatusPublished
		must(t, db.SaveArticle(ctx, &got, 0, ""))
		check("after hiding one article and showing another, each changing language")

		before, err := db.CompactListingCounts(ctx)
		must(t, err)
		check("after compacting the counts")
		if again, err := db.CompactListingCounts(ctx); err != nil || (before > 0 && again >= before) {
			t.Errorf("compacting kept %d rows of counts (before: %d), %v", again, before, err)
		}

		kz.ParentID = opinion.ID
		must(t, db.SaveSection(ctx, &kz))
		check("after moving a section under another")

		tags, _, err := db.Tags(ctx, 100)
		must(t, err)
		byName := map[string]int64{}
		for _, tg := range tags {
			byName[tg.Name] = tg.ID
		}
		must(t, db.MergeTags(ctx, byName["grain"], byName["gas"]))
		check("after merging tags")

		got, err = db.ArticleByID(ctx, list[5].ID)
		must(t, err)
		must(t, db.TrashArticle(ctx, got.ID, got.Version, now.Add(-48*time.Hour), nil))
		n, err := db.PurgeTrash(ctx, now.Add(-time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("purged %d articles, want 1", n)
		}
		check("after purging the trash")
	})
}

// checkCounts compares each listing's total, and VisibleCounts, with the
// articles the listing shows when read whole, and pages through each
// listing to check that every page holds the articles it should.
func checkCounts(t *testing.T, db *store.DB, step string, now time.Time, sections, authors []int64) {
	t.Helper()
	ctx := context.Background()
	tags, _, err := db.Tags(ctx, 100)
	must(t, err)
	queries := map[string]store.ListQuery{"site": {}, "site in Russian": {Lang: "ru"}}
	for _, id := range sections {
		queries[fmt.Sprintf("section %d", id)] = store.ListQuery{Section: id}
	}
	for _, tg := range tags {
		queries["tag "+tg.Name] = store.ListQuery{TagID: tg.ID}
	}
	for _, id := range authors {
		queries[fmt.Sprintf("author %d", id)] = store.ListQuery{AuthorID: id}
	}
	for name, q := range queries {
		if q.Lang == "" { // and each edition's
			queries[name+" in English"] = store.ListQuery{Section: q.Section, TagID: q.TagID, AuthorID: q.AuthorID, Lang: "en"}
			queries[name+" in Russian"] = store.ListQuery{Section: q.Section, TagID: q.TagID, AuthorID: q.AuthorID, Lang: "ru"}
		}
	}
	for name, q := range queries {
		q.VisibleAt = now
		q.Limit = 1000
		whole, err := db.ListArticles(ctx, q)
		must(t, err)
		if whole.Total != len(whole.Articles) {
			t.Errorf("%s: %s says %d articles and shows %d", step, name, whole.Total, len(whole.Articles))
		}
		for _, size := range []int{3, 7} {
			var paged []int64
			for off := 0; off < len(whole.Articles)+size; off += size {
				q.Limit, q.Offset = size, off
				p, err := db.ListArticles(ctx, q)
				must(t, err)
				for _, a := range p.Articles {
					paged = append(paged, a.ID)
				}
			}
			if fmt.Sprint(paged) != fmt.Sprint(ids(whole.Articles)) {
				t.Errorf("%s: %s in pages of %d: %v, want %v", step, name, size, paged, ids(whole.Articles))
			}
		}
	}
	secs, tagCounts, authorCounts, err := db.VisibleCounts(ctx, now)
	must(t, err)
	want := func(q store.ListQuery) int {
		q.VisibleAt, q.Limit, q.NoCount = now, 1000, true
		l, err := db.ListArticles(ctx, q)
		must(t, err)
		return len(l.Articles)
	}
	for _, id := range sections {
		if w := want(store.ListQuery{SectionIDs: []int64{id}}); secs[id] != w {
			t.Errorf("%s: VisibleCounts gives section %d %d articles, want %d", step, id, secs[id], w)
		}
	}
	for _, tg := range tags {
		if w := want(store.ListQuery{TagID: tg.ID}); tagCounts[tg.ID] != w {
			t.Errorf("%s: VisibleCounts gives tag %s %d articles, want %d", step, tg.Name, tagCounts[tg.ID], w)
		}
	}
	for _, id := range authors {
		if w := want(store.ListQuery{AuthorID: id}); authorCounts[id] != w {
			t.Errorf("%s: VisibleCounts gives author %d %d articles, want %d", step, id, authorCounts[id], w)
		}
	}
	public, counts, err := db.PublicTags(ctx, now)
	must(t, err)
	for i, tg := range public {
		if counts[i] != tagCounts[tg.ID] || counts[i] == 0 {
			t.Errorf("%s: public tags give %s %d articles, VisibleCounts %d", step, tg.Name, counts[i], tagCounts[tg.ID])
		}
	}
}

func ids(list []news.Article) []int64 {
	out := make([]int64, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}
