package newsroom

import (
	"html/template"
	"slices"
	"strings"
)

// DiffOp is one line of a diff: kept, removed from the old text, or added
// in the new one.
type DiffOp struct {
	Kind byte // ' ', '-', '+'
	Line string
}

// Diff compares two texts line by line and returns a shortest edit script,
// each run of changes as its removed lines followed by its added ones.
//
// Common leading and trailing lines are set aside first. A changed stretch
// of at most tableCells line pairs is compared exactly as it always was,
// by a table of its longest common subsequence, so ordinary revisions read
// as before. A longer one is cut in two by Myers' O(ND) algorithm in its
// linear-space form (the search from both ends for the middle of the edit
// path, as diff-match-patch does it) until the pieces fit the table: memory
// stays within a few megabytes however long the articles. A stretch with
// more than maxEdits changes is shown as removed and added whole, which
// bounds the time a rewritten article's page takes.
func Diff(a, b string) []DiffOp {
	al, bl := splitLines(a), splitLines(b)
	d := differ{out: make([]DiffOp, 0, max(len(al), len(bl)))}
	d.compare(al, bl)
	return groupChanges(d.out)
}

const (
	// tableCells is the most line pairs compared by a table: 4 MB of it.
	tableCells = 1 << 20
	// maxEdits is the most changes looked for in one stretch of text:
	// plenty for a heavily edited long article; a rewrite beyond it is
	// shown whole.
	maxEdits = 4000
)

// differ holds a diff's output and the buffers its comparisons reuse.
type differ struct {
	out     []DiffOp
	lcs     []int32 // the table
	v1, v2  []int   // the furthest paths of split's two searches
	noTable bool    // tests set it to check the split alone
}

// compare appends the edit script from a to b.
func (d *differ) compare(a, b []string) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	d.emit(' ', a[:pre])
	a, b = a[pre:], b[pre:]
	suf := 0
	for suf < len(a) && suf < len(b) && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	common := a[len(a)-suf:]
	a, b = a[:len(a)-suf], b[:len(b)-suf]
	if len(a)*len(b) <= tableCells && !d.noTable {
		d.table(a, b)
	} else if x, y, ok := d.split(a, b); ok {
		d.compare(a[:x], b[:y])
		d.compare(a[x:], b[y:])
	} else {
		d.emit('-', a)
		d.emit('+', b)
	}
	d.emit(' ', common)
}

func (d *differ) emit(kind byte, lines []string) {
	for _, l := range lines {
		d.out = append(d.out, DiffOp{kind, l})
	}
}

