package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

var searchNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type searchCorpus struct {
	kz, opinion news.Section
	a1, a2      news.Author
	ids         map[string]int64 // by a short name
}

// seedSearch writes a small bilingual archive.
func seedSearch(t *testing.T, db *store.DB) *searchCorpus {
	t.Helper()
	ctx := context.Background()
	_, kz, opinion, a1, a2 := seed(t, db)
	c := &searchCorpus{kz: kz, opinion: opinion, a1: a1, a2: a2, ids: map[string]int64{}}
	add := func(key, lang, title, standfirst, body string, sec news.Section, au news.Author, age time.Duration, status news.Status, tags ...string) {
		a := &news.Article{Title: title, Standfirst: standfirst, BodySource: body, BodyFormat: news.FormatHTML,
			BodyHTML: "<p>" + body + "</p>", Lang: lang, Status: status, PublishedAt: searchNow.Add(-age),
			SectionID: sec.ID, Authors: []news.Author{au}}
		for _, tg := range tags {
			a.Tags = append(a.Tags, news.Tag{Name: tg})
		}
		must(t, db.SaveArticle(ctx, a, 0, ""))
		c.ids[key] = a.ID
	}
	day := 24 * time.Hour
	pub := news.StatusPublished
	add("pipeline", "en", "Kazakhstan approves new gas pipeline to China", "The line will carry gas east.",
		"The government approved the pipeline on Monday. Construction starts in spring.", kz, a1, 2*day, pub, "Energy", "China")
	add("pipelines", "en", "Pipelines and politics", "An essay.",
		"Energy pipelines remain central to the region. President Tokayev spoke about exports.", opinion, a2, 10*day, pub, "Energy")
	add("wheat", "en", "Wheat harvest breaks record", "Farmers rejoice.",
		"The wheat harvest in the north was the largest in a decade, officials said.", kz, a1, 30*day, pub, "Agriculture")
	add("ru-pipe", "ru", "Казахстан строит новый газопровод", "Трубопровод пройдёт через степь.",
		"Строительство газопровода начнётся весной. Президент Токаев одобрил проект.", kz, a2, 3*day, pub, "Energy")
	add("ru-yo", "ru", "Ёмкость водохранилищ сократилась", "Засуха.",
		"Ёмкость водохранилища упала из-за засухи, сообщили в министерстве.", kz, a1, 5*day, pub, "Water")
	add("central", "en", "Central bank holds rates", "Inflation slows.",
		"The central bank kept its base rate, citing slower inflation, a record harvest and a stable currency.", kz, a2, 40*day, pub, "Banking")
	add("scheduled", "en", "Future pipeline deal", "Not yet.",
		"A pipeline story scheduled for tomorrow.", kz, a1, -day, news.StatusScheduled)
	add("draft", "en", "Draft about a pipeline", "Not yet.", "A pipeline draft.", kz, a1, 4*day, news.StatusDraft)
	locked := &news.Article{Title: "Members only", BodyHTML: "<p>The secret pipeline.</p>", Password: "sesame", Lang: "en",
		Status: pub, PublishedAt: searchNow.Add(-day), SectionID: kz.ID, Authors: []news.Author{a1}}
	must(t, db.SaveArticle(ctx, locked, 0, ""))
	return c
}

func searchIDs(t *testing.T, db *store.DB, raw string, edit ...func(*store.SearchQuery)) ([]int64, int) {
	t.Helper()
	sq := store.SearchQuery{Query: search.ParseQuery(raw), VisibleAt: searchNow, Limit: 50}
	for _, e := range edit {
		e(&sq)
	}
	res, err := db.SearchArticles(context.Background(), sq)
	if err != nil {
		t.Fatalf("search %q: %v", raw, err)
	}
	var ids []int64
	for _, r := range res.Results {
		ids = append(ids, r.Article.ID)
	}
	return ids, res.Total
}

