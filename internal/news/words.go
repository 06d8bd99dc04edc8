package news

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CutWords shortens a plain-text excerpt to at most n words and ends it
// cleanly: at the end of a sentence when one finishes in the last half of
// what is kept, else after a whole word with an ellipsis — never "month.…"
// or a dangling comma. A text already cut when it was stored (ending in
// "…") is treated as cut. n of 0 or less keeps every word.
func CutWords(s string, n int) string {
	s = strings.TrimSpace(s)
	cut := false
	if t, ok := strings.CutSuffix(s, "…"); ok {
		s, cut = strings.TrimSpace(t), true
	}
	if n > 0 {
		words := 0
		for i, inWord := 0, false; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				inWord = false
			} else if !inWord {
				inWord = true
				words++
				if words > n {
					s, cut = strings.TrimSpace(s[:i]), true
					break
				}
			}
			i += size
		}
	}
	if !cut {
		return s
	}
	return EndCleanly(s)
}

// EndCleanly ends text that was cut short: at its last sentence end when
// that keeps at least half of it, else at its last word with "…". The
// punctuation that would dangle before the ellipsis (commas, dashes,
// opening quotes, a full stop) goes first.
func EndCleanly(s string) string {
	s = strings.TrimSpace(s)
	if end := lastSentenceEnd(s); end > 0 && end >= len(s)/2 {
		return s[:end]
	}
	out := strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(".,;:-–—(«„“\"'…", r)
	})
	if out == "" {
		return s
	}
	return out + "…"
}

// lastSentenceEnd is the byte offset just after the last sentence end in
// s (".", "!", "?" or "…", with any closing quotes or brackets), or 0.
func lastSentenceEnd(s string) int {
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if strings.ContainsRune(".!?…", r) {
			end := i
			for end < len(s) {
				c, sz := utf8.DecodeRuneInString(s[end:])
				if !strings.ContainsRune("\"'»”’)", c) {
					break
				}
				end += sz
			}
			// A full stop inside a word (3.5, U.S) or before a lower-case
			// letter is not the end of a sentence.
			if end == len(s) || unicode.IsSpace(rune(s[end])) {
				if r != '.' || !initial(s[:i-size]) {
					return end
				}
			}
		}
		i -= size
	}
	return 0
}

// initial reports whether s ends in a single capital letter, as before
// the full stop of "J. Smith", which ends no sentence.
func initial(s string) bool {
	r, size := utf8.DecodeLastRuneInString(s)
	if !unicode.IsUpper(r) {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:len(s)-size])
	return len(s) == size || unicode.IsSpace(prev)
}
