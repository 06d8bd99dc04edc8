// Package search turns text into the terms Dastan indexes and queries into
// the match expressions of SQLite FTS5 and PostgreSQL full-text search.
//
// The analyzer lives here, in Go, so that both engines index and query the
// very same terms: a query finds the same articles on either database.
package search

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
	"golang.org/x/text/unicode/norm"
)

// MaxTokenLen is the longest word, in runes, that is indexed; longer runs
// of letters are identifiers, hashes or garbage and are skipped.
const MaxTokenLen = 64

// Token is one indexed word of a text.
type Token struct {
	Term       string   // folded, stemmed form: what is stored and matched
	Pos        int      // position among the text's tokens, from 0; stop words take none
	Start, End int      // byte offsets of the word in the original text
	Keys       []string // name keys ("~tokaev") matched across scripts; see NameKey. Shared: do not modify
}

// Analyze splits text into tokens: words of Unicode letters and digits,
// lowercased, diacritics folded (ё→е, й kept), stop words dropped and
// stemmed with Snowball (Russian for Cyrillic words, English for Latin).
// Capitalised words, which may be names, also carry name keys.
func Analyze(text string) []Token {
	return analyze(text, false)
}

// Terms returns the stems of text in order.
func Terms(text string) []string {
	toks := Analyze(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

type script uint8

const (
	scriptOther script = iota
	scriptLatin
	scriptCyrillic
)

// analyze is Analyze; with allKeys every word carries name keys, as query
// words do, since readers type names in lower case.
func analyze(text string, allKeys bool) []Token {
	var toks []Token
	scan(text, allKeys, func(tok Token) { toks = append(toks, tok) })
	return toks
}

// scan calls emit with each token of text, in order.
func scan(text string, allKeys bool, emit func(Token)) {
	var key []byte
	pos := 0
	for i := 0; ; {
		start, end, next := nextWord(text, i)
		if start < 0 {
			return
		}
		i = next
		word := text[start:end]
		w := wordOf(word, &key)
		if w == nil || w.stop {
			continue
		}
		tok := Token{Term: w.stem, Pos: pos, Start: start, End: end}
		if allKeys || startsUpper(word) {
			tok.Keys = w.keys
		}
		emit(tok)
		pos++
	}
}

// nextWord returns the byte range of the first word of text at or after
// i, an English possessive left out ("Tokayev's" is Tokayev), and where
// the word ended with it (the next word's search starts there); start is
// -1 when no word is left.
func nextWord(text string, i int) (start, end, next int) {
	for i < len(text) {
		var r rune
		var size int
		if c := text[i]; c < utf8.RuneSelf {
			r, size = rune(c), 1
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !isWordStart(r, size) {
			i += size
			continue
		}
		next = wordEnd(text, i)
		return i, next - possessiveLen(text[i:next]), next
	}
	return -1, len(text), len(text)
}

// wordOf returns what analysis makes of word, or nil when it is no token
// (nothing is left of it once folded, or it is longer than MaxTokenLen);
// *key is scratch space for its folded form, kept for the next word.
func wordOf(word string, key *[]byte) *wordInfo {
	k, n := foldKey((*key)[:0], word)
	*key = k
	if n == 0 || n > MaxTokenLen {
		return nil
	}
	return words.lookup(k, func() []rune { return []rune(string(k)) })
}

func isWordStart(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if r == utf8.RuneError && size <= 1 {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == 'ʻ' || r == '`'
}

// wordEnd returns the end of the word starting at i: letters, digits,
// combining marks, and apostrophes between letters (O'Brien, Oʻzbekiston).
// Hyphens separate words: Нур-Султан is нур and султан.
func wordEnd(text string, i int) int {
	for i < len(text) {
		if c := text[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			i++ // most of news text: letters and digits of ASCII
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return i
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r):
			i += size
		case isApostrophe(r):
			next, _ := utf8.DecodeRuneInString(text[i+size:])
			if i+size < len(text) && unicode.IsLetter(next) {
				i += size
				continue
			}
			return i
		default:
			return i
		}
	}
	return i
}

// possessiveLen is the byte length of a trailing "'s" on a Latin word.
func possessiveLen(word string) int {
	if len(word) < 3 {
		return 0
	}
	last := word[len(word)-1]
	if last != 's' && last != 'S' {
		return 0
	}
	r, size := utf8.DecodeLastRuneInString(word[:len(word)-1])
	if !isApostrophe(r) {
		return 0
	}
	return size + 1
}

func startsUpper(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

// special folds letters that do not decompose into a base and a mark.
var special = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ł': "l",
	'ı': "i", 'þ': "th", 'ð': "d", 'ħ': "h",
}

// fold appends the lowercased, diacritic-free form of word to buf.
// Apostrophes and modifier letters used as apostrophes are dropped.
// й stays й: the Russian stemmer and readers tell it from и.
func fold(buf []rune, word string) []rune {
	for _, r := range word {
		if r < rune(len(foldTable)) {
			buf = append(buf, foldTable[r]...)
			continue
		}
		buf = foldRune(buf, r)
	}
	return buf
}

// foldKey appends the UTF-8 of fold(word) to key, and counts its runes.
func foldKey(key []byte, word string) ([]byte, int) {
	n := 0
	for _, r := range word {
		if r < rune(len(foldTable)) {
			key = append(key, foldBytes[r]...)
			n += len(foldTable[r])
			continue
		}
		for _, f := range foldRune(nil, r) {
			key = utf8.AppendRune(key, f)
			n++
		}
	}
	return key, n
}

// foldBytes is foldTable in UTF-8.
var foldBytes = func() (t [len(foldTable)][]byte) {
	for r := range t {
		t[r] = []byte(string(foldTable[r]))
	}
	return t
}()

// foldTable holds fold's result for the Latin and Cyrillic blocks, where
// nearly all news text lies, computed once.
var foldTable = func() (t [0x530][]rune) {
	for r := range t {
		t[r] = foldRune(nil, rune(r))
	}
	return t
}()

func foldRune(buf []rune, r rune) []rune {
	if isApostrophe(r) || unicode.Is(unicode.M, r) {
		return buf
	}
	r = unicode.ToLower(r)
	switch r {
	case 'й':
		return append(buf, r)
	case 'ё':
		return append(buf, 'е')
	}
	if s, ok := special[r]; ok {
		return append(buf, []rune(s)...)
	}
	if !norm.NFD.IsNormalString(string(r)) {
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.M, d) {
				buf = append(buf, d)
			}
		}
		return buf
	}
	return append(buf, r)
}

// latinToCyrillic maps Latin letters that look like Cyrillic ones; mixed
// words ("Kазахстан" with a Latin K) are common in pasted text.
var latinToCyrillic = map[rune]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к', 'm': 'м',
	'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
}