func TestSearchMatching(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := seedSearch(t, db)
		id := c.ids
		cases := []struct {
			query string
			want  []string // in any order
		}{
			{"pipeline", []string{"pipeline", "pipelines"}},          // stems; drafts and future stories hidden
			{"PIPELINES", []string{"pipeline", "pipelines"}},         // case
			{"газопроводы", []string{"ru-pipe"}},                     // Russian stemming
			{"газопровода строительство", []string{"ru-pipe"}},       // all words must match
			{"емкость", []string{"ru-yo"}},                           // ё matches е
			{"Ёмкость", []string{"ru-yo"}},                           //
			{"Tokayev", []string{"pipelines", "ru-pipe"}},            // Latin finds Cyrillic
			{"Токаев", []string{"pipelines", "ru-pipe"}},             // and back
			{`"gas pipeline"`, []string{"pipeline"}},                 // phrase
			{`"pipeline gas"`, nil},                                  // word order matters in a phrase
			{"pipeline -china", []string{"pipelines"}},               // exclusion, tags included
			{`pipeline -"gas pipeline"`, []string{"pipelines"}},      // excluded phrase
			{`"gas pipeline" china`, []string{"pipeline"}},           // phrase and word
			{`"approves new gas pipeline"`, []string{"pipeline"}},    // longer phrase
			{`"approves gas pipeline"`, nil},                         // every word in its place
			{`"record harvest"`, []string{"central"}},                // not "harvest breaks record"
			{`"holds rates inflation"`, nil},                         // no phrase across fields (title, standfirst)
			{"wheat OR inflation", []string{"wheat", "central"}},     // OR
			{"energy", []string{"pipeline", "pipelines", "ru-pipe"}}, // tags are searched
			{"-pipeline", nil},                                       // exclusions alone find nothing
			{"", nil},
			{`'; DROP TABLE articles;--`, nil},
			{`NEAR(pipeline gas) title:x* ^"`, nil},
			{`"record harvest" OR "gas pipeline"`, []string{"central", "pipeline"}},
		}
		for _, tc := range cases {
			got, total := searchIDs(t, db, tc.query)
			var want []int64
			for _, k := range tc.want {
				want = append(want, id[k])
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) || total != len(want) {
				t.Errorf("%q: got %v (total %d), want %v", tc.query, got, total, tc.want)
			}
		}
	})
}

func TestSearchFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := seedSearch(t, db)
		ctx := context.Background()
		energy, err := db.TagBySlug(ctx, "energy")
		must(t, err)
		china, err := db.TagBySlug(ctx, "china")
		must(t, err)
		cases := []struct {
			name  string
			query string
			edit  func(*store.SearchQuery)
			want  []string
		}{
			{"section", "pipeline", func(q *store.SearchQuery) { q.SectionIDs = []int64{c.opinion.ID} }, []string{"pipelines"}},
			{"tag", "pipeline", func(q *store.SearchQuery) { q.TagID = china.ID }, []string{"pipeline"}},
			{"author", "energy", func(q *store.SearchQuery) { q.AuthorID = c.a2.ID }, []string{"pipelines", "ru-pipe"}},
			{"lang", "Tokayev", func(q *store.SearchQuery) { q.Lang = "ru" }, []string{"ru-pipe"}},
			{"from", "pipeline", func(q *store.SearchQuery) { q.From = searchNow.Add(-5 * 24 * time.Hour) }, []string{"pipeline"}},
			{"to", "pipeline", func(q *store.SearchQuery) { q.To = searchNow.Add(-5 * 24 * time.Hour) }, []string{"pipelines"}},
			{"combined", "energy", func(q *store.SearchQuery) {
				q.TagID, q.Lang, q.SectionIDs = energy.ID, "en", []int64{c.kz.ID}
			}, []string{"pipeline"}},
			{"visible later", "pipeline", func(q *store.SearchQuery) { q.VisibleAt = searchNow.Add(48 * time.Hour) }, []string{"pipeline", "pipelines", "scheduled"}},
		}
		for _, tc := range cases {
			got, total := searchIDs(t, db, tc.query, tc.edit)
			var want []int64
			for _, k := range tc.want {
				want = append(want, c.ids[k])
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) || total != len(want) {
				t.Errorf("%s: got %v (total %d), want %v", tc.name, got, total, tc.want)
			}
		}
	})
}

