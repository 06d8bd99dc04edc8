package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// seed makes News > Kazakhstan, Opinion, two authors and returns them.
func seed(t *testing.T, db *store.DB) (news, kz, opinion news.Section, a1, a2 news.Author) {
	t.Helper()
	ctx := context.Background()
	news = newsSection("News", 0)
	must(t, db.SaveSection(ctx, &news))
	kz = newsSection("Kazakhstan", news.ID)
	must(t, db.SaveSection(ctx, &kz))
	opinion = newsSection("Opinion", 0)
	must(t, db.SaveSection(ctx, &opinion))
	a1 = authorNamed("Aigerim Sadykova")
	a2 = authorNamed("Ivan Petrov")
	must(t, db.SaveAuthor(ctx, &a1))
	must(t, db.SaveAuthor(ctx, &a2))
	return
}

func newsSection(name string, parent int64) news.Section {
	return news.Section{Name: name, ParentID: parent}
}

func authorNamed(name string) news.Author { return news.Author{Name: name} }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func article(title string, section int64, pub time.Time, authors []news.Author, tags ...string) *news.Article {
	a := &news.Article{Title: title, BodySource: "Body of " + title, BodyFormat: news.FormatMarkdown,
		BodyHTML: "<p>Body of " + title + "</p>", Excerpt: "Body of " + title, Lang: "en",
		Status: news.StatusPublished, PublishedAt: pub, SectionID: section, Authors: authors}
	for _, t := range tags {
		a.Tags = append(a.Tags, news.Tag{Name: t})
	}
	return a
}

func TestSectionsNestAndMove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nw, kz, _, _, _ := seed(t, db)
		if kz.Path != "news/kazakhstan" {
			t.Fatalf("child path = %q, want news/kazakhstan", kz.Path)
		}
		nw.Slug = "world"
		must(t, db.SaveSection(ctx, &nw))
		secs, err := db.Sections(ctx)
		must(t, err)
		paths := map[string]bool{}
		for _, s := range secs {
			paths[s.Path] = true
		}
		if !paths["world/kazakhstan"] || paths["news/kazakhstan"] {
			t.Fatalf("children did not follow the renamed parent: %v", paths)
		}
	})
}

func TestSaveAndReadArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, a2 := seed(t, db)
		pub := time.Date(2025, 3, 26, 9, 30, 0, 0, time.UTC)
		a := article("Tokayev signs the budget", kz.ID, pub, []news.Author{a2, a1}, "Economy", "Budget")
		a.Slug = "tokayev-signs-the-budget"
		a.Image = &news.Figure{URL: "/media/x.jpg", Alt: "The president", Caption: "Signing", Credit: "Press office"}
		must(t, db.SaveArticle(ctx, a, 0, "first"))
		if a.ID == 0 || a.Version != 1 {
			t.Fatalf("after insert id=%d version=%d", a.ID, a.Version)
		}
		got, err := db.ArticleBySlug(ctx, "tokayev-signs-the-budget")
		must(t, err)
		if got.Title != a.Title || !got.PublishedAt.Equal(pub) || got.SectionID != kz.ID {
			t.Fatalf("read back %+v", got)
		}
		if len(got.Authors) != 2 || got.Authors[0].ID != a2.ID || got.Authors[1].ID != a1.ID {
			t.Fatalf("byline order lost: %+v", got.Authors)
		}
		if len(got.Tags) != 2 || got.Tags[0].Slug != "budget" {
			t.Fatalf("tags: %+v", got.Tags)
		}
		if got.Image == nil || got.Image.Caption != "Signing" || got.Image.Credit != "Press office" {
			t.Fatalf("image: %+v", got.Image)
		}
		// A second article with the same title gets a new slug, not an error.
		b := article("Tokayev signs the budget", kz.ID, pub, []news.Author{a1})
		b.Slug = "tokayev-signs-the-budget"
		must(t, db.SaveArticle(ctx, b, 0, ""))
		if b.Slug != "tokayev-signs-the-budget-2" {
			t.Fatalf("duplicate slug became %q", b.Slug)
		}
		if _, err := db.ArticleBySlug(ctx, "no-such-story"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing article: %v", err)
		}
	})
}

func TestConcurrentEditsConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		a := article("Draft", kz.ID, time.Now(), []news.Author{a1})
		must(t, db.SaveArticle(ctx, a, 0, ""))
		first, _ := db.ArticleByID(ctx, a.ID)
		second, _ := db.ArticleByID(ctx, a.ID)
		first.Title = "First editor's title"
		must(t, db.SaveArticle(ctx, &first, 1, ""))
		second.Title = "Second editor's title"
		err := db.SaveArticle(ctx, &second, 2, "")
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second save: %v, want ErrConflict", err)
		}
		got, _ := db.ArticleByID(ctx, a.ID)
		if got.Title != "First editor's title" || got.Version != 2 {
			t.Fatalf("stored %q v%d after a refused save", got.Title, got.Version)
		}
	})
}

func TestListingsAndVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nw, kz, op, a1, a2 := seed(t, db)
		now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
		for i := 0; i < 25; i++ {
			a := article("Kazakh story", kz.ID, now.Add(-time.Duration(i)*24*time.Hour), []news.Author{a1}, "energy")
			must(t, db.SaveArticle(ctx, a, 0, ""))
		}
		must(t, db.SaveArticle(ctx, article("Column", op.ID, now.Add(-time.Hour), []news.Author{a2}, "energy"), 0, ""))
		draft := article("Unfinished", kz.ID, now.Add(-time.Hour), []news.Author{a1}, "energy")
		draft.Status = news.StatusDraft
		must(t, db.SaveArticle(ctx, draft, 0, ""))
		later := article("Embargoed", kz.ID, now.Add(time.Hour), []news.Author{a1}, "energy")
		later.Status = news.StatusScheduled
		must(t, db.SaveArticle(ctx, later, 0, ""))

		l, err := db.ListArticles(ctx, store.ListQuery{SectionIDs: []int64{nw.ID, kz.ID}, VisibleAt: now, Limit: 10, Offset: 10})
		must(t, err)
		if l.Total != 25 || len(l.Articles) != 10 {
			t.Fatalf("section page 2: total %d, %d items", l.Total, len(l.Articles))
		}
		if !l.Articles[0].PublishedAt.Equal(now.Add(-10*24*time.Hour)) || len(l.Articles[0].Authors) != 1 {
			t.Fatalf("page 2 starts with %v %+v", l.Articles[0].PublishedAt, l.Articles[0].Authors)
		}
		l, err = db.ListArticles(ctx, store.ListQuery{Section: nw.ID, VisibleAt: now, Limit: 10, Offset: 20})
		must(t, err)
		if l.Total != 25 || len(l.Articles) != 5 {
			t.Fatalf("parent section shows its children's articles: total %d, %d items", l.Total, len(l.Articles))
		}
		tag, err := db.TagBySlug(ctx, "energy")
		must(t, err)
		l, err = db.ListArticles(ctx, store.ListQuery{TagID: tag.ID, VisibleAt: now, Limit: 5})
		must(t, err)
		if l.Total != 26 || l.Articles[1].Title != "Column" {
			t.Fatalf("tag listing: total %d second %q", l.Total, l.Articles[1].Title)
		}
		l, err = db.ListArticles(ctx, store.ListQuery{AuthorID: a2.ID, VisibleAt: now, Limit: 5})
		must(t, err)
		if l.Total != 1 {
			t.Fatalf("author listing total %d", l.Total)
		}
		// The scheduled article appears by itself once its time comes.
		l, _ = db.ListArticles(ctx, store.ListQuery{TagID: tag.ID, VisibleAt: now.Add(2 * time.Hour), Limit: 1})
		if l.Total != 27 || l.Articles[0].Title != "Embargoed" {
			t.Fatalf("after embargo: total %d first %q", l.Total, l.Articles[0].Title)
		}
		next, ok, err := db.NextScheduled(ctx, now)
		must(t, err)
		if !ok || !next.Equal(now.Add(time.Hour)) {
			t.Fatalf("next scheduled %v %v", next, ok)
		}
		n, err := db.PublishDue(ctx, now.Add(2*time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("published %d due articles", n)
		}
		// Month archive.
		l, _ = db.ListArticles(ctx, store.ListQuery{From: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), VisibleAt: now})
		if l.Total != 15 {
			t.Fatalf("December archive total %d, want 15", l.Total)
		}
		first := l.Articles[0]
		full, _ := db.ArticleByID(ctx, first.ID)
		rel, err := db.Related(ctx, full, 4, now)
		must(t, err)
		if len(rel) != 4 {
			t.Fatalf("related: %d", len(rel))
		}
		for _, r := range rel {
			if r.ID == first.ID || r.Status == news.StatusDraft {
				t.Fatalf("related includes %q (%s)", r.Title, r.Status)
			}
		}
	})
}

func TestSectionMoveRelinksArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nw, kz, op, a1, _ := seed(t, db)
		now := time.Now()
		must(t, db.SaveArticle(ctx, article("Steppe story", kz.ID, now.Add(-time.Hour), []news.Author{a1}), 0, ""))
		count := func(section int64) int {
			l, err := db.ListArticles(ctx, store.ListQuery{Section: section, VisibleAt: now, Limit: 1})
			must(t, err)
			return l.Total
		}
		if count(nw.ID) != 1 || count(op.ID) != 0 {
			t.Fatalf("before the move: news %d opinion %d", count(nw.ID), count(op.ID))
		}
		kz.ParentID = op.ID
		must(t, db.SaveSection(ctx, &kz))
		if count(nw.ID) != 0 || count(op.ID) != 1 || count(kz.ID) != 1 {
			t.Fatalf("after the move: news %d opinion %d kazakhstan %d", count(nw.ID), count(op.ID), count(kz.ID))
		}
	})
}

// However an article's status changes — even by a statement outside
// SaveArticle — every listing follows, because a trigger keeps the link
// tables' visibility in step.
func TestStatusChangeHidesFromEveryListing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Now()
		a := article("Withdrawn story", kz.ID, now.Add(-time.Hour), []news.Author{a1}, "energy")
		must(t, db.SaveArticle(ctx, a, 0, ""))
		tag, _ := db.TagBySlug(ctx, "energy")
		queries := []store.ListQuery{{Section: kz.ID}, {TagID: tag.ID}, {AuthorID: a1.ID}, {}}
		total := func() (n int) {
			for _, q := range queries {
				q.VisibleAt, q.Limit = now, 5
				l, err := db.ListArticles(ctx, q)
				must(t, err)
				n += l.Total
			}
			return n
		}
		if total() != 4 {
			t.Fatalf("published article in %d of 4 listings", total())
		}
		must(t, db.SetStatusForTest(ctx, a.ID, news.StatusTrash))
		if n := total(); n != 0 {
			t.Fatalf("trashed article still in %d listings", n)
		}
	})
}

// Trashing an article in the newsroom takes it out of every listing and
// out of search, at once.
func TestTrashHidesFromListingsAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Now()
		a := article("Caspian pipeline tender", kz.ID, now.Add(-time.Hour), []news.Author{a1}, "energy")
		must(t, db.SaveArticle(ctx, a, 0, ""))
		find := func() (listed, found int) {
			l, err := db.ListArticles(ctx, store.ListQuery{Section: kz.ID, VisibleAt: now, Limit: 5})
			must(t, err)
			r, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: now, Limit: 5})
			must(t, err)
			return l.Total, r.Total
		}
		if l, f := find(); l != 1 || f != 1 {
			t.Fatalf("published: listed %d, found %d", l, f)
		}
		must(t, db.TrashArticle(ctx, a.ID, a.Version, now, nil))
		if l, f := find(); l != 0 || f != 0 {
			t.Fatalf("trashed: listed %d, found %d", l, f)
		}
		if _, _, err := db.RestoreArticle(ctx, a.ID, []news.Status{news.StatusPublished}, now, nil); err != nil {
			t.Fatal(err)
		}
		if l, f := find(); l != 1 || f != 1 {
			t.Fatalf("restored: listed %d, found %d", l, f)
		}
	})
}

// A query matching more articles than the ranking window is ranked among
// its most recently added matches, and still counted exactly, alike on
// both engines.
func TestSearchRankWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Now()
		// The oldest-added article is the best match by far.
		best := article("Pipeline pipeline pipeline", kz.ID, now.Add(-48*time.Hour), []news.Author{a1})
		must(t, db.SaveArticle(ctx, best, 0, ""))
		var newest []int64 // the five most recently added
		for i := 0; i < 12; i++ {
			a := article(fmt.Sprintf("Story %d about a pipeline", i), kz.ID, now.Add(-time.Duration(i)*time.Hour), []news.Author{a1})
			must(t, db.SaveArticle(ctx, a, 0, ""))
			if i >= 7 {
				newest = append(newest, a.ID)
			}
		}
		q := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: now, Limit: 10}
		r, err := db.SearchArticles(ctx, q)
		must(t, err)
		if r.Total != 13 || r.Results[0].Article.ID != best.ID {
			t.Fatalf("whole ranking: total %d, first %q", r.Total, r.Results[0].Article.Title)
		}
		db.SetRankWindowForTest(5)
		r, err = db.SearchArticles(ctx, q)
		must(t, err)
		if r.Total != 13 || len(r.Results) != 5 {
			t.Fatalf("windowed: total %d, %d results", r.Total, len(r.Results))
		}
		// Partial matches of a longer query are ranked in the same window.
		loose := store.SearchQuery{Query: search.ParseQuery("pipeline zanzibar"), VisibleAt: now, Limit: 10, Partial: true}
		lr, err := db.SearchArticles(ctx, loose)
		must(t, err)
		for _, res := range [][]store.SearchResult{r.Results, lr.Results} {
			var got []int64
			for _, x := range res {
				got = append(got, x.Article.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, newest) {
				t.Errorf("the window ranked %v, want the five most recently added matches %v", got, newest)
			}
		}
		if lr.Total != 13 || lr.Full != 0 {
			t.Errorf("partial matches: total %d, full %d; want 13 and 0", lr.Total, lr.Full)
		}
	})
}

