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
	"unicode"
	"unicode/utf8"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// ndcgFloor is just under the mean nDCG@10 both engines reach on the
// relevance set (testdata/relevance); a change to the analyzer or the
// ranking that makes results worse fails here. Raise it as they improve.
const ndcgFloor = 0.90

var relevanceNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

type judgedQuery struct {
	q      string
	group  string // words, misspelling, question or name
	judged map[string]int
}

// groupFloors are just under the mean nDCG@10 of each group of queries on
// both engines: readers' misspellings, questions and names in either
// script must keep finding what they look for.
var groupFloors = map[string]float64{"words": 0.90, "misspelling": 0.90, "question": 0.70, "name": 0.90}

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

// corpusSpeller is the speller the site would build from the corpus's
// titles: their words of three letters or more.
func corpusSpeller(t *testing.T) *search.Speller {
	counts := map[string]int{}
	readTSV(t, "testdata/relevance/corpus.tsv", func(f []string) {
		for _, w := range strings.FieldsFunc(f[4], func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(w) >= 3 {
				counts[strings.ToLower(w)]++
			}
		}
	})
	var vocab []search.WordFreq
	for w, n := range counts {
		vocab = append(vocab, search.WordFreq{Word: w, Freq: n})
	}
	return search.NewSpeller(vocab)
}

// searchAsReaders searches as the search page does: partial matches when
// full ones are few, and the speller's correction when the query as
// typed finds fewer than three and the correction more.
func searchAsReaders(t *testing.T, db *store.DB, sp *search.Speller, q string) store.SearchResults {
	run := func(q string) store.SearchResults {
		res, err := db.SearchArticles(context.Background(), store.SearchQuery{Query: search.ParseQuery(q), VisibleAt: relevanceNow, Limit: 10, Partial: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run(q)
	if res.Full < 3 {
		if fix, ok := sp.Suggest(q); ok {
			if fixed := run(fix); fixed.Full > res.Full || fixed.Total > res.Total {
				return fixed
			}
		}
	}
	return res
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
		jq := judgedQuery{q: f[0], group: "words", judged: map[string]int{}}
		if len(f) > 2 {
			jq.group = f[2]
		}
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
		sp := corpusSpeller(t)
		sum := 0.0
		groupSum, groupN := map[string]float64{}, map[string]int{}
		var firsts []string
		for _, jq := range qs {
			res := searchAsReaders(t, db, sp, jq.q)
			var ranked []string
			for _, r := range res.Results {
				ranked = append(ranked, ids[r.Article.ID])
			}
			n := search.NDCG(ranked, jq.judged, 10)
			if n < 0.7 {
				t.Logf("%-32q nDCG@10 %.3f: %v", jq.q, n, ranked)
			}
			sum += n
			groupSum[jq.group] += n
			groupN[jq.group]++
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
		for g, floor := range groupFloors {
			if groupN[g] == 0 {
				t.Errorf("no judged queries in the group %s", g)
				continue
			}
			m := groupSum[g] / float64(groupN[g])
			t.Logf("%s: %-11s nDCG@10 over %2d queries = %.4f", db.Engine(), g, groupN[g], m)
			if m < floor {
				t.Errorf("%s: %s nDCG@10 %.4f is below the floor %.2f", db.Engine(), g, m, floor)
			}
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