// A Partial search of several words that finds fewer than a page ranks
// the articles matching most of the words first, then by relevance.
func TestSearchPartial(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := seedSearch(t, db)
		partial := func(q *store.SearchQuery) { q.Partial = true }
		// No article has all four words: the one with three leads, then
		// those with one.
		if strict, _ := searchIDs(t, db, "gas pipeline china harvest"); len(strict) != 0 {
			t.Errorf("every word: %v", strict)
		}
		got, total := searchIDs(t, db, "gas pipeline china harvest", partial)
		if total != 4 || got[0] != c.ids["pipeline"] {
			t.Errorf("partial: %v (total %d)", got, total)
		}
		// The one full match leads, though the other has harvest in its title.
		got, total = searchIDs(t, db, "harvest inflation rates", partial)
		if total != 2 || got[0] != c.ids["central"] || got[1] != c.ids["wheat"] {
			t.Errorf("full match first: %v (total %d)", got, total)
		}
		// Enough full matches: only they are shown.
		got, total = searchIDs(t, db, "gas pipeline", func(q *store.SearchQuery) { q.Partial, q.Limit = true, 1 })
		if total != 1 || got[0] != c.ids["pipeline"] {
			t.Errorf("full matches fill the page: %v (total %d)", got, total)
		}
	})
}

func TestSearchRankingAndDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := seedSearch(t, db)
		// The title match wins over a body-only match.
		got, _ := searchIDs(t, db, "wheat harvest")
		if len(got) != 1 || got[0] != c.ids["wheat"] {
			t.Errorf("wheat harvest: %v", got)
		}
		got, _ = searchIDs(t, db, "harvest")
		if len(got) != 2 || got[0] != c.ids["wheat"] {
			t.Errorf("harvest: the title match should lead: %v", got)
		}
		got, _ = searchIDs(t, db, "energy", func(q *store.SearchQuery) { q.SortByDate = true })
		want := []int64{c.ids["pipeline"], c.ids["ru-pipe"], c.ids["pipelines"]}
		if !slices.Equal(got, want) {
			t.Errorf("by date: %v, want %v", got, want)
		}
	})
}

func TestSearchUpdatesIndexInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := seedSearch(t, db)
		ctx := context.Background()
		a, err := db.ArticleByID(ctx, c.ids["wheat"])
		must(t, err)
		a.Title = "Barley harvest breaks record"
		a.BodyHTML = "<p>The barley harvest was large.</p>"
		must(t, db.SaveArticle(ctx, &a, 0, ""))
		if got, _ := searchIDs(t, db, "wheat"); len(got) != 0 {
			t.Errorf("old words still found: %v", got)
		}
		if got, _ := searchIDs(t, db, "barley"); len(got) != 1 {
			t.Errorf("new words not found: %v", got)
		}
		a.Status = news.StatusTrash
		must(t, db.SaveArticle(ctx, &a, 0, ""))
		if got, _ := searchIDs(t, db, "barley"); len(got) != 0 {
			t.Errorf("trashed article found: %v", got)
		}
	})
}

