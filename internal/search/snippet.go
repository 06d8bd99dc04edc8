package search

import (
	"html"
	"html/template"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Snippet returns the part of text, at most maxRunes long, where the
// query's words lie densest, cut at spaces with "…" where it was cut. The
// words that match (in any inflection, or as the same name in the other
// script) are wrapped in <mark>; everything else is escaped. text is
// plain text, such as an article's body without markup. With no match,
// the snippet is the opening of the text.
func Snippet(text string, q Query, maxRunes int) template.HTML {
	h := NewHighlighter(q)
	defer h.Release()
	return h.Snippet(text, maxRunes)
}

// SnippetIn is Snippet of an article's body text in language lang (en or
// ru): paragraphs written mostly in the other script — an English photo
// caption in a Russian story, a Russian quote's original in an English
// one — are left out, so the snippet reads in the article's language.
// When every paragraph is in the other script, the text is used whole.
func SnippetIn(text, lang string, q Query, maxRunes int) template.HTML {
	h := NewHighlighter(q)
	defer h.Release()
	return h.SnippetIn(text, lang, maxRunes)
}

// HighlightTitle returns title escaped, with the words matching q marked.
func HighlightTitle(title string, q Query) template.HTML {
	h := NewHighlighter(q)
	defer h.Release()
	return h.Title(title)
}

// Highlighter marks one query's words in many texts: the titles and
// snippets of a page of results. It remembers what analysis made of the
// words it has read, and whether each matches, so that a word the
// page's texts repeat is folded and looked up only the first time: ten
// bodies hold thousands of words, but only hundreds of distinct ones.
// One page's: not safe for concurrent use; Release gives its memory of
// words to the next page's Highlighter.
type Highlighter struct {
	want  map[string]bool // the query's included terms and name keys
	terms []string        // the terms of the matching words seen
	seen  *seenWords
	key   []byte // scratch for a word's folded form
}

// seenWords is a direct-mapped table of the words read, by a hash of the
// word as written (slices of the texts): cheaper than a map, and a word
// whose slot another took is only analyzed again. What analysis makes of
// a word holds for every query, so tables pass from page to page (most
// words of one page's bodies are in the last's); whether it matches is
// the page's, found again on a page that has not asked.
type seenWords struct {
	slots [seenSlots]seenWord
	page  uint32 // the page using the table, counted from 1
}

// seenSlots is the size of a table of words: several times the distinct
// words of a page's ten bodies (about a thousand), so that few of them
// take each other's slots, and the common words of the pages before
// stay.
const seenSlots = 8192

// seenWord is what a Highlighter made of one word.
type seenWord struct {
	word string
	info *wordInfo // nil: no token
	page uint32    // the page that found term
	term int32     // the word's term in that page's terms when it matches, else -1
}

// seenTables keeps the tables of words that pages have released.
var seenTables = sync.Pool{New: func() any { return new(seenWords) }}

// NewHighlighter returns the Highlighter of q's included words.
func NewHighlighter(q Query) *Highlighter {
	h := &Highlighter{want: map[string]bool{}, seen: seenTables.Get().(*seenWords)}
	if h.seen.page++; h.seen.page == 0 { // counted round: no slot may seem this page's
		*h.seen = seenWords{page: 1}
	}
	for _, t := range q.HighlightTerms() {
		h.want[t] = true
	}
	return h
}

// Release hands h's memory of words on; h must not be used after it.
func (h *Highlighter) Release() {
	seenTables.Put(h.seen)
	h.seen = nil
}

// Snippet is the package's Snippet of text for h's query.
func (h *Highlighter) Snippet(text string, maxRunes int) template.HTML {
	text = validUTF8(text)
	toks := h.matches(text)
	if maxRunes <= 0 || !moreRunes(text, maxRunes) {
		return render(text, 0, len(text), toks)
	}
	start, end := window(text, toks, maxRunes)
	start, end = cutAtSpaces(text, start, end)
	return render(text, start, end, toks)
}

// SnippetIn is the package's SnippetIn of text for h's query.
func (h *Highlighter) SnippetIn(text, lang string, maxRunes int) template.HTML {
	return h.Snippet(ownLanguage(text, lang), maxRunes)
}

// Title is the package's HighlightTitle of title for h's query.
func (h *Highlighter) Title(title string) template.HTML {
	title = validUTF8(title)
	return render(title, 0, len(title), h.matches(title))
}

// validUTF8 is s with each invalid byte sequence replaced by U+FFFD:
// nearly every text is valid, which is checked faster than rewritten.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// moreRunes reports whether s holds more than n runes, reading no more
// than n+1 of them.
func moreRunes(s string, n int) bool {
	if len(s) <= n {
		return false
	}
	for range s {
		if n == 0 {
			return true
		}
		n--
	}
	return false
}

// ownLanguage returns the paragraphs of text (separated by blank lines,
// as the store keeps bodies) not written mostly in the other script of
// lang, or text itself when none is left or lang is neither en nor ru.
func ownLanguage(text, lang string) string {
	var other func(r rune) bool
	switch lang {
	case "ru":
		other = func(r rune) bool { return r < 0x250 }
	case "en":
		if !mayHoldCyrillic(text) {
			return text // nothing to leave out, and no paragraph need be read
		}
		other = func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }
	default:
		return text
	}
	paras := strings.Split(text, "\n\n")
	kept := paras[:0:0]
	for _, p := range paras {
		letters, foreign := 0, 0
		for _, r := range p {
			if unicode.IsLetter(r) {
				letters++
				if other(r) {
					foreign++
				}
			}
		}
		if letters == 0 || foreign*2 <= letters {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 || len(kept) == len(paras) {
		return text
	}
	return strings.Join(kept, "\n\n")
}

// mayHoldCyrillic reports whether text has a byte that starts a Cyrillic
// letter in UTF-8: U+0400–U+052F (lead bytes 0xD0–0xD4), and the rarer
// ones at U+1C80, U+1D2B, U+2DE0, U+A640, U+FE2E and U+1E030 (0xE1,
// 0xE2 0xB7, 0xEA, 0xEF 0xB8, 0xF0 0x9E, which start other characters
// too: those only take the longer way). Most English bodies have none,
// and a byte at a time is far cheaper than reading their letters.
func mayHoldCyrillic(text string) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c < 0xD0:
		case c <= 0xD4, c == 0xE1, c == 0xEA:
			return true
		case i+1 < len(text) && (c == 0xE2 && text[i+1] == 0xB7 || c == 0xEF && text[i+1] == 0xB8 || c == 0xF0 && text[i+1] == 0x9E):
			return true
		}
	}
	return false
}

