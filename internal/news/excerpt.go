package news

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// SplitMore returns what comes before WordPress's <!--more--> (or
// <!--more Custom text-->) and whether the source has one.
func SplitMore(source string) (teaser string, hasMore bool) {
	loc := reMoreTag.FindStringIndex(source)
	if loc == nil {
		return source, false
	}
	return source[:loc[0]], true
}

// textSkipped are elements whose text is not part of an article's prose:
// code and styles, and captions, which describe pictures the plain text
// does not show.
var textSkipped = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true,
	"figcaption": true, "iframe": true, "svg": true, "math": true,
	"audio": true, "video": true, "object": true, "select": true,
}

// textBlocks end a run of words: their boundaries become spaces so that
// "<p>one</p><p>two</p>" reads "one two", not "onetwo".
var textBlocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true,
	"br": true, "caption": true, "dd": true, "details": true, "div": true,
	"dl": true, "dt": true, "fieldset": true, "figure": true, "footer": true,
	"form": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "header": true, "hr": true, "img": true, "li": true,
	"main": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "summary": true, "table": true, "tbody": true,
	"td": true, "tfoot": true, "th": true, "thead": true, "tr": true,
	"ul": true,
}

// PlainText reduces HTML to its words: tags dropped, entities decoded,
// whitespace collapsed, captions, scripts and styles left out. It is the
// text of excerpts, reading times and feed titles.
func PlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return joinFields(strings.ToValidUTF8(s, ""))
	}
	return joinFields(strings.ToValidUTF8(proseText.read(s), ""))
}

