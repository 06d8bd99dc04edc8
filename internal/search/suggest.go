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
//
// Names get a second chance: a word with no near vocabulary word is
// compared by its name key (NameKey) with the keys of the vocabulary, so
// Tokayv finds Tokayev, or Токаев when the archive writes it only in
// Cyrillic; the suggestion keeps the reader's script when it can.
type Speller struct {
	words []string
	freq  []int
	known map[string]int32
	stems map[string]bool
	index deletionIndex
	// keys are the name keys of words, each with its words by frequency.
	keys     []string
	keyOf    map[string]int32
	keyWords [][]int32
	keyIndex deletionIndex
}

// deletionIndex finds, among a list of strings, those near a string by
// symmetric deletion (see Speller).
type deletionIndex struct {
	seed    maphash.Seed
	entries []deletion // sorted by hash
}

type deletion struct {
	hash uint64
	word int32
}

// NewSpeller builds a speller from vocab. Words are lowercased; repeated
// words add up their frequencies.
func NewSpeller(vocab []WordFreq) *Speller {
	s := &Speller{known: make(map[string]int32, len(vocab)), stems: map[string]bool{}}
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
	s.index = newDeletionIndex(s.words)
	s.keyOf = map[string]int32{}
	byKey := s.keyOf
	for i, w := range s.words {
		k := NameKey(w)
		if utf8.RuneCountInString(k) < 4 {
			continue
		}
		j, ok := byKey[k]
		if !ok {
			j = int32(len(s.keys))
			byKey[k] = j
			s.keys = append(s.keys, k)
			s.keyWords = append(s.keyWords, nil)
		}
		s.keyWords[j] = append(s.keyWords[j], int32(i))
	}
	for _, ws := range s.keyWords {
		slices.SortFunc(ws, func(a, b int32) int {
			if better(s, int(a), int(b)) {
				return -1
			}
			return 1
		})
	}
	s.keyIndex = newDeletionIndex(s.keys)
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
	if best, ok := s.index.nearest(w, maxD, s.words, func(a, b int) bool { return better(s, a, b) }); ok {
		return s.words[best], true
	}
	return s.correctName(w)
}

// correctName returns the vocabulary word whose name key is nearest to
// w's, in w's script when the archive has one, if w's key is not itself
// known: a name spelt another way is found by the search already.
func (s *Speller) correctName(w string) (string, bool) {
	k := NameKey(w)
	n := utf8.RuneCountInString(k)
	if n < 4 {
		return "", false
	}
	if _, ok := s.keyOf[k]; ok {
		return "", false
	}
	// Keys are looser than words: one edit fewer is allowed.
	best, ok := s.keyIndex.nearest(k, max(1, maxDistance(n)-1), s.keys, func(a, b int) bool {
		return better(s, int(s.keyWords[a][0]), int(s.keyWords[b][0]))
	})
	if !ok {
		return "", false
	}
	ws := s.keyWords[best]
	for _, c := range ws {
		if latin(s.words[c]) == latin(w) {
			return s.words[c], true
		}
	}
	return s.words[ws[0]], true
}

// latin reports whether w starts with a Latin letter.
func latin(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r < 0x250
}

func newDeletionIndex(words []string) deletionIndex {
	x := deletionIndex{seed: maphash.MakeSeed()}
	for i, w := range words {
		x.entries = append(x.entries, deletion{maphash.String(x.seed, w), int32(i)})
		forDeletes(w, func(d string) {
			x.entries = append(x.entries, deletion{maphash.String(x.seed, d), int32(i)})
		})
	}
	slices.SortFunc(x.entries, func(a, b deletion) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return int(a.word - b.word)
	})
	return x
}

// nearest returns the index of the word of words (those x was built
// from) nearest to w, within maxD; at equal distance better decides.
func (x deletionIndex) nearest(w string, maxD int, words []string, better func(a, b int) bool) (int, bool) {
	best, bestD := -1, maxD+1
	seen := map[int32]bool{}
	try := func(d string) {
		h := maphash.String(x.seed, d)
		k, _ := slices.BinarySearchFunc(x.entries, h, func(e deletion, h uint64) int {
			switch {
			case e.hash < h:
				return -1
			case e.hash > h:
				return 1
			}
			return 0
		})
		for ; k < len(x.entries) && x.entries[k].hash == h; k++ {
			c := x.entries[k].word
			if seen[c] {
				continue
			}
			seen[c] = true
			dist := damerauLevenshtein(w, words[c], maxD)
			if dist < bestD || (dist == bestD && best >= 0 && better(int(c), best)) {
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
		return 0, false
	}
	return best, true
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
