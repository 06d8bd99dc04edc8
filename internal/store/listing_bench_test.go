package store_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
)

// BenchmarkListings measures every kind of article listing the store
// answers (the site's, the API's, the newsroom's and search) over a large
// store, straight through the store without HTTP or templates.
// DASTAN_BENCH_DATA_DIR names a data directory made by
// "dastan demo -articles 100000" (DASTAN_BENCH_DATABASE_URL a PostgreSQL
// database filled the same way); without it the benchmark is skipped.
// Each sub-benchmark reports p50 and p95 latencies in milliseconds.
func BenchmarkListings(b *testing.B) {
	dir, url := os.Getenv("DASTAN_BENCH_DATA_DIR"), os.Getenv("DASTAN_BENCH_DATABASE_URL")
	if dir == "" && url == "" {
		b.Skip("set DASTAN_BENCH_DATA_DIR to a store made by: dastan demo -articles 100000 -data-dir DIR")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir, url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	secs, err := db.Sections(ctx)
	if err != nil {
		b.Fatal(err)
	}
	authors, err := db.Authors(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tags, _, err := db.Tags(ctx, 100)
	if err != nil {
		b.Fatal(err)
	}
	// The demo's newest article is its "now": listings see the whole archive.
	latest, err := db.ListArticles(ctx, store.ListQuery{Limit: 1, NoCount: true})
	if err != nil || len(latest.Articles) == 0 {
		b.Fatalf("no articles: %v", err)
	}
	now := latest.Articles[0].PublishedAt.Add(time.Hour)
	var top news.Section
	for _, s := range secs {
		if s.ParentID == 0 && s.Slug == "news" {
			top = s
		}
	}
	sec := func(r *rand.Rand) int64 { return secs[r.IntN(len(secs))].ID }
	tag := func(r *rand.Rand) int64 { return tags[r.IntN(len(tags))].ID }
	author := func(r *rand.Rand) int64 { return authors[r.IntN(len(authors))].ID }
	cases := []struct {
		name string
		fn   func(r *rand.Rand) error
	}{
		{"site/front", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{VisibleAt: now, Limit: 12, NoCount: true, NoBylines: true})
			return err
		}},
		{"site/latest-page-2", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{VisibleAt: now, Limit: 10, Offset: 10})
			return err
		}},
		{"site/section-tree-page-2", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{Section: top.ID, VisibleAt: now, Limit: 10, Offset: 10})
			return err
		}},
		{"site/section", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{Section: sec(r), VisibleAt: now, Limit: 10})
			return err
		}},
		{"site/tag", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{TagID: tag(r), VisibleAt: now, Limit: 10})
			return err
		}},
		{"site/author", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{AuthorID: author(r), VisibleAt: now, Limit: 10})
			return err
		}},
		{"site/lang", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{Lang: "ru", VisibleAt: now, Limit: 10})
			return err
		}},
		{"site/month-archive", func(r *rand.Rand) error {
			from := now.AddDate(0, -1-r.IntN(24), 0)
			_, err := db.ListArticles(ctx, store.ListQuery{From: from, To: from.AddDate(0, 1, 0), VisibleAt: now, Limit: 10})
			return err
		}},
		{"site/tag-in-section", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{TagID: tag(r), Section: top.ID, VisibleAt: now, Limit: 10})
			return err
		}},
		{"site/feed", func(r *rand.Rand) error {
			_, err := db.FeedArticles(ctx, store.ListQuery{VisibleAt: now, Limit: 20})
			return err
		}},
		{"site/news-sitemap", func(r *rand.Rand) error {
			_, err := db.NewsArticles(ctx, now, now.Add(-48*time.Hour), 1000)
			return err
		}},
		{"site/related", func(r *rand.Rand) error {
			a, err := db.ArticleByID(ctx, int64(1+r.IntN(1000)))
			if err != nil {
				return err
			}
			_, err = db.Related(ctx, a, 4, now)
			return err
		}},
		{"site/tag-visible", func(r *rand.Rand) error {
			_, err := db.TagVisible(ctx, tag(r), now)
			return err
		}},
		{"site/search-form-authors", func(r *rand.Rand) error {
			_, err := db.PublicAuthors(ctx, now)
			return err
		}},
		{"staff/all", func(r *rand.Rand) error {
			_, err := db.ListArticles(ctx, store.ListQuery{Limit: 10})
			return err
		}},
		{"api/default", func(r *rand.Rand) error {
			_, err := db.APIArticles(ctx, store.APIQuery{VisibleAt: now, Limit: 10})
			return err
		}},
		{"api/section-tree", func(r *rand.Rand) error {
			_, err := db.APIArticles(ctx, store.APIQuery{SectionTree: sec(r), VisibleAt: now, Limit: 10})
			return err
		}},
		{"api/tags-authors", func(r *rand.Rand) error {
			_, err := db.APIArticles(ctx, store.APIQuery{TagIDs: []int64{tag(r), tag(r)}, AuthorIDs: []int64{author(r)}, VisibleAt: now, Limit: 10})
			return err
		}},
		{"api/tags-readers", func(r *rand.Rand) error {
			_, _, err := db.PublicTags(ctx, now)
			return err
		}},
		{"api/tags-staff", func(r *rand.Rand) error {
			_, _, err := db.TagsWithPublicCounts(ctx, now)
			return err
		}},
		{"api/search", func(r *rand.Rand) error {
			_, err := db.APIArticles(ctx, store.APIQuery{Search: "central bank", VisibleAt: now, Limit: 10})
			return err
		}},
		{"api/staff-by-title", func(r *rand.Rand) error {
			_, err := db.APIArticles(ctx, store.APIQuery{Statuses: []news.Status{news.StatusDraft, news.StatusPublished}, OrderBy: "title", Asc: true, Limit: 10, Offset: 100})
			return err
		}},
		{"newsroom/list", func(r *rand.Rand) error {
			_, err := db.NewsroomArticles(ctx, store.NewsroomQuery{CountLimit: 2000})
			return err
		}},
		{"newsroom/page-200", func(r *rand.Rand) error {
			_, err := db.NewsroomArticles(ctx, store.NewsroomQuery{CountLimit: 2000, Offset: 199 * 25})
			return err
		}},
		{"newsroom/filtered", func(r *rand.Rand) error {
			_, err := db.NewsroomArticles(ctx, store.NewsroomQuery{Status: news.StatusPublished, Lang: "en", SectionID: sec(r), CountLimit: 2000})
			return err
		}},
		{"newsroom/author", func(r *rand.Rand) error {
			_, err := db.NewsroomArticles(ctx, store.NewsroomQuery{AuthorID: author(r), CountLimit: 2000})
			return err
		}},
		{"newsroom/title", func(r *rand.Rand) error {
			w := []string{"gas", "border", "wheat", "election", "bank"}[r.IntN(5)]
			_, err := db.NewsroomArticles(ctx, store.NewsroomQuery{Search: w, CountLimit: 2000})
			return err
		}},
		{"search/common", func(r *rand.Rand) error {
			_, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: now, Limit: 10})
			return err
		}},
		{"search/rare", func(r *rand.Rand) error {
			_, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("archaeology"), VisibleAt: now, Limit: 10})
			return err
		}},
		{"search/section", func(r *rand.Rand) error {
			_, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("pipeline"), SectionIDs: []int64{sec(r)}, VisibleAt: now, Limit: 10})
			return err
		}},
		{"search/tag-lang-dates", func(r *rand.Rand) error {
			_, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("central bank"), TagID: tag(r), Lang: "en",
				From: now.AddDate(-1, 0, 0), VisibleAt: now, Limit: 10})
			return err
		}},
		{"search/by-date-page-3", func(r *rand.Rand) error {
			_, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("pipeline"), SortByDate: true, VisibleAt: now, Limit: 10, Offset: 20})
			return err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				if err := c.fn(r); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			q := func(f float64) float64 { return float64(times[int(f*float64(len(times)-1))]) / 1e6 }
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.95), "p95-ms")
		})
	}
}
