package search_test

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// ndcgFloor is just under the mean nDCG@10 both engines reach on the
// relevance set (testdata/relevance); a change to the analyzer or the
// ranking that makes results worse fails here. Raise it as they improve.
const ndcgFloor = 0.83

var relevanceNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

type judgedQuery struct {
	q      string
	judged map[string]int
}

func readTSV(t *testing.T, path string, fn func(fields []string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fn(strings.Split(line, "\t"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// loadCorpus writes the relevance corpus into db and returns the store's
// id of each corpus id.
func loadCorpus(t *testing.T, db *store.DB) map[int64]string {
	ctx := context.Background()
	sec := news.Section{Name: "News"}
	if err := db.SaveSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	au := news.Author{Name: "Staff"}
	if err := db.SaveAuthor(ctx, &au); err != nil {
		t.Fatal(err)
	}
	ids := map[int64]string{}
	readTSV(t, "testdata/relevance/corpus.tsv", func(f []string) {
		if len(f) != 7 {
			t.Fatalf("corpus line has %d fields: %v", len(f), f)
		}
		days, _ := strconv.Atoi(f[2])
		a := &news.Article{Slug: f[0], Lang: f[1], Title: f[4], Standfirst: f[5], BodyHTML: "<p>" + f[6] + "</p>",
			Status: news.StatusPublished, PublishedAt: relevanceNow.Add(-time.Duration(days) * 24 * time.Hour),
			SectionID: sec.ID, Authors: []news.Author{au}}
		for _, tg := range strings.Split(f[3], ",") {
			a.Tags = append(a.Tags, news.Tag{Name: tg})
		}
		if err := db.SaveArticle(ctx, a, 0, ""); err != nil {
			t.Fatal(err)
		}
		ids[a.ID] = f[0]
	})
	return ids
}

func loadQueries(t *testing.T) []judgedQuery {
	var qs []judgedQuery
	readTSV(t, "testdata/relevance/queries.tsv", func(f []string) {
		jq := judgedQuery{q: f[0], judged: map[string]int{}}
		for _, j := range strings.Fields(f[1]) {
			id, g, _ := strings.Cut(j, ":")
			jq.judged[id], _ = strconv.Atoi(g)
		}
		qs = append(qs, jq)
	})
	return qs
}

// TestRelevance ranks the judged queries on each engine and checks the
// mean nDCG@10 against ndcgFloor. Both engines rank with the same field
// weights and recency preference; their top results should agree.
func TestRelevance(t *testing.T) {
	qs := loadQueries(t)
	if len(qs) < 30 {
		t.Fatalf("only %d judged queries", len(qs))
	}
	var mu sync.Mutex
	top := map[string][]string{} // engine -> each query's first result
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := loadCorpus(t, db)
		sum := 0.0
		var firsts []string
		for _, jq := range qs {
			res, err := db.SearchArticles(context.Background(), store.SearchQuery{Query: search.ParseQuery(jq.q), VisibleAt: relevanceNow, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var ranked []string
			for _, r := range res.Results {
				ranked = append(ranked, ids[r.Article.ID])
			}
			n := search.NDCG(ranked, jq.judged, 10)
			if n < 0.7 {
				t.Logf("%-32q nDCG@10 %.3f: %v", jq.q, n, ranked)
			}
			sum += n
			first := ""
			if len(ranked) > 0 {
				first = ranked[0]
			}
			firsts = append(firsts, first)
		}
		mean := sum / float64(len(qs))
		t.Logf("%s: mean nDCG@10 over %d queries = %.4f", db.Engine(), len(qs), mean)
		if mean < ndcgFloor {
			t.Errorf("%s: mean nDCG@10 %.4f is below the floor %.2f", db.Engine(), mean, ndcgFloor)
		}
		mu.Lock()
		top[db.Engine()] = firsts
		mu.Unlock()
	})
	if len(top) == 2 {
		same := 0
		for i := range qs {
			if top["sqlite"][i] == top["postgres"][i] {
				same++
			}
		}
		t.Logf("the engines agree on the first result of %d of %d queries", same, len(qs))
	}
}
