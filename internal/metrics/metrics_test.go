package metrics

import (
	"bytes"
	"strings"
	"testing"
)

// Series of one family, with labels, share one TYPE line, whatever other
// names sort between them.
func TestLabelledCounters(t *testing.T) {
	r := New()
	r.Add(`dastan_rates_jumps_held_total{currency="KZT"}`, 1)
	r.Add(`dastan_rates_jumps_held_total{currency="UZS"}`, 2)
	r.Add(`dastan_rates_jumps_held_total_x`, 1)
	r.Add(`dastan_rates_jumps_held_total{currency="KZT"}`, 1)
	var b bytes.Buffer
	r.WriteTo(&b)
	out := b.String()
	for _, want := range []string{
		"# TYPE dastan_rates_jumps_held_total counter\ndastan_rates_jumps_held_total{currency=\"KZT\"} 2\ndastan_rates_jumps_held_total{currency=\"UZS\"} 2\n",
		"# TYPE dastan_rates_jumps_held_total_x counter\ndastan_rates_jumps_held_total_x 1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if n := strings.Count(out, "# TYPE dastan_rates_jumps_held_total counter"); n != 1 {
		t.Errorf("%d TYPE lines for one family", n)
	}
}
