package search

import (
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
	var b strings.Builder
	pos := 1
	for _, f := range []struct {
		text   string
		weight byte
	}{{title, weightTitle}, {standfirst, weightStandfirst}, {tags, weightTags}, {body, weightBody}} {
		toks := Analyze(f.text)
		for _, t := range toks {
			p := min(pos+t.Pos, maxTSPos)
			writeTSEntry(&b, t.Term, p, f.weight)
			for _, k := range t.Keys {
				writeTSEntry(&b, k, p, f.weight)
			}
		}
		pos += len(toks) + 1
	}
	return b.String()
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