// table appends the edit script from a to b read off the table of their
// longest common subsequence, keeping a line as soon as it can and
// preferring a removal to an addition.
func (d *differ) table(a, b []string) {
	w := len(b) + 1
	if n := (len(a) + 1) * w; cap(d.lcs) < n {
		d.lcs = make([]int32, n)
	} else {
		d.lcs = d.lcs[:n]
	}
	// lcs[i*w+j] is the length of the LCS of a[i:] and b[j:].
	lcs := d.lcs
	clear(lcs[len(a)*w:])
	for i := len(a) - 1; i >= 0; i-- {
		lcs[i*w+len(b)] = 0
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			d.out = append(d.out, DiffOp{' ', a[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			d.out = append(d.out, DiffOp{'-', a[i]})
			i++
		default:
			d.out = append(d.out, DiffOp{'+', b[j]})
			j++
		}
	}
	d.emit('-', a[i:])
	d.emit('+', b[j:])
}

// split finds a point (x, y) on a shortest edit path from a to b, where
// the paths searched from both ends meet. It reports false when a or b is
// empty, or when the path needs more than maxEdits changes.
func (d *differ) split(a, b []string) (x, y int, ok bool) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return 0, 0, false
	}
	// v1[off+k] is the furthest x reached on diagonal k = x-y from the
	// start; v2 the same from the end, on the reversed texts.
	steps := min((n+m+1)/2, maxEdits/2)
	off, size := steps, 2*steps+2 // diagonals -steps-1 … steps+1
	d.v1, d.v2 = reset(d.v1, size), reset(d.v2, size)
	v1, v2 := d.v1, d.v2
	v1[off+1], v2[off+1] = 0, 0
	delta := n - m
	front := delta%2 != 0 // the forward path is the one to detect the meeting
	// Diagonals whose path ran off the grid are not walked again.
	k1start, k1end, k2start, k2end := 0, 0, 0, 0
	for e := 0; e < steps; e++ {
		for k1 := -e + k1start; k1 <= e-k1end; k1 += 2 {
			i := off + k1
			var x1 int
			if k1 == -e || (k1 != e && v1[i-1] < v1[i+1]) {
				x1 = v1[i+1]
			} else {
				x1 = v1[i-1] + 1
			}
			y1 := x1 - k1
			for x1 < n && y1 < m && a[x1] == b[y1] {
				x1, y1 = x1+1, y1+1
			}
			v1[i] = x1
			switch {
			case x1 > n:
				k1end += 2
			case y1 > m:
				k1start += 2
			case front:
				if j := off + delta - k1; j >= 0 && j < size && v2[j] != -1 && x1 >= n-v2[j] {
					return x1, y1, true
				}
			}
		}
		for k2 := -e + k2start; k2 <= e-k2end; k2 += 2 {
			i := off + k2
			var x2 int
			if k2 == -e || (k2 != e && v2[i-1] < v2[i+1]) {
				x2 = v2[i+1]
			} else {
				x2 = v2[i-1] + 1
			}
			y2 := x2 - k2
			for x2 < n && y2 < m && a[n-1-x2] == b[m-1-y2] {
				x2, y2 = x2+1, y2+1
			}
			v2[i] = x2
			switch {
			case x2 > n:
				k2end += 2
			case y2 > m:
				k2start += 2
			case !front:
				if j := off + delta - k2; j >= 0 && j < size && v1[j] != -1 {
					if x1 := v1[j]; x1 >= n-x2 {
						return x1, x1 - (j - off), true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// reset returns v resized to n and filled with -1, "not reached".
func reset(v []int, n int) []int {
	if cap(v) < n {
		v = make([]int, n)
	}
	v = v[:n]
	for i := range v {
		v[i] = -1
	}
	return v
}

// groupChanges orders each run of changes between kept lines as its
// removals, then its additions: the shape people read a diff in.
func groupChanges(ops []DiffOp) []DiffOp {
	for start := 0; start < len(ops); {
		if ops[start].Kind == ' ' {
			start++
			continue
		}
		end := start
		for end < len(ops) && ops[end].Kind != ' ' {
			end++
		}
		slices.SortStableFunc(ops[start:end], func(x, y DiffOp) int { return int(y.Kind) - int(x.Kind) })
		start = end
	}
	return ops
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// DiffHTML renders a diff as a table of lines marked del and ins, escaped.
func DiffHTML(ops []DiffOp) template.HTML {
	var b strings.Builder
	b.WriteString(`<table class="diff"><tbody>`)
	for _, op := range ops {
		switch op.Kind {
		case '-':
			b.WriteString(`<tr class="del"><th scope="row" aria-label="removed">−</th><td><del>`)
		case '+':
			b.WriteString(`<tr class="ins"><th scope="row" aria-label="added">+</th><td><ins>`)
		default:
			b.WriteString(`<tr><th scope="row"></th><td>`)
		}
		b.WriteString(template.HTMLEscapeString(op.Line))
		switch op.Kind {
		case '-':
			b.WriteString(`</del>`)
		case '+':
			b.WriteString(`</ins>`)
		}
		b.WriteString("</td></tr>\n")
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String())
}

// articleText is what revisions compare: title, standfirst and body.
func articleText(title, standfirst, body string) string {
	return "# " + title + "\n" + standfirst + "\n\n" + body
}
