package news

import "strings"

// Hand-written equivalents of wpautop's hottest expressions. Each does in
// one pass what its expression (named in its comment) does, with the same
// leftmost, non-overlapping matches; autop_scan_test.go checks them
// against the expressions on fuzzed input. Regular expressions that start
// with an alternation of fifty block names are tried at every byte of a
// body, and were most of the cost of importing an archive.

// blockNames are the names in allBlocks, for exact lookups.
var blockNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Split(`table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary`, "|") {
		m[n] = true
	}
	for c := '1'; c <= '6'; c++ {
		m["h"+string(c)] = true
	}
	return m
}()

// blockPrefixes is allBlocks as a set of prefixes: a tag name matches
// `allBlocks[^>]*>` when it starts with any of them.
var blockPrefixes = func() []string {
	out := make([]string, 0, len(blockNames))
	for n := range blockNames {
		out = append(out, n)
	}
	return out
}()

// blockFirst says which bytes can start a block name, to reject most tags
// at once.
var blockFirst = func() (t [256]bool) {
	for n := range blockNames {
		t[n[0]] = true
	}
	return
}()

// isRE2Space is \s in Go's regular expressions: no vertical tab.
func isRE2Space(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func skipRE2Space(s string, i int) int {
	for i < len(s) && isRE2Space(s[i]) {
		i++
	}
	return i
}

// startsBlockPrefix reports whether s starts with one of the block names.
func startsBlockPrefix(s string) bool {
	if s == "" || !blockFirst[s[0]] {
		return false
	}
	for _, p := range blockPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// gtFinder finds the next '>' at or after a position, remembering the last
// answer so that many '<' before one '>' cost one scan.
type gtFinder struct {
	s        string
	from, at int // the '>' at or after from is at at (-1: none)
}

func (g *gtFinder) next(i int) int {
	if g.at != 0 && i >= g.from && (g.at < 0 || i <= g.at) {
		return g.at
	}
	g.from = i
	if j := strings.IndexByte(g.s[i:], '>'); j >= 0 {
		g.at = i + j
	} else {
		g.at = -1
	}
	return g.at
}

// blockTagEnd matches `</?` + allBlocks + `[^>]*>` at s[i] (a '<') and
// returns the index after its '>', or -1.
func blockTagEnd(s string, i int, g *gtFinder) int {
	j := i + 1
	if j < len(s) && s[j] == '/' {
		j++
	}
	if !startsBlockPrefix(s[j:]) {
		return -1
	}
	k := g.next(j)
	if k < 0 {
		return -1
	}
	return k + 1
}

// dropAfterBlockTag is `(</?allBlocks[^>]*>)\s*SUFFIX` → `$1`, used with
// the suffixes "</p>" and "<br />".
func dropAfterBlockTag(s, suffix string) string {
	if !strings.Contains(s, suffix) {
		return s
	}
	var b strings.Builder
	g := &gtFinder{s: s}
	last := 0
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		end := blockTagEnd(s, i, g)
		if end < 0 {
			i++
			continue
		}
		k := skipRE2Space(s, end)
		if !strings.HasPrefix(s[k:], suffix) {
			i++
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:end])
		i = k + len(suffix)
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// dropPBeforeBlockTag is `<p>\s*(</?allBlocks[^>]*>)` → `$1`, and with
// closing set `<p>\s*(</?allBlocks[^>]*>)\s*</p>` → `$1`.
func dropPBeforeBlockTag(s string, closing bool) string {
	var b strings.Builder
	g := &gtFinder{s: s}
	last := 0
	for i := 0; i < len(s); {
		p := strings.Index(s[i:], "<p>")
		if p < 0 {
			break
		}
		i += p
		t := skipRE2Space(s, i+3)
		if t >= len(s) || s[t] != '<' {
			i++
			continue
		}
		end := blockTagEnd(s, t, g)
		if end < 0 {
			i++
			continue
		}
		next := end
		if closing {
			k := skipRE2Space(s, end)
			if !strings.HasPrefix(s[k:], "</p>") {
				i++
				continue
			}
			next = k + len("</p>")
		}
		b.WriteString(s[last:i])
		b.WriteString(s[t:end])
		i = next
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// nameAt returns the run of [a-z0-9] starting at s[i].
func nameAt(s string, i int) string {
	j := i
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	return s[i:j]
}

// breakAroundBlocks is reBlockOpen (`(<allBlocks[\s/>])` → `\n\n$1`)
// followed by reBlockClose (`(</allBlocks>)` → `$1\n\n`). Block names hold
// only letters and digits, so at most one can match at a '<'.
func breakAroundBlocks(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	last := 0
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		if i+1 < len(s) && s[i+1] == '/' {
			// The opening pass runs first over the whole text, but it
			// inserts only newlines before '<', which cannot change what
			// the closing pass sees.
			n := nameAt(s, i+2)
			e := i + 2 + len(n)
			if blockNames[n] && e < len(s) && s[e] == '>' {
				b.WriteString(s[last : e+1])
				b.WriteString("\n\n")
				last = e + 1
				i = e + 1
				continue
			}
			i++
			continue
		}
		n := nameAt(s, i+1)
		e := i + 1 + len(n)
		if blockNames[n] && e < len(s) && (isRE2Space(s[e]) || s[e] == '/' || s[e] == '>') {
			b.WriteString(s[last:i])
			b.WriteString("\n\n")
			last = i
		}
		i++
	}
	if last == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// closeUnclosedP is `<p>([^<]+)</(div|address|form)>` → `<p>$1</p></$2>`.
func closeUnclosedP(s string) string {
	if !strings.Contains(s, "</div>") && !strings.Contains(s, "</address>") && !strings.Contains(s, "</form>") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		p := strings.Index(s[i:], "<p>")
		if p < 0 {
			break
		}
		i += p
		lt := strings.IndexByte(s[i+3:], '<')
		if lt <= 0 {
			// No text before the next tag (or no tag at all): no match
			// here, and none can start before that '<'.
			if lt < 0 {
				break
			}
			i += 3
			continue
		}
		lt += i + 3
		rest := s[lt:]
		var name string
		for _, n := range [...]string{"div", "address", "form"} {
			if strings.HasPrefix(rest, "</"+n+">") {
				name = n
				break
			}
		}
		if name == "" {
			i = lt
			continue
		}
		b.WriteString(s[last:lt])
		b.WriteString("</p></")
		b.WriteString(name)
		b.WriteString(">")
		i = lt + len("</>") + len(name)
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// squeezeNewlines is `\n\n+` → `\n\n`.
func squeezeNewlines(s string) string {
	if !strings.Contains(s, "\n\n\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '\n' && i+1 < len(s) && s[i+1] == '\n' {
			b.WriteByte('\n')
			i++
			for i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		}
	}
	return b.String()
}

// containsFold reports whether s contains sub (ASCII lower case) in any
// letter case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := strings.IndexByte(s[i:], sub[0])
		if j < 0 {
			return false
		}
		i += j
		if i+len(sub) <= len(s) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// dropEmptyP is `<p>\s*</p>` → “”.
func dropEmptyP(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		p := strings.Index(s[i:], "<p>")
		if p < 0 {
			break
		}
		i += p
		k := skipRE2Space(s, i+3)
		if !strings.HasPrefix(s[k:], "</p>") {
			i += 3
			continue
		}
		b.WriteString(s[last:i])
		i = k + len("</p>")
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
