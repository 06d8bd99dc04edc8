package rates

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"dastan/internal/i18n"
)

// ChartSVG draws a small line chart of observations of one currency in the
// given orientation, server-side: no script, an accessible name (<title>) and
// description, and the lowest and highest values labelled on the axis. Zero
// points give an empty chart that says so; one point, a dot. Its words
// and dates are in lang, from words.
func ChartSVG(points []Observation, o Orientation, width, height int, lang string, words *i18n.Catalogue) string {
	width, height = max(width, 120), max(height, 60)
	pts := make([]Observation, 0, len(points))
	for _, p := range points {
		if p.Validate() == nil {
			pts = append(pts, p)
		}
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].BankDate.Before(pts[j].BankDate) })

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="rate-chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img">`,
		width, height, width, height)
	if len(pts) == 0 {
		fmt.Fprintf(&b, `<title>%s</title>`, esc(words.T(lang, "site.chart.empty_title")))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12">%s</text></svg>`, width/2, height/2, esc(words.T(lang, "site.chart.empty")))
		return b.String()
	}
	pair := o.Pair(pts[0].Currency)
	first, last := pts[0], pts[len(pts)-1]
	lo, hi := o.Value(first), o.Value(first)
	for _, p := range pts {
		v := o.Value(p)
		lo, hi = min(lo, v), max(hi, v)
	}
	day := func(d time.Time) string { return i18n.ShortDate(d, true, lang) }
	title := "site.chart.title"
	if last.Demo {
		title = "site.chart.demo_title"
	}
	fmt.Fprintf(&b, `<title>%s</title>`, esc(words.T(lang, title, "Pair", pair, "From", day(first.BankDate), "To", day(last.BankDate))))
	fmt.Fprintf(&b, `<desc>%s</desc>`, esc(words.N(lang, "site.chart.desc", len(pts), "Low", FormatRate(lo), "High", FormatRate(hi),
		"Latest", FormatRate(o.Value(last)), "Date", day(last.BankDate))))

	// Plot area leaves room for value labels on the left and dates below.
	const left, top, bottom, right = 64, 8, 20, 8
	pw, ph := float64(width-left-right), float64(height-top-bottom)
	x := func(i int) float64 {
		if len(pts) == 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(pts)-1)
	}
	y := func(v float64) float64 {
		if hi == lo {
			return top + ph/2
		}
		return top + ph*(hi-v)/(hi-lo)
	}
	fmt.Fprintf(&b, `<g font-size="10" fill="currentColor"><text x="%d" y="%d" text-anchor="end">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`,
		left-4, top+8, FormatRate(hi), left-4, height-bottom, FormatRate(lo))
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, left, height-4, esc(day(first.BankDate)))
	if len(pts) > 1 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, width-right, height-4, esc(day(last.BankDate)))
	}
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="currentColor" stroke-opacity="0.3"/>`,
		left, height-bottom, width-right, height-bottom)
	if len(pts) == 1 {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="currentColor"/></svg>`, x(0), y(o.Value(first)))
		return b.String()
	}
	b.WriteString(`<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="`)
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", x(i), y(o.Value(p)))
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}

func esc(s string) string { return html.EscapeString(s) }