// fixHomoglyphs rewrites a mostly Cyrillic word's Latin look-alikes in
// place and reports the word's script.
func fixHomoglyphs(w []rune) script {
	var lat, cyr int
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' {
				lat++
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
		}
	}
	switch {
	case cyr > 0 && cyr >= lat:
		if lat > 0 {
			for i, r := range w {
				if c, ok := latinToCyrillic[r]; ok {
					w[i] = c
				}
			}
		}
		return scriptCyrillic
	case lat > 0:
		return scriptLatin
	}
	return scriptOther
}

func isStopWord(w string, sc script) bool {
	switch sc {
	case scriptLatin:
		return english.IsStopWord(w)
	case scriptCyrillic:
		return russian.IsStopWord(w)
	}
	return false
}

func stem(w string, sc script) string {
	switch sc {
	case scriptLatin:
		if isASCIIDigits(w) {
			return w
		}
		return english.Stem(w, true)
	case scriptCyrillic:
		return russian.Stem(w, true)
	}
	return w
}

func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// nameKeys returns the "~"-prefixed name keys of a folded word: its own,
// and for a Cyrillic word also its stem's, so that an inflected name
// (Токаевым) meets the Latin spelling (Tokayev).
func nameKeys(folded, stemmed string, sc script) []string {
	k := NameKey(folded)
	if k == "" {
		return nil
	}
	keys := []string{"~" + k}
	if sc == scriptCyrillic && stemmed != folded {
		if k2 := NameKey(stemmed); k2 != "" && k2 != k {
			keys = append(keys, "~"+k2)
		}
	}
	return keys
}