// TestSearchPagesAndCounts pages through 45 matches 10 at a time: every
// page reports the same total and together they list each match once.
func TestSearchPagesAndCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, kz, _, a1, _ := seed(t, db)
		ctx := context.Background()
		var batch []*news.Article
		for i := range 60 {
			word := "cotton"
			if i%4 == 3 {
				word = "silk"
			}
			batch = append(batch, &news.Article{Title: fmt.Sprintf("Story %d about %s", i, word), BodyHTML: "<p>Fields of " + word + ".</p>",
				Lang: "en", Status: news.StatusPublished, PublishedAt: searchNow.Add(-time.Duration(i) * time.Hour),
				UpdatedAt: searchNow, SectionID: kz.ID, Authors: []news.Author{a1}})
		}
		must(t, db.ImportArticles(ctx, batch))
		for _, byDate := range []bool{false, true} {
			seen := map[int64]bool{}
			for page := 0; page < 6; page++ {
				res, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("cotton"), VisibleAt: searchNow,
					SortByDate: byDate, Limit: 10, Offset: page * 10})
				must(t, err)
				if res.Total != 45 {
					t.Fatalf("page %d: total %d, want 45", page+1, res.Total)
				}
				wantLen := min(10, max(45-page*10, 0))
				if len(res.Results) != wantLen {
					t.Fatalf("page %d: %d results, want %d", page+1, len(res.Results), wantLen)
				}
				for _, r := range res.Results {
					if seen[r.Article.ID] {
						t.Fatalf("article %d on two pages", r.Article.ID)
					}
					seen[r.Article.ID] = true
					if len(r.Article.Authors) != 1 || !strings.Contains(r.BodyText, "cotton") {
						t.Fatalf("result lacks byline or body: %+v", r)
					}
				}
			}
			if len(seen) != 45 {
				t.Errorf("pages listed %d articles, want 45", len(seen))
			}
		}
	})
}

// TestSearchSameOnBothEngines runs queries over the same archive on each
// engine: they find the same articles, and by date in the same order.
func TestSearchSameOnBothEngines(t *testing.T) {
	queries := []string{"pipeline", "газопровод", "Tokayev", `"gas pipeline"`, "pipeline -china", "wheat OR inflation", "energy", "емкость"}
	var mu sync.Mutex
	found := map[string]map[string][]string{} // engine -> query -> titles
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedSearch(t, db)
		byQuery := map[string][]string{}
		for _, q := range queries {
			res, err := db.SearchArticles(context.Background(), store.SearchQuery{Query: search.ParseQuery(q), VisibleAt: searchNow, SortByDate: true, Limit: 20})
			must(t, err)
			for _, r := range res.Results {
				byQuery[q] = append(byQuery[q], r.Article.Title)
			}
		}
		mu.Lock()
		found[db.Engine()] = byQuery
		mu.Unlock()
	})
	if len(found) < 2 {
		t.Skip("needs both engines")
	}
	for _, q := range queries {
		if !slices.Equal(found["sqlite"][q], found["postgres"][q]) {
			t.Errorf("%q: sqlite %v, postgres %v", q, found["sqlite"][q], found["postgres"][q])
		}
	}
}

func TestPlainTextForSnippets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, kz, _, a1, _ := seed(t, db)
		ctx := context.Background()
		a := &news.Article{Title: "Caption test", BodyHTML: `<p>First &amp; foremost.</p><script>bad()</script>[caption id="attachment_1" width="800"]<img src="x.jpg"> A steppe.[/caption]<p>Last [not a shortcode!] line.</p>`,
			Lang: "en", Status: news.StatusPublished, PublishedAt: searchNow.Add(-time.Hour), SectionID: kz.ID, Authors: []news.Author{a1}}
		must(t, db.SaveArticle(ctx, a, 0, ""))
		res, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("steppe"), VisibleAt: searchNow})
		must(t, err)
		if len(res.Results) != 1 {
			t.Fatalf("results: %d", len(res.Results))
		}
		body := res.Results[0].BodyText
		for _, bad := range []string{"<", "caption", "bad()", "&amp;"} {
			if strings.Contains(body, bad) {
				t.Errorf("body text %q contains %q", body, bad)
			}
		}
		for _, good := range []string{"First & foremost.", "A steppe.", "[not a shortcode!]"} {
			if !strings.Contains(body, good) {
				t.Errorf("body text %q lacks %q", body, good)
			}
		}
	})
}

func TestReindex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedSearch(t, db)
		before, _ := searchIDs(t, db, "pipeline OR газопровод")
		var calls, last int
		must(t, db.Reindex(context.Background(), 3, func(done, total int) { calls, last = calls+1, done }))
		if calls == 0 || last != 9 {
			t.Errorf("progress: %d calls, last %d", calls, last)
		}
		after, _ := searchIDs(t, db, "pipeline OR газопровод")
		if !slices.Equal(before, after) || len(after) != 3 {
			t.Errorf("before %v, after %v", before, after)
		}
	})
}

