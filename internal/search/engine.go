package search

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// This file turns a Query into the syntax of each database, and a document
// into what each database stores. No text from a reader reaches either
// engine: only our terms, quoted, joined by operators we write.
//
// SQLite FTS5. One table, one column per field, holding IndexText of each:
//
//	CREATE VIRTUAL TABLE article_search USING fts5(
//	    title, standfirst, tags, body,
//	    content = '', contentless_delete = 1,
//	    tokenize = "unicode61 remove_diacritics 0 tokenchars '~'");
//	INSERT INTO article_search(rowid, title, standfirst, tags, body)
//	    VALUES (?, IndexText(title), IndexText(standfirst), IndexText(tags), IndexText(body));
//	SELECT rowid, -bm25(article_search, 10, 4, 6, 1) FROM article_search
//	    WHERE article_search MATCH ?   -- the argument is q.FTS5()
//
// tokenchars '~' keeps name keys ("~tokaev") whole; without it they would
// merge with stems. Skip the query when q.Empty(): FTS5() is then "".
//
// PostgreSQL. A tsvector column built from TSVector, a literal cast as is
// (not through to_tsvector, whose parser would split "~tokaev"), and the
// query cast the same way (to_tsquery would re-parse it too):
//
//	tsv tsvector  -- with CREATE INDEX ... USING gin (tsv)
//	UPDATE ... SET tsv = $1::tsvector              -- $1 = TSVector(...)
//	SELECT id, ts_rank(tsv, q, 1) FROM articles, CAST($1 AS tsquery) q
//	    WHERE tsv @@ q                             -- $1 = q.TSQuery()
//
// TSQuery() is also valid to_tsquery('simple', …) input, but only the cast
// keeps name keys intact. Skip the query when q.Empty().

// FTS5 returns the query as an FTS5 MATCH expression, or "" for an empty
// query. Every term is a double-quoted string; a word is ("stem" OR
// "~namekey"), a phrase one quoted string of stems, and exclusions follow
// a binary NOT: (a AND b) NOT (c OR d).
func (q Query) FTS5() string {
	if q.Empty() {
		return ""
	}
	var b strings.Builder
	and := " AND "
	if q.loose {
		and = " OR "
	}
	b.WriteByte('(')
	for i, g := range q.groups {
		if i > 0 {
			b.WriteString(and)
		}
		writeFTS5Group(&b, g)
	}
	b.WriteByte(')')
	if len(q.exclude) > 0 {
		b.WriteString(" NOT ")
		writeFTS5Group(&b, q.exclude)
	}
	return b.String()
}

func writeFTS5Group(b *strings.Builder, g []clause) {
	b.WriteByte('(')
	for i, c := range g {
		if i > 0 {
			b.WriteString(" OR ")
		}
		if c.phrase() {
			fts5String(b, strings.Join(c.terms, " "))
			continue
		}
		fts5String(b, c.terms[0])
		for _, k := range c.keys {
			b.WriteString(" OR ")
			fts5String(b, k)
		}
	}
	b.WriteByte(')')
}

// FTS5Term is term as an FTS5 MATCH expression of its own: one quoted string.
func FTS5Term(term string) string {
	var b strings.Builder
	fts5String(&b, term)
	return b.String()
}

func fts5String(b *strings.Builder, s string) {
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(s, `"`, `""`))
	b.WriteByte('"')
}

// TSQuery returns the query as PostgreSQL tsquery text, or "" for an empty
// query: terms are quoted lexemes ('stem'), a word is ('stem' | '~key'),
// a phrase ('a' <-> 'b'), clauses are joined by &, exclusions are !( … ).
func (q Query) TSQuery() string {
	if q.Empty() {
		return ""
	}
	and := " & "
	var b strings.Builder
	if q.loose { // parenthesized: & binds tighter than |
		and = " | "
		b.WriteByte('(')
	}
	for i, g := range q.groups {
		if i > 0 {
			b.WriteString(and)
		}
		writeTSGroup(&b, g)
	}
	if q.loose {
		b.WriteByte(')')
	}
	for _, c := range q.exclude {
		b.WriteString(" & !")
		writeTSGroup(&b, []clause{c})
	}
	return b.String()
}

func writeTSGroup(b *strings.Builder, g []clause) {
	b.WriteByte('(')
	for i, c := range g {
		if i > 0 {
			b.WriteString(" | ")
		}
		if c.phrase() {
			b.WriteByte('(')
			for j, t := range c.terms {
				if j > 0 {
					b.WriteString(" <-> ")
				}
				tsLexeme(b, t)
			}
			b.WriteByte(')')
			continue
		}
		tsLexeme(b, c.terms[0])
		for _, k := range c.keys {
			b.WriteString(" | ")
			tsLexeme(b, k)
		}
	}
	b.WriteByte(')')
}

// TSTerm is term as a tsquery of its own: one quoted lexeme.
func TSTerm(term string) string {
	var b strings.Builder
	tsLexeme(&b, term)
	return b.String()
}

// tsLexeme writes s as a quoted tsquery/tsvector lexeme.
func tsLexeme(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteByte(s[i])
		}
	}
	b.WriteByte('\'')
}