// joinFields is strings.Join(strings.Fields(s), " ") without the list
// of words: every run of white space becomes one space, and none is left
// at either end. Text that is already so comes back as it is. Words are
// copied whole and ASCII is read a byte at a time: every body passes here
// twice on import (its plain text and its excerpt).
func joinFields(s string) string {
	if fieldsJoined(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		start := i // a word: up to the next white space
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if i > start {
			if len(b) > 0 {
				b = append(b, ' ')
			}
			b = append(b, s[start:i]...)
		}
		for i < len(s) { // the white space after it
			if c := s[i]; c < utf8.RuneSelf {
				if !asciiSpace[c] {
					break
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += size
		}
	}
	return string(b)
}

// asciiSpace is isSpace for the ASCII bytes.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// fieldsJoined reports whether joinFields would leave s as it is: no
// white space at either end, and none between words but single spaces.
func fieldsJoined(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c == ' ' {
				if prevSpace {
					return false
				}
				prevSpace = true
			} else if asciiSpace[c] {
				return false
			} else {
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) { // never ' '
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// TextOnly is a title or a name as it may travel to places that read text
// as HTML (feed readers, API clients): PlainText — markup dropped,
// entities decoded once — with no '<' left to start a tag.
func TextOnly(s string) string { return noTags(PlainText(s)) }

// noTags shows a '<' (honest text once decoded from &lt;) as the
// look-alike '‹', so that text which a reader does not escape again still
// cannot open a tag.
func noTags(s string) string { return strings.ReplaceAll(s, "<", "‹") }

// SearchText is the text of a sanitized body as the search index and its
// snippets hold it: tags dropped, entities decoded, block ends made line
// breaks, and stray shortcode tags removed. Unlike PlainText it keeps
// figure captions, which readers search for, and paragraph breaks, at
// which snippets are cut.
func SearchText(bodyHTML string) string {
	return searchTextOf(searchText.read(bodyHTML))
}

// searchTextOf finishes what the searchText reading made of a body.
func searchTextOf(read string) string { return strings.TrimSpace(stripShortcodeText(read)) }

// BodyTexts returns PlainText(bodyHTML) and SearchText(bodyHTML), reading
// the HTML once for both: an import makes both texts of every body, and
// the tokenizer is most of the cost of either.
func BodyTexts(bodyHTML string) (plain, search string) {
	if !strings.ContainsAny(bodyHTML, "<&") {
		// PlainText does not tokenize such text at all.
		return PlainText(bodyHTML), SearchText(bodyHTML)
	}
	texts := readTexts(bodyHTML, proseText, searchText)
	return joinFields(strings.ToValidUTF8(texts[0], "")), searchTextOf(texts[1])
}

// textReading is one way of reading HTML as text: which elements' text is
// left out, and what a start or end tag becomes.
type textReading struct {
	skipped    map[string]bool
	start, end func(tag string) string
}

// proseText reads words for excerpts: a block's edges are spaces.
var proseText = textReading{skipped: textSkipped, start: blockSpace, end: blockSpace}

func blockSpace(tag string) string {
	if textBlocks[tag] {
		return " "
	}
	return ""
}

// searchText reads a body for search: paragraphs end in a blank line,
// line breaks stay, table cells are spaced, and only code is left out.
var searchText = textReading{
	skipped: map[string]bool{"script": true, "style": true, "template": true},
	start: func(tag string) string {
		if tag == "br" {
			return "\n"
		}
		return ""
	},
	end: func(tag string) string {
		switch tag {
		case "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "figure", "tr", "pre":
			return "\n\n"
		case "td", "th":
			return " "
		}
		return ""
	},
}

// read returns the text of s, its whitespace as the reading left it.
func (tr textReading) read(s string) string { return readTexts(s, tr)[0] }

// readTexts returns the text of s by each of readings, from one pass of
// the tokenizer.
func readTexts(s string, readings ...textReading) []string {
	states := make([]textState, len(readings))
	for i, tr := range readings {
		states[i] = textState{tr: tr, skipped: map[string]int{}}
		states[i].b.Grow(len(s))
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			out := make([]string, len(states))
			for i := range states {
				out[i] = states[i].b.String()
			}
			return out
		case html.TextToken:
			var text []byte // Text may be asked once a token
			for i := range states {
				if states[i].skipping == 0 {
					if text == nil {
						text = z.Text()
					}
					states[i].b.Write(text)
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			for i := range states {
				states[i].open(tag, tt == html.StartTagToken)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			for i := range states {
				states[i].close(tag)
			}
		}
	}
}

// textState is one reading's progress through a body: its text so far
// and the skipped elements it is inside.
type textState struct {
	tr       textReading
	b        strings.Builder
	skipped  map[string]int
	skipping int
}

// open takes a start tag; opens is false for a self-closing one.
func (st *textState) open(tag string, opens bool) {
	if opens && st.tr.skipped[tag] {
		st.skipped[tag]++
		st.skipping++
	}
	st.b.WriteString(st.tr.start(tag))
}

// close takes an end tag.
func (st *textState) close(tag string) {
	if st.skipped[tag] > 0 {
		st.skipped[tag]--
		st.skipping--
	}
	if tag == "figure" && st.skipped["figcaption"] > 0 {
		// A caption left open ends with its figure.
		st.skipping -= st.skipped["figcaption"]
		st.skipped["figcaption"] = 0
	}
	st.b.WriteString(st.tr.end(tag))
}

// MakeExcerpt gives the plain-text summary shown in listings, search
// results and feeds: the editor's own excerpt if there is one, else the
// text before <!--more-->, else the start of the body. It never contains
// markup or shortcodes, and is cut at a word, ending in "…", when longer
// than limit runes (ellipsis included). A limit of 0 or less means no cut.
func MakeExcerpt(manual, source string, format Format, bodyHTML string, limit int) string {
	return makeExcerpt(manual, source, format, bodyHTML, func() string { return PlainText(bodyHTML) }, limit)
}

// makeExcerpt is MakeExcerpt with the body's plain text given by bodyText,
// which Prepare has already worked out for the reading time.
func makeExcerpt(manual, source string, format Format, bodyHTML string, bodyText func() string, limit int) string {
	var text string
	if strings.TrimSpace(manual) != "" {
		text = textOf(manual, FormatHTML)
	} else if teaser, ok := SplitMore(source); ok && strings.TrimSpace(teaser) != "" {
		text = textOf(teaser, format)
	} else if bodyHTML != "" {
		text = bodyText()
	} else {
		text = textOf(source, format)
	}
	// Every text above is PlainText's, its white space already joined:
	// only a stripped shortcode can leave a run of spaces to join again
	// (joining a whole body a second time was a share of every import).
	if clean := noTags(stripShortcodeText(text)); clean != text {
		text = joinFields(clean)
	}
	return cutAtWord(text, limit)
}

// textOf renders source and reduces it to plain text; a source that will
// not render still gives its words.
func textOf(source string, format Format) string {
	out, err := RenderBody(source, format)
	if err != nil {
		out, _ = RenderBody(source, FormatHTML)
	}
	return PlainText(out)
}

// stripShortcodeText removes media shortcode tags left as text — written
// as [[caption]] to show them, or pieced together by decoding — so an
// excerpt or a search snippet never shows one.
func stripShortcodeText(s string) string {
	for strings.Contains(s, "[") {
		changed := false
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == '[' && startsTagOf(s[i+1:], mediaShortcodes) {
				changed = true
				if end := strings.IndexByte(s[i:], ']'); end >= 0 {
					i += end
				} else {
					i++
					for i < len(s) && (s[i] == '/' || isNameByte(s[i])) {
						i++
					}
					i--
				}
				continue
			}
			b.WriteByte(s[i])
		}
		s = b.String()
		if !changed {
			break
		}
	}
	return s
}

// longerThan reports whether s has more than n runes, counting no
// further: an excerpt is cut from the start of a whole body's text.
func longerThan(s string, n int) bool {
	if len(s) <= n {
		return false // a rune is at least a byte
	}
	count := 0
	for range s {
		count++
		if count > n {
			return true
		}
	}
	return false
}

// cutAtWord shortens s to at most limit runes, ellipsis included, cutting
// between words, or at a sentence's end (EndCleanly).
func cutAtWord(s string, limit int) string {
	if limit <= 0 || !longerThan(s, limit) {
		return s
	}
	// Only the first limit+1 runes are looked at; a whole body need not
	// become runes.
	end, n := 0, 0
	for end < len(s) && n <= limit {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		n++
	}
	runes := []rune(s[:end])
	trim := func(rs []rune) string {
		return strings.TrimRightFunc(string(rs), func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(«„“\"'", r)
		})
	}
	// The last space that leaves room for the ellipsis once trailing
	// punctuation is trimmed.
	for i := min(limit, len(runes)-1); i > 0; i-- {
		if !unicode.IsSpace(runes[i]) {
			continue
		}
		if out := trim(runes[:i]); out != "" && utf8.RuneCountInString(out) < limit {
			return EndCleanly(out)
		}
	}
	// One word longer than the limit: cut inside it.
	out := string(runes[:max(limit-1, 0)])
	return out + "…"
}

// Reading speeds in words a minute. Russian words are longer on average
// than English ones, so fewer are read in a minute.
const (
	latinWordsPerMinute    = 220
	cyrillicWordsPerMinute = 180
)

// ReadingMinutes estimates how long the body takes to read, at least one
// minute.
func ReadingMinutes(bodyHTML string) int {
	return readingMinutesOf(PlainText(bodyHTML))
}

// readingMinutesOf is ReadingMinutes for text already reduced by PlainText.
// It reads the text once, a byte at a time for ASCII, rather than word by
// word: every imported body passes here.
func readingMinutesOf(text string) int {
	var latin, cyr int
	var letters, cyrLetters int // of the word being read
	endWord := func() {
		switch {
		case letters == 0:
			// Punctuation standing alone, like a dash, is not a word.
		case cyrLetters*2 > letters:
			cyr++
		default:
			latin++
		}
		letters, cyrLetters = 0, 0
	}
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			i++
			switch {
			case asciiSpace[c]:
				endWord()
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
				letters++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case 0x400 <= r && r <= 0x4ff:
			// The basic Cyrillic block: every letter in it is Cyrillic.
			if unicode.IsLetter(r) {
				letters++
				cyrLetters++
			}
		case unicode.IsSpace(r):
			endWord()
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
			if unicode.Is(unicode.Cyrillic, r) {
				cyrLetters++
			}
		}
	}
	endWord()
	m := float64(latin)/latinWordsPerMinute + float64(cyr)/cyrillicWordsPerMinute
	return max(1, int(math.Round(m)))
}
