package store_test

import (
	"context"
	"testing"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A first import's batch is written a statement per table. Rows it names
// twice — an old address two posts both answered to, an attachment
// listed twice — end as writing one by one left them, the later winning,
// on both engines (PostgreSQL refuses to change a row twice in one
// statement); comments keep their order and their articles.
func TestFreshWordPressBatchNamingARowTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		item := func(wp int64, title string) *store.WPItem {
			a := article(title, kz.ID, time.Date(2019, 5, int(wp%28)+1, 9, 0, 0, 0, time.UTC), []news.Author{a1})
			return &store.WPItem{WPID: wp, MapKind: "post", Checksum: "sum-" + title, Kind: store.KindArticle, Article: a,
				OldPaths: []string{"/2019/05/shared/", "/?p=" + title},
				Comments: []store.Comment{
					{WPID: wp * 10, Author: "Reader", Body: "First on " + title, Status: "approved", Kind: "comment", CreatedAt: time.Date(2019, 5, 2, 0, 0, 0, 0, time.UTC)},
					{WPID: wp*10 + 1, ParentWP: wp * 10, Author: "Editor", Body: "Reply on " + title, Status: "approved", Kind: "comment", CreatedAt: time.Date(2019, 5, 3, 0, 0, 0, 0, time.UTC)},
				}}
		}
		one, two := item(101, "One"), item(102, "Two")
		must(t, db.WriteWPItems(ctx, []*store.WPItem{one, two}, time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)))

		r, err := db.RedirectFor(ctx, "/2019/05/shared/")
		must(t, err)
		if want := links.Article(two.Article.Slug); r.To != want || r.CreatedBy != "wordpress" || r.Status != 301 {
			t.Errorf("shared old address: %+v, want a 301 to %s, as the later post", r, want)
		}
		for _, it := range []*store.WPItem{one, two} {
			r, err := db.RedirectFor(ctx, "/?p="+it.Article.Title)
			must(t, err)
			if r.To != links.Article(it.Article.Slug) {
				t.Errorf("%s's old address goes to %q", it.Article.Title, r.To)
			}
			cs, err := db.Comments(ctx, it.Article.ID)
			must(t, err)
			if len(cs) != 2 || cs[0].Body != "First on "+it.Article.Title || cs[1].ParentWP != it.WPID*10 || cs[0].ID >= cs[1].ID {
				t.Errorf("%s's comments: %+v", it.Article.Title, cs)
			}
		}
		m, err := db.WPImportMap(ctx, "post")
		must(t, err)
		if m[101].LocalID != one.Article.ID || m[102].LocalID != two.Article.ID || m[102].Checksum != "sum-Two" {
			t.Errorf("map: %+v", m)
		}

		must(t, db.SaveWPAttachments(ctx, []store.WPAttachment{
			{WPID: 7, Title: "Draft caption", URL: "https://timesca.example/a.jpg"},
			{WPID: 8, Title: "Other", URL: "https://timesca.example/b.jpg"},
			{WPID: 7, Title: "Final caption", URL: "https://timesca.example/a2.jpg", Checksum: "later"},
		}))
		atts, err := db.WPAttachments(ctx)
		must(t, err)
		if len(atts) != 2 || atts[0].WPID != 7 || atts[0].Title != "Final caption" || atts[0].URL != "https://timesca.example/a2.jpg" || atts[1].WPID != 8 {
			t.Errorf("attachments: %+v", atts)
		}
		am, err := db.WPImportMap(ctx, "attachment")
		must(t, err)
		if am[7].Checksum != "later" || len(am) != 2 {
			t.Errorf("attachments' map: %+v", am)
		}
	})
}