// Several instances starting at once on one fresh PostgreSQL database
// all come up: migrations take turns instead of colliding.
func TestInstancesStartTogether(t *testing.T) {
	url := storetest.NewPostgresDatabase(t)
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			db, err := store.Open(context.Background(), "", url)
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
}

// TestRelatedRanksByTagsThenSectionThenRecency pins the order of an
// article's related stories: two points a tag in common, one for its own
// section (a parent's does not count), newer first among equals; drafts,
// the article itself and stories not yet due never appear, and the
// section's newest fill the list when tags give too few.
func TestRelatedRanksByTagsThenSectionThenRecency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		nw, kz, op, a1, _ := seed(t, db)
		now := time.Now().Truncate(time.Second)
		at := func(h int) time.Time { return now.Add(-time.Duration(h) * time.Hour) }
		save := func(a *news.Article) *news.Article {
			t.Helper()
			must(t, db.SaveArticle(ctx, a, 0, ""))
			return a
		}
		au := []news.Author{a1}
		self := save(article("Self", kz.ID, at(50), au, "oil", "gas"))
		both := save(article("Both tags, opinion", op.ID, at(40), au, "oil", "gas"))
		oneHere := save(article("One tag, same section", kz.ID, at(30), au, "oil"))
		oneOld := save(article("One tag, older", op.ID, at(20), au, "gas"))
		oneNew := save(article("One tag, newer", op.ID, at(10), au, "oil"))
		parent := save(article("One tag, parent section", nw.ID, at(15), au, "gas"))
		save(article("No tag, same section", kz.ID, at(5), au))
		draft := article("Draft with both tags", kz.ID, at(1), au, "oil", "gas")
		draft.Status = news.StatusDraft
		save(draft)
		save(article("Due tomorrow", kz.ID, now.Add(24*time.Hour), au, "oil", "gas"))
		full, err := db.ArticleByID(ctx, self.ID)
		must(t, err)
		titles := func(n int) []string {
			rel, err := db.Related(ctx, full, n, now)
			must(t, err)
			var out []string
			for _, r := range rel {
				out = append(out, r.Title)
			}
			return out
		}
		want := []string{both.Title, oneHere.Title, oneNew.Title, parent.Title, oneOld.Title}
		if got := titles(5); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("related:\n got %q\nwant %q", got, want)
		}
		// Without tags in common, the section's newest stories.
		full.Tags = nil
		if got := titles(2); strings.Join(got, "|") != "No tag, same section|One tag, same section" {
			t.Errorf("related without tags: %q", got)
		}
	})
}

// TestRelatedTiesKeepOneOrder: stories of equal weight published in the
// same second (an import's copies, a wire's batch) come in one order,
// the newest id first, every time they are asked for, rather than in the
// order of a map's keys.
func TestRelatedTiesKeepOneOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		au := []news.Author{a1}
		self := article("Self", kz.ID, now.Add(-time.Hour), au, "wheat")
		must(t, db.SaveArticle(ctx, self, 0, ""))
		var want []string
		for i := 0; i < 8; i++ {
			a := article(fmt.Sprintf("Copy %d", i), kz.ID, now.Add(-2*time.Hour), au, "wheat")
			must(t, db.SaveArticle(ctx, a, 0, ""))
			want = append([]string{a.Title}, want...)
		}
		want = want[:4]
		full, err := db.ArticleByID(ctx, self.ID)
		must(t, err)
		for try := 0; try < 20; try++ {
			rel, err := db.Related(ctx, full, 4, now)
			must(t, err)
			var got []string
			for _, r := range rel {
				got = append(got, r.Title)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("ask %d: related %q, want %q", try, got, want)
			}
		}
	})
}
