package search

import (
	"hash/maphash"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WordFreq is one word of the speller's vocabulary and how often it occurs.
type WordFreq struct {
	Word string
	Freq int
}

// Speller proposes corrections ("Did you mean …") from a vocabulary of
// words readers will recognise, such as the words of published titles.
//
// Lookup is by symmetric deletion: every vocabulary word is indexed with
// each of its one-letter deletions; a query word's deletions (up to the
// allowed distance) are looked up there and the candidates checked by true
// Damerau-Levenshtein distance. This finds every word within distance 1,
// and at distance 2 all but two substitutions or two dropped letters.
type Speller struct {
	words []string
	freq  []int
	known map[string]int32
	stems map[string]bool
	seed  maphash.Seed
	index []deletion // sorted by hash
}

type deletion struct {
	hash uint64
	word int32
}

// NewSpeller builds a speller from vocab. Words are lowercased; repeated
// words add up their frequencies.
func NewSpeller(vocab []WordFreq) *Speller {
	s := &Speller{known: make(map[string]int32, len(vocab)), stems: map[string]bool{}, seed: maphash.MakeSeed()}
	for _, wf := range vocab {
		w := spellerKey(wf.Word)
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		if i, ok := s.known[w]; ok {
			s.freq[i] += wf.Freq
			continue
		}
		s.known[w] = int32(len(s.words))
		s.words = append(s.words, w)
		s.freq = append(s.freq, wf.Freq)
		for _, t := range analyze(w, false) {
			s.stems[t.Term] = true
		}
	}
	for i, w := range s.words {
		s.index = append(s.index, deletion{maphash.String(s.seed, w), int32(i)})
		forDeletes(w, func(d string) {
			s.index = append(s.index, deletion{maphash.String(s.seed, d), int32(i)})
		})
	}
	slices.SortFunc(s.index, func(a, b deletion) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return int(a.word - b.word)
	})
	return s
}

// spellerKey is the form words are compared in: lowercase, ё as е.
func spellerKey(w string) string {
	return strings.ReplaceAll(strings.ToLower(w), "ё", "е")
}

// forDeletes calls f with every string made by deleting one rune of w.
func forDeletes(w string, f func(string)) {
	for i, r := range w {
		f(w[:i] + w[i+utf8.RuneLen(r):])
	}
}

// maxDistance is the edit distance allowed for a word of n runes.
func maxDistance(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

// Suggest returns raw with each unknown word replaced by the most frequent
// vocabulary word at the least distance, keeping quotes, minus signs and
// OR. It reports false when it would change nothing.
func (s *Speller) Suggest(raw string) (string, bool) {
	raw = sanitize(raw)
	var b strings.Builder
	changed := false
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRuneInString(raw[i:])
		if !unicode.IsLetter(r) {
			b.WriteRune(r)
			i += size
			continue
		}
		j := i
		for j < len(raw) {
			r, size := utf8.DecodeRuneInString(raw[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += size
		}
		word := raw[i:j]
		i = j
		if fix, ok := s.correct(word); ok {
			b.WriteString(matchCase(fix, word))
			changed = true
			continue
		}
		b.WriteString(word)
	}
	if !changed {
		return raw, false
	}
	return b.String(), true
}

// correct returns the correction of one word, if it needs one.
func (s *Speller) correct(word string) (string, bool) {
	if word == "OR" {
		return "", false
	}
	w := spellerKey(word)
	maxD := maxDistance(utf8.RuneCountInString(w))
	if maxD == 0 {
		return "", false
	}
	if _, ok := s.known[w]; ok {
		return "", false
	}
	toks := analyze(w, false)
	if len(toks) != 1 || s.stems[toks[0].Term] {
		return "", false // a stop word, a number, or a known word inflected
	}
	best, bestD := -1, maxD+1
	seen := map[int32]bool{}
	try := func(d string) {
		h := maphash.String(s.seed, d)
		k, _ := slices.BinarySearchFunc(s.index, h, func(e deletion, h uint64) int {
			switch {
			case e.hash < h:
				return -1
			case e.hash > h:
				return 1
			}
			return 0
		})
		for ; k < len(s.index) && s.index[k].hash == h; k++ {
			c := s.index[k].word
			if seen[c] {
				continue
			}
			seen[c] = true
			dist := damerauLevenshtein(w, s.words[c], maxD)
			if dist < bestD || (dist == bestD && best >= 0 && better(s, int(c), best)) {
				best, bestD = int(c), dist
			}
		}
	}
	try(w)
	forDeletes(w, func(d1 string) {
		try(d1)
		if maxD > 1 {
			forDeletes(d1, try)
		}
	})
	if best < 0 || bestD > maxD {
		return "", false
	}
	return s.words[best], true
}

// better reports whether word a beats b at equal distance.
func better(s *Speller, a, b int) bool {
	if s.freq[a] != s.freq[b] {
		return s.freq[a] > s.freq[b]
	}
	return s.words[a] < s.words[b]
}

// matchCase gives fix the capitalisation of orig.
func matchCase(fix, orig string) string {
	if strings.ToUpper(orig) == orig && utf8.RuneCountInString(orig) > 1 {
		return strings.ToUpper(fix)
	}
	r, _ := utf8.DecodeRuneInString(orig)
	if unicode.IsUpper(r) {
		f, size := utf8.DecodeRuneInString(fix)
		return string(unicode.ToUpper(f)) + fix[size:]
	}
	return fix
}

// damerauLevenshtein is the optimal-string-alignment distance of a and b,
// or limit+1 when it is over limit.
func damerauLevenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}
