package search

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func testSpeller() *Speller {
	return NewSpeller([]WordFreq{
		{"kazakhstan", 900}, {"tashkent", 500}, {"bishkek", 400}, {"pipeline", 300},
		{"казахстан", 700}, {"новости", 600}, {"ташкент", 300}, {"election", 200},
		{"elections", 20}, {"the", 5000},
	})
}

func TestSuggest(t *testing.T) {
	s := testSpeller()
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"Kazakstan", "Kazakhstan", true},
		{"Tashkient pipeline", "Tashkent pipeline", true},
		{"казахтан новсти", "казахстан новости", true},
		{"Ташкнет", "Ташкент", true},
		{`"Kazakstan elections" -Tashkient OR bishkek`, `"Kazakhstan elections" -Tashkent OR bishkek`, true},
		{"KAZAKSTAN", "KAZAKHSTAN", true},
		{"pipelines", "pipelines", false}, // a known word, inflected
		{"Kazakhstan", "Kazakhstan", false},
		{"the xyzzyq 2025", "the xyzzyq 2025", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := s.Suggest(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Suggest(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestDamerauLevenshtein(t *testing.T) {
	cases := []struct {
		a, b string
		d    int
	}{
		{"tashkent", "tashkent", 0}, {"tashkent", "tashknet", 1}, {"kazakstan", "kazakhstan", 1},
		{"abc", "xyz", 3}, {"новсти", "новости", 1}, {"", "ab", 2},
	}
	for _, c := range cases {
		if got := damerauLevenshtein(c.a, c.b, 5); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestScore(t *testing.T) {
	now := time.Date(2025, 3, 26, 0, 0, 0, 0, time.UTC)
	if got := Score(10, now, now); math.Abs(got-13) > 1e-9 {
		t.Errorf("fresh score %v, want 13", got)
	}
	if got := Score(10, now.Add(24*time.Hour), now); math.Abs(got-13) > 1e-9 {
		t.Errorf("future score %v, want 13", got)
	}
	old := Score(10, now.Add(-5*365*24*time.Hour), now)
	if old < 10 || old > 10.01 {
		t.Errorf("five-year-old score %v, want just over 10", old)
	}
	if Score(10, now.Add(-30*24*time.Hour), now) <= Score(10, now.Add(-300*24*time.Hour), now) {
		t.Error("newer story does not rank higher at equal relevance")
	}
	if Score(20, now.Add(-3*365*24*time.Hour), now) <= Score(10, now, now) {
		t.Error("a much better old match loses to a fresh weak one")
	}
}

func TestNDCG(t *testing.T) {
	judged := map[string]int{"a": 3, "b": 2, "c": 0}
	if got := NDCG([]string{"a", "b", "c"}, judged, 3); math.Abs(got-1) > 1e-9 {
		t.Errorf("ideal ranking nDCG %v", got)
	}
	got := NDCG([]string{"c", "b", "a"}, judged, 3)
	want := (3/math.Log2(3) + 7/math.Log2(4)) / (7 + 3/math.Log2(3))
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("reversed nDCG %v, want %v", got, want)
	}
	if NDCG([]string{"a", "a"}, judged, 2) > 1 || NDCG(nil, judged, 5) != 0 || NDCG([]string{"x"}, nil, 5) != 0 {
		t.Error("edge cases")
	}
}

// vocabulary makes n distinct pseudo-words, Latin and Cyrillic.
func vocabulary(n int) []WordFreq {
	syl := []string{"ka", "za", "tash", "kent", "bi", "shek", "an", "ov", "ист", "ан", "ов", "ка", "мир", "зи"}
	out := make([]WordFreq, 0, n)
	for i := 0; len(out) < n; i++ {
		w := ""
		for j := i; ; j /= len(syl) {
			w += syl[j%len(syl)]
			if j < len(syl) {
				break
			}
		}
		out = append(out, WordFreq{fmt.Sprintf("%s%d", w, i%7), n - i})
	}
	return out
}

func BenchmarkNewSpeller100k(b *testing.B) {
	v := vocabulary(100_000)
	for b.Loop() {
		NewSpeller(v)
	}
}

func BenchmarkSuggest100k(b *testing.B) {
	v := append(vocabulary(100_000), WordFreq{"kazakhstan", 10}, WordFreq{"tashkent", 10})
	s := NewSpeller(v)
	b.ResetTimer()
	for b.Loop() {
		s.Suggest("Kazakstan Tashkient pipelinez")
	}
}

func TestSuggestNames(t *testing.T) {
	ruOnly := NewSpeller([]WordFreq{{"токаев", 40}, {"мирзиёев", 30}, {"газопровод", 20}})
	both := NewSpeller([]WordFreq{{"токаев", 40}, {"tokayev", 10}, {"pipeline", 20}})
	cases := []struct {
		s        *Speller
		in, want string
		ok       bool
	}{
		{ruOnly, "Tokayv", "Токаев", true},        // only the Cyrillic spelling is known: its key is near
		{ruOnly, "Mirziyoev", "Mirziyoev", false}, // key mirziev: Мирзиёев as spelt in English
		{ruOnly, "Mirzeyev", "Мирзиеев", true},    // key mirzev, one from mirziev
		{ruOnly, "Tokaev", "Tokaev", false},       // the same key as Токаев: the search finds it as typed
		{both, "Tokayv", "Tokayev", true},
		{both, "Токайв", "Токаев", true}, // the reader's script is kept
		{ruOnly, "Xylophone", "Xylophone", false},
	}
	for _, c := range cases {
		got, ok := c.s.Suggest(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Suggest(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
