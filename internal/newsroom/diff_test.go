package newsroom

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"a\nb\nc\nd", "a\nx\nc\nd\ne", " a|-b|+x| c| d|+e|"},
		{"", "new", "+new|"},
		{"old", "", "-old|"},
		{"same\n", "same", " same|"},
	} {
		var b strings.Builder
		for _, op := range Diff(c.a, c.b) {
			b.WriteString(string(op.Kind) + op.Line + "|")
		}
		if b.String() != c.want {
			t.Errorf("Diff(%q, %q) = %q, want %q", c.a, c.b, b.String(), c.want)
		}
	}
	if h := DiffHTML(Diff("<b>", "<i>")); !strings.Contains(string(h), "&lt;b&gt;") || strings.Contains(string(h), "<b>") {
		t.Fatalf("diff HTML not escaped: %s", h)
	}
}

// Ordinary revisions (a few paragraphs changed, added, dropped or moved,
// blank lines between them) read exactly as they did with the table.
func TestDiffKeepsOrdinaryOutput(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var old []string
		for i := range 5 + r.IntN(40) {
			old = append(old, fmt.Sprintf("Paragraph %d.", i), "")
		}
		edited := slices.Clone(old)
		for e := range 1 + r.IntN(3) {
			p := r.IntN(len(edited))
			switch r.IntN(4) {
			case 0:
				edited[p] += " Corrected."
			case 1:
				edited = slices.Delete(edited, p, p+1)
			case 2:
				edited = slices.Insert(edited, p, fmt.Sprintf("Added %d.", e), "")
			case 3:
				l := edited[p]
				edited = slices.Delete(edited, p, p+1)
				edited = slices.Insert(edited, r.IntN(len(edited)+1), l)
			}
		}
		a, b := strings.Join(old, "\n"), strings.Join(edited, "\n")
		if got, want := opsString(Diff(a, b)), opsString(tableDiff(a, b)); got != want {
			t.Fatalf("Diff(%q, %q)\n got %s\nwant %s", a, b, got, want)
		}
	}
}

// The split that long revisions go through finds a shortest edit script,
// one that turns the old text into the new, with each run of changes as
// removals then additions.
func TestDiffSplitIsShortest(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		// Few distinct lines, so that many alignments tie.
		a, b := randomLines(r, r.IntN(30)), randomLines(r, r.IntN(30))
		d := differ{noTable: true}
		d.compare(splitLines(a), splitLines(b))
		ops := groupChanges(d.out)
		checkScript(t, a, b, ops)
		if got, want := changes(ops), changes(tableDiff(a, b)); got != want {
			t.Fatalf("Diff(%q, %q) makes %d changes, the table %d: %s", a, b, got, want, opsString(ops))
		}
	}
}

// Two 5,000-line revisions are compared in full, through splits and
// small tables, into a shortest script that turns one into the other.
func TestDiffLongRevisions(t *testing.T) {
	old, new := revisionPair(5000)
	ops := Diff(old, new)
	checkScript(t, old, new, ops)
	a, b := splitLines(old), splitLines(new)
	if got, want := changes(ops), len(a)+len(b)-2*lcsLength(a, b); got != want {
		t.Errorf("%d changes, want %d", got, want)
	}
}

// lcsLength is the length of the longest common subsequence of a and b,
// two rows of the table at a time.
func lcsLength(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// A rewrite with more than maxEdits changes is shown as the old text
// removed and the new one added, at once.
func TestDiffRewriteShownWhole(t *testing.T) {
	var a, b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&a, "Old line %d\n", i)
		fmt.Fprintf(&b, "New line %d\n", i)
	}
	ops := Diff(a.String(), b.String())
	checkScript(t, a.String(), b.String(), ops)
	if len(ops) != 6000 || ops[0] != (DiffOp{'-', "Old line 0"}) || ops[3000] != (DiffOp{'+', "New line 0"}) {
		t.Fatalf("%d lines, starting %v", len(ops), ops[:2])
	}
}

func randomLines(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(string(rune('a'+r.IntN(4))) + "\n")
	}
	return b.String()
}

// checkScript fails t unless ops turn a into b, and list each run of
// changes as its removals, then its additions.
func checkScript(t *testing.T, a, b string, ops []DiffOp) {
	t.Helper()
	var from, to []string
	for i, op := range ops {
		if op.Kind != '+' {
			from = append(from, op.Line)
		}
		if op.Kind != '-' {
			to = append(to, op.Line)
		}
		if i > 0 && ops[i-1].Kind == '+' && op.Kind == '-' {
			t.Fatalf("an addition before a removal at line %d: %s", i, opsString(ops))
		}
	}
	if !slices.Equal(from, splitLines(a)) || !slices.Equal(to, splitLines(b)) {
		t.Fatalf("the script does not turn %q into %q: %s", a, b, opsString(ops))
	}
}

func changes(ops []DiffOp) int {
	n := 0
	for _, op := range ops {
		if op.Kind != ' ' {
			n++
		}
	}
	return n
}

// revisionPair is two revisions of a long article (lines paragraphs and
// the blank lines between them): the second edits every tenth paragraph,
// drops every 97th and adds one after every 50th, so that trimming the
// common start and end leaves nearly all of it to compare.
func revisionPair(lines int) (old, new string) {
	var a, b strings.Builder
	for i := range lines / 2 {
		p := fmt.Sprintf("Paragraph %d of the report from Almaty, with its figures.", i)
		a.WriteString(p + "\n\n")
		switch {
		case i%97 == 0:
		case i%10 == 0:
			b.WriteString(p + " Corrected.\n\n")
		default:
			b.WriteString(p + "\n\n")
		}
		if i%50 == 0 {
			fmt.Fprintf(&b, "An added paragraph after %d.\n\n", i)
		}
	}
	return a.String(), b.String()
}

// BenchmarkDiff5000 diffs two 5,000-line revisions, as the revision page
// does: go test -run '^$' -bench Diff5000 -benchmem ./internal/newsroom/
func BenchmarkDiff5000(b *testing.B) {
	old, new := revisionPair(5000)
	b.ReportAllocs()
	for b.Loop() {
		Diff(old, new)
	}
}

// tableDiff is the diff Diff replaced, as it was: common leading and
// trailing lines set aside, then the longest common subsequence of the
// rest from a full table of len(a)×len(b) cells. It stays as the
// reference Diff is checked against.
func tableDiff(a, b string) []DiffOp {
	al, bl := splitLines(a), splitLines(b)
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	var out []DiffOp
	for _, l := range al[:pre] {
		out = append(out, DiffOp{' ', l})
	}
	x, y := al[pre:len(al)-suf], bl[pre:len(bl)-suf]
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			out = append(out, DiffOp{' ', x[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffOp{'-', x[i]})
			i++
		default:
			out = append(out, DiffOp{'+', y[j]})
			j++
		}
	}
	for ; i < len(x); i++ {
		out = append(out, DiffOp{'-', x[i]})
	}
	for ; j < len(y); j++ {
		out = append(out, DiffOp{'+', y[j]})
	}
	for _, l := range al[len(al)-suf:] {
		out = append(out, DiffOp{' ', l})
	}
	return out
}

func opsString(ops []DiffOp) string {
	var b strings.Builder
	for _, op := range ops {
		b.WriteString(string(op.Kind) + op.Line + "|")
	}
	return b.String()
}
