package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"dastan/internal/wordpress"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time       { return c.t }
func (c *fakeClock) step(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock            { return &fakeClock{t: time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)} }
func lines(s string) []string             { return strings.Split(strings.Trim(s, "\r\n"), "\r") }
func barOf(out *bytes.Buffer, tty bool, cols int, size int64, c *fakeClock) *progressBar {
	return &progressBar{w: out, tty: tty, cols: cols, now: c.now, size: size, start: c.now()}
}

// On a terminal the bar redraws one line in place, fitting its width:
// how far, items, rate and time left.
func TestProgressBarTerminal(t *testing.T) {
	for _, cols := range []int{120, 80, 40} {
		var out bytes.Buffer
		c := newFakeClock()
		p := barOf(&out, true, cols, 1000, c)
		c.step(10 * time.Second)
		p.update(wordpress.Progress{Items: 500, Offset: 250})
		c.step(50 * time.Millisecond)
		p.update(wordpress.Progress{Items: 510, Offset: 260}) // too soon: not drawn
		c.step(10 * time.Second)
		p.update(wordpress.Progress{Items: 1000, Offset: 500})
		p.done()
		got := lines(out.String())
		if len(got) != 3 {
			t.Fatalf("cols %d: %d redraws, want 3: %q", cols, len(got), out.String())
		}
		for _, l := range got {
			if len(l) != cols-1 {
				t.Errorf("cols %d: line of %d columns: %q", cols, len(l), l)
			}
		}
		first := strings.TrimRight(got[0], " ")
		want := " 25%  500 items  50/s  30s left"
		if !strings.HasSuffix(first, want) {
			t.Errorf("cols %d: %q, want it to end %q", cols, first, want)
		}
		if cols >= 80 {
			// A bar as wide as the words allow (at most 50), a quarter full.
			width := min(cols-1-len(want)-3, 50)
			bar := "[" + strings.Repeat("#", width/4) + strings.Repeat(" ", width-width/4) + "] "
			if !strings.HasPrefix(first, bar) {
				t.Errorf("cols %d: %q, want the bar %q", cols, first, bar)
			}
		} else if strings.Contains(first, "[") {
			t.Errorf("cols %d: no room for a bar, yet %q", cols, first)
		}
		if second := strings.TrimRight(got[1], " "); !strings.HasSuffix(second, " 50%  1000 items  50/s  20s left") {
			t.Errorf("cols %d: second %q", cols, second)
		}
		if last := strings.TrimRight(got[2], " "); !strings.HasSuffix(last, "100%  1000 items  50/s  0s left") {
			t.Errorf("cols %d: last %q", cols, last)
		}
		if !strings.HasSuffix(out.String(), "\n") {
			t.Errorf("cols %d: the finished bar does not end its line", cols)
		}
	}
}

// Elsewhere (a log, CI) it writes a plain line every five seconds.
func TestProgressBarLog(t *testing.T) {
	var out bytes.Buffer
	c := newFakeClock()
	p := barOf(&out, false, 0, 0, c)
	for i := 1; i <= 20; i++ {
		c.step(time.Second)
		p.update(wordpress.Progress{Items: i * 100})
	}
	p.done()
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	// At 1s (the first update), 6s, 11s, 16s, and when done.
	if len(got) != 5 || strings.Contains(out.String(), "\r") || strings.Contains(out.String(), "[") {
		t.Fatalf("log lines %q", got)
	}
	if got[1] != "  0%  600 items  100/s  ? left" {
		t.Errorf("line %q: an export of unknown size has no time left", got[1])
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"8MiB": 8 << 20, "8M": 8 << 20, "8 MB": 8 << 20, "512KiB": 512 << 10, "512k": 512 << 10,
		"1G": 1 << 30, "1048576": 1 << 20, "100B": 100, "0": 0} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "eight", "8TB", "1.5M", "99999999999G"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}
