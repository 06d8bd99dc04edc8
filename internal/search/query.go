package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a reader's query may make the database do.
const (
	MaxQueryRunes   = 256 // longer input is cut
	MaxQueryClauses = 32  // words and phrases, included and excluded
)

// Query is a parsed search: clauses that must all match (each a set of
// alternatives joined by OR) and clauses that must not.
type Query struct {
	groups  [][]clause
	exclude []clause
	loose   bool // any clause may match instead of all; see Loose
}

// Loose returns q with its clauses joined by OR instead of AND (its
// exclusions still exclude): the query that finds partial matches, which
// the store ranks by how many of q's clauses each matches (Parts).
func (q Query) Loose() Query {
	q.loose = true
	return q
}

// IsLoose reports whether q is a Loose query.
func (q Query) IsLoose() bool { return q.loose }

// Parts returns each clause of q (a word or phrase with its alternatives)
// as a query of its own, without exclusions: what coordination counts.
func (q Query) Parts() []Query {
	out := make([]Query, len(q.groups))
	for i, g := range q.groups {
		out[i] = Query{groups: [][]clause{g}}
	}
	return out
}

// clause is one word or phrase of a query, already analyzed.
type clause struct {
	text  string   // as the reader typed it, for display
	terms []string // stems; more than one makes a phrase
	keys  []string // name keys, alternatives to a single word
}

func (c clause) phrase() bool { return len(c.terms) > 1 }

// ParseQuery reads a reader's query. It never fails: whatever cannot be
// understood becomes plain words, and input with no searchable word is an
// empty query. The syntax: words (all must match), "exact phrase",
// -excluded, -"excluded phrase", and OR (in capitals) between two words or
// phrases. Nothing else is an operator: NEAR(, title:, *, ^ are text.
func ParseQuery(raw string) Query {
	raw = sanitize(raw)
	var q Query
	n := 0
	pendingOR := false
	for _, it := range lexQuery(raw) {
		if n >= MaxQueryClauses {
			break
		}
		if it.or {
			pendingOR = len(q.groups) > 0
			continue
		}
		if !it.phrase && !it.exclude && isQuestionWord(it.text) {
			continue
		}
		c, ok := makeClause(it.text, it.phrase)
		if !ok {
			continue
		}
		n++
		if it.exclude {
			q.exclude = append(q.exclude, c)
			continue
		}
		if pendingOR {
			last := len(q.groups) - 1
			q.groups[last] = append(q.groups[last], c)
		} else {
			q.groups = append(q.groups, []clause{c})
		}
		pendingOR = false
	}
	return q
}

// questionWords are the words of a question that no article's answer
// needs to contain, beyond the stop words the analyzer drops: "how much
// money do migrants send home" searches money, migrants, send, home.
// They are dropped from queries only (the index keeps them), unless quoted.
var questionWords = map[string]bool{
	"much": true, "many": true, "whose": true, "could": true, "would": true, "should": true, "can": true, "does": true,
	"почему": true, "зачем": true, "сколько": true, "как": true, "какой": true, "какая": true, "какое": true,
	"какие": true, "каков": true, "что": true, "где": true, "когда": true, "кто": true, "куда": true,
	"откуда": true, "ли": true, "чем": true, "чего": true, "кого": true,
}

func isQuestionWord(w string) bool {
	return questionWords[strings.ToLower(strings.Trim(w, "?,.!;:"))]
}

// sanitize makes raw valid UTF-8 without control characters, cut to
// MaxQueryRunes.
func sanitize(raw string) string {
	if len(raw) > MaxQueryRunes*utf8.UTFMax {
		raw = raw[:MaxQueryRunes*utf8.UTFMax]
	}
	raw = strings.ToValidUTF8(raw, " ")
	var b strings.Builder
	n := 0
	for _, r := range raw {
		if n == MaxQueryRunes {
			break
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

type lexeme struct {
	text    string
	phrase  bool
	exclude bool
	or      bool
}

// lexQuery splits a query into words, quoted phrases and OR. A quote left
// open runs to the end of the input.
func lexQuery(s string) []lexeme {
	var out []lexeme
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		var lx lexeme
		if r == '-' && i+1 < len(s) {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !unicode.IsSpace(next) && next != '-' {
				lx.exclude = true
				i++
			}
		}
		if i < len(s) && s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				lx.text, i = s[i+1:], len(s)
			} else {
				lx.text, i = s[i+1:i+1+end], i+1+end+1
			}
			lx.phrase = true
			out = append(out, lx)
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			j += size
		}
		lx.text = s[i:j]
		i = j
		if lx.text == "OR" && !lx.exclude {
			lx.or = true
		}
		if lx.text != "" {
			out = append(out, lx)
		}
	}
	return out
}

// makeClause analyzes one word or phrase. A word that analyzes to several
// terms (Нур-Султан, COVID-19) is matched as a phrase.
func makeClause(text string, quoted bool) (clause, bool) {
	toks := analyze(text, true)
	if len(toks) == 0 {
		return clause{}, false
	}
	c := clause{text: displayText(text, toks, quoted)}
	for _, t := range toks {
		c.terms = append(c.terms, t.Term)
	}
	if len(toks) == 1 {
		c.keys = toks[0].Keys
	}
	return c, true
}

// displayText is the clause as shown back to the reader: the words as
// typed, single-spaced, with no characters that mean syntax.
func displayText(text string, toks []Token, quoted bool) string {
	if !quoted && len(toks) == 1 {
		return strings.Trim(strings.TrimSpace(text), `"-`)
	}
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = text[t.Start:t.End]
	}
	if !quoted {
		return strings.Join(parts, "-")
	}
	return strings.Join(parts, " ")
}

// Empty reports whether the query has nothing to search for. A query of
// exclusions only is empty: it would list the whole archive.
func (q Query) Empty() bool { return len(q.groups) == 0 }

// String is the query in normalized form, fit to show back to the reader
// and to parse again to the same query.
func (q Query) String() string {
	var parts []string
	for _, g := range q.groups {
		alts := make([]string, len(g))
		for i, c := range g {
			alts[i] = c.display()
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	for _, c := range q.exclude {
		parts = append(parts, "-"+c.display())
	}
	return strings.Join(parts, " ")
}

func (c clause) display() string {
	if c.phrase() {
		return `"` + strings.ReplaceAll(c.text, `"`, "") + `"`
	}
	return strings.ReplaceAll(c.text, `"`, "")
}

// HighlightTerms lists the stems and name keys a matching text is marked
// by: those of included clauses, never of excluded ones.
func (q Query) HighlightTerms() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, g := range q.groups {
		for _, c := range g {
			for _, t := range c.terms {
				add(t)
			}
			for _, k := range c.keys {
				add(k)
			}
		}
	}
	return out
}
