package search

import (
	"math"
	"sort"
	"time"
)

// Recency preference: news readers want the recent story first when two
// match about as well, but an old story that matches much better still
// wins. A story published now scores up to 1+RecencyBoost times its text
// relevance; the bonus halves roughly every RecencyScale·ln2 (≈125 days).
const (
	RecencyBoost = 0.3
	RecencyScale = 180 * 24 * time.Hour
)

// Score is the final ranking score of a search result, higher first:
//
//	relevance × (1 + 0.3 × exp(−age / 180 days))
//
// relevance is the engine's text score made positive, larger is better:
// −bm25(...) from FTS5, ts_rank(...) from PostgreSQL. A future publication
// date counts as age zero.
func Score(relevance float64, published, now time.Time) float64 {
	age := max(now.Sub(published), 0)
	return relevance * (1 + RecencyBoost*math.Exp(-float64(age)/float64(RecencyScale)))
}

// NDCG is the normalized discounted cumulative gain at k of a ranking:
// ranked lists result ids best first, judged grades ids (0 irrelevant,
// higher better; unjudged ids count 0). Gain is 2^grade−1, discounted by
// log2(rank+1). It is 0 when no judged id has a positive grade.
func NDCG(ranked []string, judged map[string]int, k int) float64 {
	if k <= 0 {
		return 0
	}
	dcg := 0.0
	seen := map[string]bool{} // a repeated id earns nothing twice
	for i, id := range ranked[:min(k, len(ranked))] {
		if !seen[id] {
			seen[id] = true
			dcg += gain(judged[id]) / math.Log2(float64(i+2))
		}
	}
	grades := make([]int, 0, len(judged))
	for _, g := range judged {
		if g > 0 {
			grades = append(grades, g)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	ideal := 0.0
	for i, g := range grades[:min(k, len(grades))] {
		ideal += gain(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

func gain(grade int) float64 {
	if grade <= 0 {
		return 0
	}
	return math.Exp2(float64(grade)) - 1
}