// IndexText returns the terms of text as one space-separated string, the
// form stored in an FTS5 column: stems in order, then the name keys.
// Keys follow the stems so that they never sit inside a phrase.
func IndexText(text string) string {
	var terms, keys strings.Builder
	terms.Grow(len(text) * 3 / 4) // stems are shorter than words, and stop words go
	scan(text, false, func(t Token) {
		if terms.Len() > 0 {
			terms.WriteByte(' ')
		}
		terms.WriteString(t.Term)
		for _, k := range t.Keys {
			keys.WriteByte(' ')
			keys.WriteString(k)
		}
	})
	terms.WriteString(keys.String()) // a word with keys has a stem: never a leading space
	return terms.String()
}

// wordInfo is what analysis makes of one folded word. Computing it —
// Snowball above all — is most of the analyzer's cost, and news text
// repeats a small vocabulary, so it is memoised in wordCache.
type wordInfo struct {
	stem string
	keys []string // shared between tokens: callers must not modify
	stop bool
}

// maxCachedWords bounds the memo; a store's vocabulary, inflections
// included, is usually well under this. When full it starts again empty.
const maxCachedWords = 200_000

// wordCache memoises wordInfo by folded word. It holds the results of
// pure functions, so sharing one per process changes no behaviour.
//
// Nearly every lookup finds its word, from several goroutines at once (an
// import's workers analyze articles in parallel), so a lookup reads a map
// no one writes, published whole (read), without a lock: a read lock's
// counter, which every reader writes, was a third of a lookup's cost. The
// words found since are kept under a mutex (fresh) until there are enough
// of them to publish a new read map that holds them too.
type wordCache struct {
	read  atomic.Pointer[map[string]*wordInfo]
	mu    sync.Mutex
	fresh map[string]*wordInfo // found since read was published
}

var words = newWordCache()

func newWordCache() *wordCache {
	c := &wordCache{fresh: make(map[string]*wordInfo)}
	c.read.Store(&map[string]*wordInfo{})
	return c
}

// lookup returns the wordInfo of a folded word, given as UTF-8 (key);
// runes gives it as runes, whose homoglyphs computeWord may rewrite in
// place, when it is not yet known.
func (c *wordCache) lookup(key []byte, runes func() []rune) *wordInfo {
	if w, ok := (*c.read.Load())[string(key)]; ok { // no allocation for a map index
		return w
	}
	c.mu.Lock()
	w, ok := c.fresh[string(key)]
	c.mu.Unlock()
	if ok {
		return w
	}
	w = computeWord(runes())
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh[string(key)] = w
	read := *c.read.Load()
	switch {
	case len(read)+len(c.fresh) >= maxCachedWords:
		c.read.Store(&map[string]*wordInfo{})
		c.fresh = make(map[string]*wordInfo)
	case len(c.fresh) >= max(publishWords, len(read)/4):
		// Each new read map is a quarter larger at least: copying them
		// all costs a few times the words held, once.
		m := make(map[string]*wordInfo, len(read)+len(c.fresh))
		for k, v := range read {
			m[k] = v
		}
		for k, v := range c.fresh {
			m[k] = v
		}
		c.read.Store(&m)
		c.fresh = make(map[string]*wordInfo)
	}
	return w
}

// publishWords is the fewest fresh words published as a new read map.
const publishWords = 256

func computeWord(buf []rune) *wordInfo {
	sc := fixHomoglyphs(buf)
	folded := string(buf)
	if isStopWord(folded, sc) {
		return &wordInfo{stop: true}
	}
	w := &wordInfo{stem: stem(folded, sc)}
	if sc != scriptOther {
		w.keys = nameKeys(folded, w.stem, sc)
	}
	return w
}
