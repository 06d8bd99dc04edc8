package news

import (
	"regexp"
	"strconv"
	"strings"
)

// allBlocks are the elements WordPress treats as blocks when it adds
// paragraphs: never wrapped in <p>, never followed by <br />.
const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

// The expressions of WordPress's wpautop, compiled once. Names follow the
// step they serve.
var (
	reDoubleBr        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	reHr              = regexp.MustCompile(`(<hr\s*?/?>)`)
	reHTMLTagOrCmt    = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	reOptionBefore    = regexp.MustCompile(`\s*<option`)
	reOptionAfter     = regexp.MustCompile(`</option>\s*`)
	reObjectOpen      = regexp.MustCompile(`(<object[^>]*>)\s*`)
	reObjectClose     = regexp.MustCompile(`\s*</object>`)
	reParamEmbed      = regexp.MustCompile(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	reMediaOpen       = regexp.MustCompile(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	reMediaClose      = regexp.MustCompile(`\s*([<\[]/(?:audio|video)[>\]])`)
	reSourceTrack     = regexp.MustCompile(`\s*(<(?:source|track)[^>]*>)\s*`)
	reFigcaptionOpen  = regexp.MustCompile(`\s*(<figcaption[^>]*>)`)
	reFigcaptionClose = regexp.MustCompile(`</figcaption>\s*`)
	reParaSplit       = regexp.MustCompile(`\n\s*\n`)
	reWrappedLi       = regexp.MustCompile(`<p>(<li.+?)</p>`)
	reBlockquoteInP   = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	reBrBeforeBlock   = regexp.MustCompile(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	reKeepNewlines    = []*regexp.Regexp{
		regexp.MustCompile(`(?s)<script.*?</script>`),
		regexp.MustCompile(`(?s)<style.*?</style>`),
		regexp.MustCompile(`(?s)<svg.*?</svg>`),
		regexp.MustCompile(`(?s)<math.*?</math>`),
	}
	// keepNewlinesIn are what each of reKeepNewlines starts with.
	keepNewlinesIn = []string{"<script", "<style", "<svg", "<math"}
	reBlockComment = regexp.MustCompile(`(?s)<!--\s*/?wp:.*?-->\n?`)
)

const (
	wpnl            = " <!-- wpnl --> "
	preserveNewline = "<WPPreserveNewline />"
)

// Autop adds paragraphs to classic-editor HTML the way WordPress's wpautop
// does: blank lines separate paragraphs, single newlines become <br />,
// and block elements, <pre> and <script>/<style> contents are left alone.
// Archived WordPress bodies were written for this treatment and look
// wrong without it.
func Autop(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text += "\n"

	// <pre> blocks must come back untouched: park them behind placeholders.
	var preTags []string
	if strings.Contains(text, "<pre") {
		parts := strings.Split(text, "</pre>")
		last := parts[len(parts)-1]
		var b strings.Builder
		for _, part := range parts[:len(parts)-1] {
			start := strings.Index(part, "<pre")
			if start < 0 {
				b.WriteString(part)
				continue
			}
			name := "<pre wp-pre-tag-" + strconv.Itoa(len(preTags)) + "></pre>"
			preTags = append(preTags, name, part[start:]+"</pre>")
			b.WriteString(part[:start])
			b.WriteString(name)
		}
		b.WriteString(last)
		text = b.String()
	}

	if strings.Contains(text, "<br") {
		text = reDoubleBr.ReplaceAllString(text, "\n\n")
	}
	text = breakAroundBlocks(text) // reBlockOpen, then reBlockClose
	if strings.Contains(text, "<hr") {
		text = reHr.ReplaceAllString(text, "$1\n\n")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")

	// Newlines inside tags and comments are not paragraph breaks.
	text = reHTMLTagOrCmt.ReplaceAllStringFunc(text, func(tag string) string {
		if strings.HasPrefix(tag, "<!-- wpnl") {
			return tag
		}
		return strings.ReplaceAll(tag, "\n", wpnl)
	})

	if strings.Contains(text, "<option") {
		text = reOptionBefore.ReplaceAllString(text, "<option")
		text = reOptionAfter.ReplaceAllString(text, "</option>")
	}
	if strings.Contains(text, "</object>") {
		text = reObjectOpen.ReplaceAllString(text, "$1")
		text = reObjectClose.ReplaceAllString(text, "</object>")
		text = reParamEmbed.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<source") || strings.Contains(text, "<track") {
		text = reMediaOpen.ReplaceAllString(text, "$1")
		text = reMediaClose.ReplaceAllString(text, "$1")
		text = reSourceTrack.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<figcaption") {
		text = reFigcaptionOpen.ReplaceAllString(text, "$1")
		text = reFigcaptionClose.ReplaceAllString(text, "</figcaption>")
	}

	text = squeezeNewlines(text) // reManyNewlines
	var b strings.Builder
	for _, para := range reParaSplit.Split(text, -1) {
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(para, "\n"))
		b.WriteString("</p>\n")
	}
	text = b.String()

	text = dropEmptyP(text)                // reEmptyP
	text = closeUnclosedP(text)            // reUnclosedP
	text = dropPBeforeBlockTag(text, true) // reWrappedBlock
	if strings.Contains(text, "<p><li") {
		text = reWrappedLi.ReplaceAllString(text, "$1")
	}
	if containsFold(text, "<p><blockquote") {
		text = reBlockquoteInP.ReplaceAllString(text, "<blockquote$1><p>")
	}
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = dropPBeforeBlockTag(text, false) // rePBeforeBlock
	text = dropAfterBlockTag(text, "</p>")  // rePAfterBlock

	for i, re := range reKeepNewlines {
		if !strings.Contains(text, keepNewlinesIn[i]) {
			continue
		}
		text = re.ReplaceAllStringFunc(text, func(s string) string {
			return strings.ReplaceAll(s, "\n", preserveNewline)
		})
	}
	text = strings.ReplaceAll(text, "<br>", "<br />")
	text = strings.ReplaceAll(text, "<br/>", "<br />")
	text = newlinesToBr(text)
	text = strings.ReplaceAll(text, preserveNewline, "\n")

	text = dropAfterBlockTag(text, "<br />") // reBrAfterBlock
	if strings.Contains(text, "<br />") {
		text = reBrBeforeBlock.ReplaceAllString(text, "$1")
	}
	if strings.HasSuffix(text, "\n</p>") {
		text = text[:len(text)-len("\n</p>")] + "</p>"
	}

	if len(preTags) > 0 {
		text = strings.NewReplacer(preTags...).Replace(text)
	}
	if strings.Contains(text, "<!-- wpnl -->") {
		text = strings.ReplaceAll(text, wpnl, "\n")
		text = strings.ReplaceAll(text, "<!-- wpnl -->", "\n")
	}
	return text
}

// newlinesToBr does wpautop's `(?<!<br />)\s*\n` → "<br />\n": every run of
// whitespace ending in a newline becomes a line break, unless a <br />
// already stands right before it. RE2 has no look-behind, hence the loop.
//
// It jumps from newline to newline (strings.IndexByte) and copies the text
// between them whole: the run of whitespace around each newline is all it
// looks at.
func newlinesToBr(s string) string {
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	done := 0 // s[:done] is written; s[done] is not white space
	for nl >= 0 {
		start := nl // the run of white space holding this newline: s[start:end]
		for start > done && isPCRESpace(s[start-1]) {
			start--
		}
		end := nl + 1
		for end < len(s) && isPCRESpace(s[end]) {
			end++
		}
		last := start + strings.LastIndexByte(s[start:end], '\n')
		b.WriteString(s[done:start])
		if strings.HasSuffix(s[:start], "<br />") {
			// The run's first character stays; what follows it is a run
			// of its own, with no <br /> before it.
			b.WriteByte(s[start])
			if last > start {
				b.WriteString("<br />\n")
				b.WriteString(s[last+1 : end])
			} else {
				b.WriteString(s[start+1 : end])
			}
		} else {
			b.WriteString("<br />\n")
			b.WriteString(s[last+1 : end])
		}
		done = end
		if next := strings.IndexByte(s[end:], '\n'); next >= 0 {
			nl = end + next
		} else {
			nl = -1
		}
	}
	b.WriteString(s[done:])
	return b.String()
}

func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// HasBlocks reports whether s was written in the block editor. WordPress
// leaves such content without automatic paragraphs, and so does Dastan.
func HasBlocks(s string) bool {
	return strings.Contains(s, "<!-- wp:")
}

// StripBlockComments removes the block editor's <!-- wp:… --> and
// <!-- /wp:… --> delimiters, which mean nothing to a reader.
func StripBlockComments(s string) string {
	if !strings.Contains(s, "wp:") {
		return s
	}
	return reBlockComment.ReplaceAllString(s, "")
}
