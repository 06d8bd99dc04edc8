package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in, str, fts5, tsq string
	}{
		{"pipelines", "pipelines",
			`(("pipelin" OR "~pipelines"))`,
			`('pipelin' | '~pipelines')`},
		{`"oil pipelines" Tokayev`, `"oil pipelines" Tokayev`,
			`(("oil pipelin") AND ("tokayev" OR "~tokaev"))`,
			`(('oil' <-> 'pipelin')) & ('tokayev' | '~tokaev')`},
		{"gas -oil", "gas -oil",
			`(("gas" OR "~gas")) NOT ("oil" OR "~oil")`,
			`('gas' | '~gas') & !('oil' | '~oil')`},
		{`gas -"oil price"`, `gas -"oil price"`,
			`(("gas" OR "~gas")) NOT ("oil price")`,
			`('gas' | '~gas') & !(('oil' <-> 'price'))`},
		{"Almaty OR Бишкек news", "Almaty OR Бишкек news",
			`(("almati" OR "~almati" OR "бишкек" OR "~bishkek") AND ("news" OR "~news"))`,
			`('almati' | '~almati' | 'бишкек' | '~bishkek') & ('news' | '~news')`},
		{"Нур-Султан", `"Нур-Султан"`, `(("нур султа"))`, `(('нур' <-> 'султа'))`},
		{"2025", "2025", `(("2025"))`, `('2025')`},
	}
	for _, c := range cases {
		q := ParseQuery(c.in)
		if got := q.String(); got != c.str {
			t.Errorf("ParseQuery(%q).String() = %q, want %q", c.in, got, c.str)
		}
		if got := q.FTS5(); got != c.fts5 {
			t.Errorf("ParseQuery(%q).FTS5() = %s, want %s", c.in, got, c.fts5)
		}
		if got := q.TSQuery(); got != c.tsq {
			t.Errorf("ParseQuery(%q).TSQuery() = %s, want %s", c.in, got, c.tsq)
		}
		if again := ParseQuery(q.String()); again.FTS5() != q.FTS5() {
			t.Errorf("String() of %q does not parse back: %s", c.in, again.FTS5())
		}
	}
}

func TestParseQueryEmpty(t *testing.T) {
	for _, in := range []string{"", "   ", "!!! ... ---", "the of and", "-oil", `-"oil price"`, "OR", "OR OR", "\x00\x00", "\xff\xfe", `""`, "-", "и в на"} {
		q := ParseQuery(in)
		if !q.Empty() || q.FTS5() != "" || q.TSQuery() != "" {
			t.Errorf("ParseQuery(%q) = %q / %s; want empty", in, q.String(), q.FTS5())
		}
	}
}

func TestParseQueryHostile(t *testing.T) {
	cases := []struct{ in, fts5 string }{
		{"'; DROP TABLE articles; --", `(("drop" OR "~drop") AND ("tabl" OR "~table") AND ("articl" OR "~articles"))`},
		{"NEAR(a b)", `(("near" OR "~near") AND ("b" OR "~b"))`},
		{"title:x", `(("titl x"))`},
		{"a* ^b", `(("b" OR "~b"))`},
		{`"unbalanced quote`, `(("unbalanc quot"))`},
		{"nul\x00byte", `(("nul" OR "~nul") AND ("byte" OR "~bite"))`},
		{"bad\xffutf8", `(("bad" OR "~bad") AND ("utf8" OR "~utf8"))`},
		{`x" OR "y`, `(("x" OR "~x") AND ("y" OR "~i"))`},
		{"a AND b NOT c", `(("b" OR "~b") AND ("c" OR "~c"))`},
	}
	for _, c := range cases {
		if got := ParseQuery(c.in).FTS5(); got != c.fts5 {
			t.Errorf("ParseQuery(%q).FTS5() = %s, want %s", c.in, got, c.fts5)
		}
	}
}

func TestParseQueryCaps(t *testing.T) {
	long := strings.Repeat("ab ", 2000)
	q := ParseQuery(long)
	if n := len(q.groups); n != MaxQueryClauses {
		t.Errorf("%d clauses from a long query, want %d", n, MaxQueryClauses)
	}
	q = ParseQuery(strings.Repeat("x", 10000))
	if !q.Empty() {
		t.Errorf("one 10,000-letter word gives %q", q.String())
	}
	if utf8.RuneCountInString(ParseQuery(strings.Repeat("ab ", 5000)).String()) > MaxQueryRunes {
		t.Error("String longer than the input cap")
	}
}

