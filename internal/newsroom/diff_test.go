package newsroom

import (
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