// matches returns the tokens of text that match h's query, in order,
// with their terms and byte ranges. Words are scanned, not analyzed into
// a list: a body's hundreds of tokens would be kept only to keep the few
// that match.
func (h *Highlighter) matches(text string) []Token {
	if len(h.want) == 0 {
		return nil
	}
	var out []Token
	for i := 0; ; {
		start, end, next, slot := nextSlottedWord(text, i)
		if start < 0 {
			return out
		}
		i = next
		word := text[start:end]
		s := &h.seen.slots[slot]
		if s.word != word {
			*s = seenWord{word: word, info: wordOf(word, &h.key)}
		}
		if s.page != h.seen.page {
			s.page, s.term = h.seen.page, h.match(s.info)
		}
		if s.term >= 0 {
			out = append(out, Token{Term: h.terms[s.term], Start: start, End: end})
		}
	}
}

// seenSlot is word's slot in a table of words: FNV-1a of its bytes.
func seenSlot(word string) uint32 {
	x := uint32(fnvOffset)
	for i := 0; i < len(word); i++ {
		x = (x ^ uint32(word[i])) * fnvPrime
	}
	return (x ^ x>>16) % seenSlots
}

const fnvOffset, fnvPrime = 2166136261, 16777619

// nextSlottedWord is nextWord with the word's seenSlot. Most words of
// news text are ASCII letters and digits ended by ASCII that cannot go
// on with them (not an apostrophe): those are found and hashed in one
// pass over their bytes; any other is found by nextWord.
func nextSlottedWord(text string, i int) (start, end, next int, slot uint32) {
	for i < len(text) && text[i] < utf8.RuneSelf {
		if !asciiWordByte[text[i]] {
			i++
			continue
		}
		start, x := i, uint32(fnvOffset)
		for ; i < len(text) && text[i] < utf8.RuneSelf && asciiWordByte[text[i]]; i++ {
			x = (x ^ uint32(text[i])) * fnvPrime
		}
		if i == len(text) || text[i] < utf8.RuneSelf && text[i] != '\'' && text[i] != '`' {
			return start, i, i, (x ^ x>>16) % seenSlots
		}
		i = start // a letter, a mark or an apostrophe may go on with it
		break
	}
	if start, end, next = nextWord(text, i); start < 0 {
		return start, end, next, 0
	}
	return start, end, next, seenSlot(text[start:end])
}