func TestHighlightTerms(t *testing.T) {
	got := ParseQuery(`Tokayev "oil pipelines" -gas`).HighlightTerms()
	want := []string{"tokayev", "~tokaev", "oil", "pipelin"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("HighlightTerms = %q, want %q", got, want)
	}
}

func TestTSVector(t *testing.T) {
	got := TSVector("Tokayev in Almaty", "", "Energy", "Pipeline it's")
	want := "'tokayev':1A '~tokaev':1A 'almati':2A '~almati':2A 'energi':5B '~energi':5B 'pipelin':7D '~pipeline':7D"
	if got != want {
		t.Errorf("TSVector = %s\nwant        %s", got, want)
	}
}

// checkFTS5 reports what is wrong with an FTS5 expression, or "": it must
// be quoted strings, parentheses (balanced), AND, OR, NOT and spaces only.
func checkFTS5(s string) string {
	depth := 0
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ':
			i++
		case s[i] == '(':
			depth++
			i++
		case s[i] == ')':
			depth--
			if depth < 0 {
				return "unbalanced )"
			}
			i++
		case s[i] == '"':
			j := i + 1
			for {
				k := strings.IndexByte(s[j:], '"')
				if k < 0 {
					return "unterminated string"
				}
				j += k + 1
				if j < len(s) && s[j] == '"' {
					j++
					continue
				}
				break
			}
			if j-i == 2 {
				return "empty string"
			}
			i = j
		case strings.HasPrefix(s[i:], "AND "), strings.HasPrefix(s[i:], "NOT "):
			i += 4
		case strings.HasPrefix(s[i:], "OR "):
			i += 3
		default:
			return "stray " + s[i:]
		}
	}
	if depth != 0 {
		return "unbalanced ("
	}
	return ""
}

// checkTSQuery is checkFTS5 for tsquery text.
func checkTSQuery(s string) string {
	depth := 0
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ' || s[i] == '&' || s[i] == '|' || s[i] == '!':
			i++
		case strings.HasPrefix(s[i:], "<->"):
			i += 3
		case s[i] == '(':
			depth++
			i++
		case s[i] == ')':
			depth--
			if depth < 0 {
				return "unbalanced )"
			}
			i++
		case s[i] == '\'':
			j := i + 1
			for {
				k := strings.IndexAny(s[j:], `'\`)
				if k < 0 {
					return "unterminated lexeme"
				}
				j += k
				if s[j] == '\\' || (j+1 < len(s) && s[j+1] == '\'') {
					j += 2
					continue
				}
				j++
				break
			}
			i = j
		default:
			return "stray " + s[i:]
		}
	}
	if depth != 0 {
		return "unbalanced ("
	}
	return ""
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", `"oil pipelines" -gas OR Tokayev`, "'; DROP TABLE x; --", "NEAR(a b)", "title:x a* ^b",
		`"unbalanced`, "a\x00b", "\xff\xfe", `-"x y" OR`, "Нур-Султан ёлка", `"" "" -""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		fts, tsq := q.FTS5(), q.TSQuery()
		if q.Empty() != (fts == "") || q.Empty() != (tsq == "") {
			t.Fatalf("Empty=%v but FTS5=%q TSQuery=%q", q.Empty(), fts, tsq)
		}
		if msg := checkFTS5(fts); msg != "" {
			t.Fatalf("FTS5 %q: %s", fts, msg)
		}
		if msg := checkTSQuery(tsq); msg != "" {
			t.Fatalf("TSQuery %q: %s", tsq, msg)
		}
		for _, out := range []string{fts, tsq, q.String()} {
			if !utf8.ValidString(out) || strings.ContainsRune(out, 0) {
				t.Fatalf("invalid output %q", out)
			}
		}
		if again := ParseQuery(q.String()); again.FTS5() != fts {
			t.Fatalf("String %q parses to %q, not %q", q.String(), again.FTS5(), fts)
		}
	})
}

func BenchmarkParseQuery(b *testing.B) {
	for b.Loop() {
		ParseQuery(`Tokayev "oil pipelines" -gas Almaty OR Бишкек новости`)
	}
}