// Field weights, as PostgreSQL labels them; FTS5 gives the same order of
// importance through bm25's column weights (10, 4, 6, 1).
const (
	weightTitle      = 'A'
	weightTags       = 'B'
	weightStandfirst = 'C'
	weightBody       = 'D'
)

// maxTSPos is PostgreSQL's largest tsvector position; later words share it.
const maxTSPos = 16383

// TSVector returns a PostgreSQL tsvector literal of an article's fields,
// each word weighted by its field (title A, tags B, standfirst C, body D)
// and positioned as in FTS5, so phrases match alike. Name keys share the
// position of their word. Fields are kept apart by a gap of positions, so
// no phrase spans two of them. Cast it: $1::tsvector.
func TSVector(title, standfirst, tags, body string) string {
	tsv, _ := TSVectors(title, standfirst, tags, body)
	return tsv
}

// TSVectors returns TSVector's literal and, beside it, the literal of the
// document's word pairs: every two terms (stems, never name keys) at
// neighbouring positions as one lexeme "a b", without positions. A
// phrase's pairs are found in a GIN index of them (PairsTSQuery), where
// the positions of TSVector's words are known only by unpacking each
// candidate document. The pairs are those of the positions PostgreSQL
// keeps of TSVector's literal (see pairPositions), so a two-word phrase
// finds exactly the documents 'a' <-> 'b' finds.
func TSVectors(title, standfirst, tags, body string) (tsv, pairs string) {
	var b strings.Builder
	at := map[string][]int{} // each term's positions
	pos := 1
	for _, f := range []struct {
		text   string
		weight byte
	}{{title, weightTitle}, {standfirst, weightStandfirst}, {tags, weightTags}, {body, weightBody}} {
		toks := Analyze(f.text)
		for _, t := range toks {
			p := min(pos+t.Pos, maxTSPos)
			writeTSEntry(&b, t.Term, p, f.weight)
			at[t.Term] = append(at[t.Term], p)
			for _, k := range t.Keys {
				writeTSEntry(&b, k, p, f.weight)
			}
		}
		pos += len(toks) + 1
	}
	return b.String(), pairsLiteral(at)
}

// maxTSPositions is how many positions PostgreSQL keeps of one lexeme in a
// tsvector: the smallest, distinct.
const maxTSPositions = 256

// pairPositions is what PostgreSQL keeps of one lexeme's positions when it
// reads a tsvector literal: sorted, distinct, at most maxTSPositions.
func pairPositions(ps []int) []int {
	slices.Sort(ps)
	ps = slices.Compact(ps)
	return ps[:min(len(ps), maxTSPositions)]
}

// pairsLiteral writes the pairs of terms at neighbouring positions of at
// as a tsvector literal of lexemes only, sorted.
func pairsLiteral(at map[string][]int) string {
	byPos := map[int][]string{}
	for term, ps := range at {
		for _, p := range pairPositions(ps) {
			byPos[p] = append(byPos[p], term)
		}
	}
	set := map[string]bool{}
	for p, firsts := range byPos {
		for _, a := range firsts {
			for _, b := range byPos[p+1] {
				set[a+" "+b] = true
			}
		}
	}
	pairs := slices.Sorted(maps.Keys(set))
	var b strings.Builder
	for i, pair := range pairs {
		if i > 0 {
			b.WriteByte(' ')
		}
		tsLexeme(&b, pair)
	}
	return b.String()
}

// PairsTSQuery returns a tsquery over TSVectors' pairs that every document
// matching q matches too, or "" when q gives none (no phrase in a clause
// that must match). exact says that the pairs alone find q's documents: q
// is phrases of two words only, with no exclusions, and no clause without
// a phrase. Otherwise q must still be tested on the whole document, but
// only where the pairs match.
func (q Query) PairsTSQuery() (pairs string, exact bool) {
	if q.Empty() || q.loose {
		return "", false
	}
	exact = len(q.exclude) == 0
	var b strings.Builder
	for _, g := range q.groups {
		if !slices.ContainsFunc(g, func(c clause) bool { return !c.phrase() }) {
			if b.Len() > 0 {
				b.WriteString(" & ")
			}
			writePairsGroup(&b, g)
			for _, c := range g {
				exact = exact && len(c.terms) == 2
			}
			continue
		}
		exact = false
	}
	if b.Len() == 0 {
		return "", false
	}
	return b.String(), exact
}

// writePairsGroup writes a group of phrases as the pairs one of them needs:
// (('a b' & 'b c') | ('d e')).
func writePairsGroup(b *strings.Builder, g []clause) {
	b.WriteByte('(')
	for i, c := range g {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteByte('(')
		for j := 1; j < len(c.terms); j++ {
			if j > 1 {
				b.WriteString(" & ")
			}
			tsLexeme(b, c.terms[j-1]+" "+c.terms[j])
		}
		b.WriteByte(')')
	}
	b.WriteByte(')')
}

func writeTSEntry(b *strings.Builder, lexeme string, pos int, weight byte) {
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	tsLexeme(b, lexeme)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(pos))
	b.WriteByte(weight)
}
