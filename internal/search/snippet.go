package search

import (
	"html"
	"html/template"
	"strings"
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
	text = strings.ToValidUTF8(text, "\uFFFD")
	toks := matchedTokens(text, q)
	if maxRunes <= 0 || utf8.RuneCountInString(text) <= maxRunes {
		return render(text, 0, len(text), toks)
	}
	start, end := window(text, toks, maxRunes)
	start, end = cutAtSpaces(text, start, end)
	return render(text, start, end, toks)
}

// SnippetIn is Snippet of an article's body text in language lang (en or
// ru): paragraphs written mostly in the other script — an English photo
// caption in a Russian story, a Russian quote's original in an English
// one — are left out, so the snippet reads in the article's language.
// When every paragraph is in the other script, the text is used whole.
func SnippetIn(text, lang string, q Query, maxRunes int) template.HTML {
	return Snippet(ownLanguage(text, lang), q, maxRunes)
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

// HighlightTitle returns title escaped, with the words matching q marked.
func HighlightTitle(title string, q Query) template.HTML {
	title = strings.ToValidUTF8(title, "\uFFFD")
	return render(title, 0, len(title), matchedTokens(title, q))
}

// matchedTokens returns the tokens of text that match q's included terms.
func matchedTokens(text string, q Query) []Token {
	want := map[string]bool{}
	for _, t := range q.HighlightTerms() {
		want[t] = true
	}
	if len(want) == 0 {
		return nil
	}
	var out []Token
	// scanned, not analyzed into a list: a body's hundreds of tokens
	// would be kept only to keep the few that match.
	scan(text, true, func(t Token) {
		ok := want[t.Term]
		for _, k := range t.Keys {
			ok = ok || want[k]
		}
		if ok {
			out = append(out, t)
		}
	})
	return out
}

// window returns the byte range of about maxRunes runes holding the most
// matches (distinct terms first), with some text before the first.
func window(text string, matches []Token, maxRunes int) (int, int) {
	// Rune offset of every match, and of the text's end.
	runeAt := make([]int, len(matches))
	r, b := 0, 0
	for i, m := range matches {
		r += utf8.RuneCountInString(text[b:m.Start])
		b = m.Start
		runeAt[i] = r
	}
	total := r + utf8.RuneCountInString(text[b:])

	bestI, bestJ, bestScore := 0, -1, -1
	for i := range matches {
		distinct := map[string]bool{}
		j := i
		for ; j < len(matches) && runeAt[j]-runeAt[i] < maxRunes-20; j++ {
			distinct[matches[j].Term] = true
		}
		score := len(distinct)*1000 + (j - i)
		if score > bestScore {
			bestI, bestJ, bestScore = i, j-1, score
		}
	}
	startRune := 0
	if bestJ >= 0 {
		span := runeAt[bestJ] - runeAt[bestI]
		startRune = max(0, runeAt[bestI]-(maxRunes-span)/4)
	}
	if startRune+maxRunes > total {
		startRune = max(0, total-maxRunes)
	}
	start := byteOffset(text, startRune)
	end := byteOffset(text[start:], maxRunes) + start
	return start, end
}

func byteOffset(s string, runes int) int {
	for i := range s {
		if runes == 0 {
			return i
		}
		runes--
	}
	return len(s)
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
