package wordpress

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

	"dastan/internal/news"
)

// maxListed bounds how many skipped items and notes a report names one by
// one; the counts stay exact.
const maxListed = 200

// Report is what an import did: counts by kind, what it skipped and why,
// files it could not find, and the shortcodes the export used.
type Report struct {
	mu sync.Mutex

	Created   map[string]int // new this run, by kind (post, page, attachment …)
	Updated   map[string]int // changed since the last import
	Unchanged map[string]int // already imported and unchanged
	Comments  int
	Linked    int // translations linked to their original this run (Polylang)

	SkippedByReason map[string]int // "nav_menu_item: menus are not imported" → 70
	Skipped         []string       // the first maxListed, one line each
	Notes           []string
	Shortcodes      map[string]int // rendered as Dastan equivalents
	Unknown         map[string]int // not understood: brackets dropped, content kept
	MissingMedia    []string
	// RefusedAddresses are addresses that are neither http(s) nor
	// site-relative (javascript:, data: …), dropped; the first maxListed.
	RefusedAddresses []string
	Refused          int // how many were dropped
	// TooLarge names the items skipped for their size (the first
	// maxListed), by line and title.
	TooLarge  []string
	Replaced  int64 // characters XML does not allow, replaced
	StoppedAt int   // the line where a broken export stopped the import
}

func newReport() *Report {
	return &Report{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{},
		SkippedByReason: map[string]int{}, Shortcodes: map[string]int{}, Unknown: map[string]int{}}
}

func (r *Report) count(kind string, created bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if created {
		r.Created[kind]++
	} else {
		r.Updated[kind]++
	}
}

func (r *Report) addUnchanged(kind string) {
	r.mu.Lock()
	r.Unchanged[kind]++
	r.mu.Unlock()
}

func (r *Report) addComments(n int) {
	r.mu.Lock()
	r.Comments += n
	r.mu.Unlock()
}

func (r *Report) skip(kind string, id int64, title, why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.SkippedByReason[kind+": "+why]++
	if len(r.Skipped) < maxListed {
		r.Skipped = append(r.Skipped, fmt.Sprintf("%s %d %q: %s", kind, id, title, why))
	}
}

// tooLarge records an item skipped for its size, by line and title.
func (r *Report) tooLarge(v *TooLarge) {
	kind := v.Type
	if kind == "" {
		kind = "item"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.SkippedByReason[fmt.Sprintf("%s: larger than the %s limit for one item (--max-item-size)", kind, byteSize(v.Limit))]++
	line := fmt.Sprintf("%s %d %q at line %d: %s", kind, v.ID, clip(v.Title, 60), v.Line, byteSize(v.Size))
	if len(r.Skipped) < maxListed {
		r.Skipped = append(r.Skipped, line)
	}
	if len(r.TooLarge) < maxListed {
		r.TooLarge = append(r.TooLarge, line)
	}
}

// byteSize writes n bytes for a person: 8 MiB, 60.7 MiB, 512 KiB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MiB"
	case n >= 1<<10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<10)), ".0") + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

// refuseAddress records an address that was dropped because a reader
// must never be sent to it.
func (r *Report) refuseAddress(kind string, id int64, title, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Refused++
	if len(r.RefusedAddresses) < maxListed {
		// Quoted: the address may hold terminal escapes.
		r.RefusedAddresses = append(r.RefusedAddresses, fmt.Sprintf("%s %d %q: %q", kind, id, clip(title, 60), clip(addr, 120)))
	}
}

func (r *Report) note(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.Notes) < maxListed {
		r.Notes = append(r.Notes, s)
	}
}

var reShortcodeName = regexp.MustCompile(`\[([A-Za-z][\w-]*)[\s\]/]`)

var rendered = map[string]bool{"caption": true, "wp_caption": true, "gallery": true, "embed": true, "audio": true, "video": true}

func (r *Report) shortcodes(body string) {
	if !strings.Contains(body, "[") {
		return
	}
	var known []string
	for _, m := range reShortcodeName.FindAllStringSubmatch(body, -1) {
		if rendered[m[1]] {
			known = append(known, m[1])
		}
	}
	unknown := news.ShortcodeNames(body)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range known {
		r.Shortcodes[n]++
	}
	for _, n := range unknown {
		r.Unknown[n]++
	}
}

// Total returns how many objects of kind the store now has from the
// export: created, updated or unchanged.
func (r *Report) Total(kind string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Created[kind] + r.Updated[kind] + r.Unchanged[kind]
}

func (r *Report) written() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range []map[string]int{r.Created, r.Updated, r.Unchanged} {
		for k, v := range m {
			if k == "post" || k == "page" || k == "attachment" {
				n += v
			}
		}
	}
	return n
}

// Write prints the report for a person.
func (r *Report) Write(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(w, "Imported:")
	for _, k := range []string{"post", "page", "attachment", "category", "tag", "author"} {
		label := k + "s"
		if k == "category" {
			label = "categories"
		}
		fmt.Fprintf(w, "  %-11s %6d new, %6d updated, %6d unchanged\n", label, r.Created[k], r.Updated[k], r.Unchanged[k])
	}
	fmt.Fprintf(w, "  %-11s %6d\n", "comments", r.Comments)
	if r.Linked > 0 {
		fmt.Fprintf(w, "  %-11s %6d linked to their original\n", "translations", r.Linked)
	}
	if len(r.SkippedByReason) > 0 {
		fmt.Fprintln(w, "Skipped:")
		for _, k := range sortedKeys(r.SkippedByReason) {
			fmt.Fprintf(w, "  %6d  %s\n", r.SkippedByReason[k], k)
		}
	}
	if len(r.MissingMedia) > 0 {
		fmt.Fprintf(w, "Missing media (%d files; the articles keep their old URLs):\n", len(r.MissingMedia))
		for i, m := range r.MissingMedia {
			if i == maxListed {
				fmt.Fprintf(w, "  … and %d more\n", len(r.MissingMedia)-i)
				break
			}
			fmt.Fprintln(w, "  "+m)
		}
	}
	if len(r.TooLarge) > 0 {
		fmt.Fprintln(w, "Too large to import (skipped; see --max-item-size):")
		for _, l := range r.TooLarge {
			fmt.Fprintln(w, "  "+l)
		}
	}
	if r.Refused > 0 {
		fmt.Fprintf(w, "Addresses dropped (%d; only http(s) and site-relative addresses are kept):\n", r.Refused)
		for _, a := range r.RefusedAddresses {
			fmt.Fprintln(w, "  "+a)
		}
		if r.Refused > len(r.RefusedAddresses) {
			fmt.Fprintf(w, "  … and %d more\n", r.Refused-len(r.RefusedAddresses))
		}
	}
	if len(r.Shortcodes) > 0 {
		fmt.Fprintln(w, "Shortcodes rendered:", countList(r.Shortcodes))
	}
	if len(r.Unknown) > 0 {
		fmt.Fprintln(w, "Shortcodes not understood (brackets dropped, text kept, source kept):", countList(r.Unknown))
	}
	if r.Replaced > 0 {
		fmt.Fprintf(w, "Characters XML does not allow, replaced: %d\n", r.Replaced)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "Note:", n)
	}
	if r.StoppedAt > 0 {
		fmt.Fprintf(w, "Stopped at line %d of the export.\n", r.StoppedAt)
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func countList(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