// The speller's vocabulary comes from the newest titles readers may see,
// as many as asked for, newest first: drafts and stories scheduled for
// later are not among them, and older titles past the limit are not read.
func TestTitleWordsReadTheNewestVisible(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Date(2026, 3, 26, 12, 0, 0, 0, time.UTC)
		for i, title := range []string{"Oldest harvest", "Older pipeline", "Newer election", "Newest tariff"} {
			must(t, db.SaveArticle(ctx, article(title, kz.ID, now.Add(-time.Duration(10-i)*time.Hour), []news.Author{a1}), 0, ""))
		}
		draft := article("Draft referendum", kz.ID, now.Add(-time.Minute), []news.Author{a1})
		draft.Status = news.StatusDraft
		must(t, db.SaveArticle(ctx, draft, 0, ""))
		later := article("Scheduled summit", kz.ID, now.Add(time.Hour), []news.Author{a1})
		later.Status = news.StatusScheduled
		must(t, db.SaveArticle(ctx, later, 0, ""))
		titles := func(limit int) []string {
			var got []string
			must(t, db.TitleWords(ctx, now, limit, func(title string) { got = append(got, title) }))
			return got
		}
		if got := titles(3); fmt.Sprint(got) != "[Newest tariff Newer election Older pipeline]" {
			t.Errorf("the 3 newest titles: %q", got)
		}
		if got := titles(100); len(got) != 4 || got[3] != "Oldest harvest" {
			t.Errorf("every visible title: %q", got)
		}
	})
}

// A search with a count limit stops counting past it (Total is then the
// limit plus one) and ranks and pages its matches as one without: by
// relevance, by date from either end, in every language or one, alike on
// both engines.
func TestSearchCountLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, kz, _, a1, _ := seed(t, db)
		now := time.Now()
		for i := 0; i < 12; i++ {
			title := fmt.Sprintf("Story %d about a pipeline", i)
			if i == 3 {
				title = "Pipeline pipeline pipeline"
			}
			must(t, db.SaveArticle(ctx, article(title, kz.ID, now.Add(-time.Duration(i)*time.Hour), []news.Author{a1}), 0, ""))
		}
		draft := article("Draft pipeline", kz.ID, now.Add(-time.Minute), []news.Author{a1})
		draft.Status = news.StatusDraft
		must(t, db.SaveArticle(ctx, draft, 0, ""))
		titles := func(r store.SearchResults) []string {
			var out []string
			for _, res := range r.Results {
				out = append(out, res.Article.Title)
			}
			return out
		}
		for _, lang := range []string{"", "en"} {
			for _, byDate := range []bool{false, true} {
				for _, offset := range []int{0, 4, 8} {
					q := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: now, Limit: 4, Offset: offset, Lang: lang, SortByDate: byDate}
					all, err := db.SearchArticles(ctx, q)
					must(t, err)
					q.CountLimit = 5
					capped, err := db.SearchArticles(ctx, q)
					must(t, err)
					name := fmt.Sprintf("lang %q, by date %v, offset %d", lang, byDate, offset)
					if all.Total != 12 || capped.Total != 6 {
						t.Errorf("%s: totals %d and %d, want 12 counted in all and 6 (past the limit of 5)", name, all.Total, capped.Total)
					}
					if fmt.Sprint(titles(all)) != fmt.Sprint(titles(capped)) || len(capped.Results) != 4 {
						t.Errorf("%s: with a count limit %q, without %q", name, titles(capped), titles(all))
					}
				}
			}
		}
		q := store.SearchQuery{Query: search.ParseQuery("pipeline"), VisibleAt: now, Limit: 4, CountLimit: 20}
		r, err := db.SearchArticles(ctx, q)
		must(t, err)
		if r.Total != 12 || r.Results[0].Article.Title != "Pipeline pipeline pipeline" {
			t.Errorf("under the limit: total %d, first %q; want 12, the best match first", r.Total, r.Results[0].Article.Title)
		}
	})
}