func TestLooseQuery(t *testing.T) {
	q := ParseQuery(`Aral "sea level" -oil`).Loose()
	if got, want := q.FTS5(), `(("aral" OR "~aral") OR ("sea level")) NOT ("oil" OR "~oil")`; got != want {
		t.Errorf("FTS5() = %s, want %s", got, want)
	}
	if got, want := q.TSQuery(), `(('aral' | '~aral') | (('sea' <-> 'level'))) & !('oil' | '~oil')`; got != want {
		t.Errorf("TSQuery() = %s, want %s", got, want)
	}
	parts := q.Parts()
	if len(parts) != 2 || parts[1].FTS5() != `(("sea level"))` || parts[0].IsLoose() {
		t.Errorf("Parts() = %v", parts)
	}
}

func TestQuestionWords(t *testing.T) {
	for in, want := range map[string]string{
		"why is the Aral Sea shrinking?":          "Aral Sea shrinking?",
		"how much money do migrants send home":    "money migrants send home",
		"Почему мелеет Аральское море?":           "мелеет Аральское море?",
		"сколько денег отправляют мигранты домой": "денег отправляют мигранты домой",
		`"how much" money`: "much money", // quoted, it is kept
	} {
		if got := ParseQuery(in).String(); got != want {
			t.Errorf("ParseQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTSVectorsPairs(t *testing.T) {
	tsv, pairs := TSVectors("Tokayev in Almaty", "", "Energy", "Rail link, rail link")
	if tsv != TSVector("Tokayev in Almaty", "", "Energy", "Rail link, rail link") {
		t.Errorf("TSVectors' tsvector %s differs from TSVector's", tsv)
	}
	// Neighbours within a field, stems only (no name keys), each pair
	// once; none across fields (Almaty / Energy / Rail).
	want := "'link rail' 'rail link' 'tokayev almati'"
	if pairs != want {
		t.Errorf("pairs = %s\nwant    %s", pairs, want)
	}
	if _, pairs := TSVectors("", "", "", ""); pairs != "" {
		t.Errorf("pairs of an empty document = %q", pairs)
	}
}

func TestTSPairsKeepWhatPostgreSQLKeeps(t *testing.T) {
	// PostgreSQL keeps a lexeme's first 256 positions, and none past
	// 16383: pairs at the positions it drops are not pairs it can match.
	body := strings.Repeat("rail ", 300) + "link"
	if _, pairs := TSVectors("", "", "", body); pairs != "'rail rail'" {
		t.Errorf("pairs after 256 positions = %s, want only 'rail rail'", pairs)
	}
	var b strings.Builder
	for i := range 16400 {
		fmt.Fprintf(&b, "w%d ", i%200)
	}
	b.WriteString("rail link")
	if _, pairs := TSVectors("", "", "", b.String()); strings.Contains(pairs, "'rail link'") {
		t.Errorf("a pair past position 16383 was kept")
	}
}

func TestPairsTSQuery(t *testing.T) {
	cases := []struct {
		in, pairs string
		exact     bool
	}{
		{`"rail link"`, `(('rail link'))`, true},
		{`"rail link" "gas pipeline"`, `(('rail link')) & (('gas pipelin'))`, true},
		{`"rail link" OR "gas pipeline"`, `(('rail link') | ('gas pipelin'))`, true},
		{`"new rail link"`, `(('new rail' & 'rail link'))`, false},
		{`"rail link" china`, `(('rail link'))`, false},
		{`"rail link" -china`, `(('rail link'))`, false},
		{`"rail link" OR china`, ``, false},
		{`china -"rail link"`, ``, false},
		{`rail link`, ``, false},
		{`Нур-Султан`, `(('нур султа'))`, true},
		{``, ``, false},
	}
	for _, c := range cases {
		pairs, exact := ParseQuery(c.in).PairsTSQuery()
		if pairs != c.pairs || exact != c.exact {
			t.Errorf("ParseQuery(%q).PairsTSQuery() = %s, %v; want %s, %v", c.in, pairs, exact, c.pairs, c.exact)
		}
	}
	if pairs, _ := ParseQuery(`"rail link"`).Loose().PairsTSQuery(); pairs != "" {
		t.Errorf("a loose query's pairs = %s, want none (any clause may match)", pairs)
	}
}
