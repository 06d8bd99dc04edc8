package search

import (
	"bytes"
	"math"
	"math/rand"
	"testing"
)

// A document's tags counted into its record afterwards (as the one writer
// does, after the preparing workers counted the rest) make the record of
// all four fields counted at once.
func TestAddTermsIsDocTerms(t *testing.T) {
	cols := [4]string{IndexText("Tokayev opens the Caspian pipeline"), IndexText("Gas will flow east."),
		IndexText("Energy\nCaspian\nPipelines"), IndexText("The pipeline carries gas from the Caspian to China. Tokayev spoke.")}
	var c TermCounts
	for _, i := range []int{0, 1, 3} {
		c.Add(cols[i], FieldWeights[i])
	}
	got := AddTerms(c.Encode(), cols[2], FieldWeights[2])
	if want := DocTerms(cols); !bytes.Equal(got, want) {
		t.Errorf("tags added afterwards: %x\nall at once: %x", got, want)
	}
	if empty := AddTerms(c.Encode(), "", FieldWeights[2]); !bytes.Equal(empty, c.Encode()) {
		t.Error("no tags changed the record")
	}
}

// Relevance is bm25 of the field-weighted frequencies, as FTS5 computes
// it, and counts the clauses a document matches.
func TestRelevanceIsBM25(t *testing.T) {
	rec := DocTerms([4]string{IndexText("Pipeline"), "", "", IndexText("A pipeline and a pipeline to China")})
	r, ok := ParseQuery("pipeline harvest").Ranking()
	if !ok || len(r.Terms()) != 4 { // each word's stem and name key
		t.Fatalf("ranking %v, %v", r.Terms(), ok)
	}
	idf := []float64{2, 3, 5, 7}
	rel, matched := r.Relevance(rec, idf, 4)
	// The document: 6 terms (pipelin twice, the key ~pipeline once, china,
	// and the title's pipelin with its key). pipelin weighs 10+1+1, ~pipeline 10.
	norm := 1.2 * (1 - 0.75 + 0.75*6/4.0)
	want := 2*12*2.2/(12+norm) + 3*10*2.2/(10+norm)
	if math.Abs(rel-want) > 1e-12 || matched != 1 {
		t.Errorf("relevance %v matching %d clauses, want %v and 1", rel, matched, want)
	}
	if _, ok := ParseQuery(`"gas pipeline" china`).Ranking(); ok {
		t.Error("a phrase is ranked from records without positions")
	}
}

// A record narrowed to a query's terms scores as the whole record, for
// every kind of query the records rank; nil stays nil.
func TestNarrowScoresAsWholeRecord(t *testing.T) {
	rec := DocTerms([4]string{IndexText("Tokayev opens the Caspian pipeline"), IndexText("Gas will flow east."),
		IndexText("Energy\nCaspian\nPipelines"), IndexText("The pipeline carries gas from the Caspian to China. Tokayev spoke, and Токаев.")})
	for _, q := range []string{"pipeline", "energy pipeline", "Токаев gas", "wheat OR caspian -russia", "harvest", "pipeline pipelines"} {
		r, ok := ParseQuery(q).Ranking()
		if !ok {
			t.Fatalf("%q: no ranking", q)
		}
		idf := make([]float64, len(r.Terms()))
		for i := range idf {
			idf[i] = float64(i + 1)
		}
		narrow := Narrow(rec, r.Wanted())
		if len(narrow) >= len(rec) {
			t.Errorf("%q: narrowed to %d bytes of %d", q, len(narrow), len(rec))
		}
		rel, matched := r.Relevance(rec, idf, 7)
		nrel, nmatched := r.Relevance(narrow, idf, 7)
		if rel != nrel || matched != nmatched {
			t.Errorf("%q: narrowed record scores %v (%d clauses), whole %v (%d)", q, nrel, nmatched, rel, matched)
		}
	}
	if Narrow(nil, []byte{1, 2, 3, 4}) != nil {
		t.Error("no record narrowed to one")
	}
}

// The window's scores, counted straight from an index's frequencies, are
// those of the records CountedRecord makes from the same frequencies:
// repeated terms (a name's key from both scripts), absent ones and
// frequencies past a record's byte included.
func TestCountedRelevanceIsRecordsRelevance(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, text := range []string{"energy pipeline", "Tokayev Токаев oil", "kazakhstan oil exports", "oil OR gas OR oil"} {
		q := ParseQuery(text)
		for _, loose := range []bool{false, true} {
			if loose {
				q = q.Loose()
			}
			rk, ok := q.Ranking()
			if !ok {
				t.Fatalf("%q: no ranking", text)
			}
			idf := make([]float64, len(rk.Terms()))
			for i := range idf {
				idf[i] = rng.Float64() * 5
			}
			for range 500 {
				freqs := make([]int, len(idf))
				for i := range freqs {
					freqs[i] = []int{0, 0, 1, 3, 10, 254, 255, 256, 1000}[rng.Intn(9)]
				}
				freq := func(i int) int { return freqs[i] }
				length := rng.Intn(3000)
				wantRel, wantMatched := rk.Relevance(CountedRecord(rk.Phrases(), length, freq), idf, 400)
				rel, matched := rk.CountedRelevance(length, freq, idf, 400)
				if rel != wantRel || matched != wantMatched {
					t.Fatalf("%q freqs %v length %d: %v, %d; the record's %v, %d", text, freqs, length, rel, matched, wantRel, wantMatched)
				}
			}
		}
	}
}
