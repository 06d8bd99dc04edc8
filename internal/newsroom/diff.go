package newsroom

import (
	"html/template"
	"strings"
)

// DiffOp is one line of a diff: kept, removed from the old text, or added
// in the new one.
type DiffOp struct {
	Kind byte // ' ', '-', '+'
	Line string
}

// Diff compares two texts line by line by their longest common
// subsequence. Common leading and trailing lines are trimmed first, so an
// edit in a long article costs only the size of the changed region.
func Diff(a, b string) []DiffOp {
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
	// lcs[i][j] is the length of the LCS of x[i:] and y[j:].
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