// asciiWordByte holds the ASCII bytes that words are made of: letters
// and digits (isWordStart, wordEnd).
var asciiWordByte = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// match is the index in h.terms of the term of a word analyzed to w
// (by wordOf, as scan analyzes it) when the word matches h's query, or
// -1. A token matches when its term or any of its name keys is wanted
// (a query's words are matched in lower case too, so every word's keys
// count).
func (h *Highlighter) match(w *wordInfo) int32 {
	if w == nil || w.stop {
		return -1
	}
	ok := h.want[w.stem]
	for _, k := range w.keys {
		ok = ok || h.want[k]
	}
	if !ok {
		return -1
	}
	i := slices.Index(h.terms, w.stem)
	if i < 0 {
		i, h.terms = len(h.terms), append(h.terms, w.stem)
	}
	return int32(i)
}

// window returns the byte range of about maxRunes runes holding the most
// matches (distinct terms first), with some text before the first. text
// holds more than maxRunes runes and is valid UTF-8; runes are counted
// up to the last match, and the range is found from the best match's
// known offset, so that the rest of a long text is not read.
func window(text string, matches []Token, maxRunes int) (int, int) {
	// Rune offset of every match.
	runeAt := make([]int, len(matches))
	r, b := 0, 0
	for i, m := range matches {
		r += utf8.RuneCountInString(text[b:m.Start])
		b = m.Start
		runeAt[i] = r
	}

	bestI, bestJ, bestScore := 0, -1, -1
	var distinct []string // the terms of a window: a query's few
	for i := range matches {
		distinct = distinct[:0]
		j := i
		for ; j < len(matches) && runeAt[j]-runeAt[i] < maxRunes-20; j++ {
			if !slices.Contains(distinct, matches[j].Term) {
				distinct = append(distinct, matches[j].Term)
			}
		}
		score := len(distinct)*1000 + (j - i)
		if score > bestScore {
			bestI, bestJ, bestScore = i, j-1, score
		}
	}
	start := 0
	if bestJ >= 0 {
		span := runeAt[bestJ] - runeAt[bestI]
		before := min(runeAt[bestI], (maxRunes-span)/4)
		start = runesBefore(text, matches[bestI].Start, before)
	}
	end, ok := runesAfter(text, start, maxRunes)
	if !ok { // the text ends first: the window is its last maxRunes runes
		start, end = runesBefore(text, len(text), maxRunes), len(text)
	}
	return start, end
}

// runesBefore returns the byte offset n runes before offset at in text.
func runesBefore(text string, at, n int) int {
	for ; n > 0 && at > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(text[:at])
		at -= size
	}
	return at
}

// runesAfter returns the byte offset n runes after offset at in text,
// and whether text holds that many; if not, its end.
func runesAfter(text string, at, n int) (int, bool) {
	for i := range text[at:] {
		if n == 0 {
			return at + i, true
		}
		n--
	}
	return len(text), n == 0
}

// cutAtSpaces narrows [start,end) to whole words.
func cutAtSpaces(text string, start, end int) (int, int) {
	if start > 0 {
		prev, _ := utf8.DecodeLastRuneInString(text[:start])
		if !unicode.IsSpace(prev) {
			if i := strings.IndexFunc(text[start:end], unicode.IsSpace); i >= 0 {
				start += i
			}
		}
	}
	if end < len(text) {
		next, _ := utf8.DecodeRuneInString(text[end:])
		if !unicode.IsSpace(next) {
			if i := strings.LastIndexFunc(text[start:end], unicode.IsSpace); i > 0 {
				end = start + i
			}
		}
	}
	return start, end
}

// render writes text[start:end] escaped, matches marked, runs of spaces
// made one, and "…" at either end that does not reach the text's edge.
func render(text string, start, end int, matches []Token) template.HTML {
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	body := strings.Builder{}
	at := start
	for _, m := range matches {
		if m.Start < at || m.End > end {
			continue
		}
		body.WriteString(plain(text[at:m.Start]))
		body.WriteString("<mark>")
		body.WriteString(html.EscapeString(text[m.Start:m.End]))
		body.WriteString("</mark>")
		at = m.End
	}
	body.WriteString(plain(text[at:end]))
	s := body.String()
	if start > 0 {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	if end < len(text) {
		s = strings.TrimRightFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(",:—–-(", r)
		})
	}
	b.WriteString(s)
	if end < len(text) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}

// plain escapes s and makes every run of white space one space.
func plain(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return html.EscapeString(b.String())
}
