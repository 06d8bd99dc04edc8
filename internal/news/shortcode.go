package news

import (
	"html"
	"maps"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// MediaResolver finds an uploaded image by its WordPress attachment ID, so
// that a [gallery ids="…"] can show real pictures.
type MediaResolver func(id int64) (Figure, bool)

// knownShortcodes are the WordPress shortcodes Dastan renders itself.
var knownShortcodes = map[string]bool{
	"caption":    true,
	"wp_caption": true,
	"gallery":    true,
	"embed":      true,
	"audio":      true,
	"video":      true,
}

// maxShortcodeDepth bounds how deep shortcodes nest before the rest is
// shown as text; real content nests one or two levels.
const maxShortcodeDepth = 16

// reShortcodeAttr is WordPress's shortcode_parse_atts expression: named
// values in double, single or no quotes, then positional values.
var reShortcodeAttr = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)`)

// reCaptionImage splits a caption's content into its (linked) image and
// the caption text that follows, as WordPress's img_caption_shortcode does.
var reCaptionImage = regexp.MustCompile(`(?is)^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)`)

var (
	// attrSpaces turns the no-break and zero-width spaces that editors
	// paste into attribute lists into plain spaces, as WordPress does.
	attrSpaces     = strings.NewReplacer("\u00a0", " ", "\u200b", " ")
	bracketEscaper = strings.NewReplacer("[", "&#91;", "]", "&#93;")
)

// shortcode is one parsed [name attrs]content[/name].
type shortcode struct {
	name       string
	rawAttrs   string
	closing    bool // a lone [/name]
	broken     bool // [name with no closing bracket
	selfClose  bool // [name … /]
	hasContent bool
	content    string
	end        int // index just past the shortcode in the source
}

// isShortcode tells a shortcode from prose that happens to use brackets:
// "[sic]" and "[Editor's note: …]" stay as written, while unknown
// shortcodes with attributes or a closing tag are recognised.
func (sc shortcode) isShortcode() bool {
	if knownShortcodes[sc.name] || sc.closing {
		return true
	}
	return sc.hasContent || sc.selfClose || strings.Contains(sc.rawAttrs, "=")
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// parseShortcodeAt reads the shortcode whose '[' is at src[i]. ok is false
// when the bracket does not start anything shaped like a shortcode.
// lastCloser, when not nil, remembers where each [/name] last occurs in
// src, so that many tags without closers cost one search, not one each.
func parseShortcodeAt(src string, i int, lastCloser map[string]int) (sc shortcode, ok bool) {
	j := i + 1
	if j < len(src) && src[j] == '/' {
		sc.closing = true
		j++
	}
	start := j
	if j >= len(src) || !(src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z') {
		return sc, false
	}
	for j < len(src) && isNameByte(src[j]) {
		j++
	}
	sc.name = src[start:j]
	if sc.closing {
		if j < len(src) && src[j] == ']' {
			sc.end = j + 1
			return sc, true
		}
		return sc, false
	}
	if j < len(src) {
		switch src[j] {
		case ' ', '\t', '\n', '\r', ']', '/':
		default:
			return sc, false
		}
	}
	closeAt := strings.IndexByte(src[j:], ']')
	if closeAt < 0 {
		sc.broken = true
		sc.end = j
		return sc, true
	}
	sc.rawAttrs = src[j : j+closeAt]
	sc.end = j + closeAt + 1
	if strings.HasSuffix(sc.rawAttrs, "/") {
		sc.rawAttrs = strings.TrimSuffix(sc.rawAttrs, "/")
		sc.selfClose = true
		return sc, true
	}
	closer := "[/" + sc.name + "]"
	if lastCloser != nil {
		last, seen := lastCloser[sc.name]
		if !seen {
			last = strings.LastIndex(src, closer)
			lastCloser[sc.name] = last
		}
		if last < sc.end {
			return sc, true
		}
	}
	if k := strings.Index(src[sc.end:], closer); k >= 0 {
		sc.hasContent = true
		sc.content = src[sc.end : sc.end+k]
		sc.end += k + len(closer)
	}
	return sc, true
}

// attrs parses the shortcode's attributes: named ones lowercased into the
// map, positional ones in order.
func (sc shortcode) attrs() (named map[string]string, positional []string) {
	named = map[string]string{}
	raw := attrSpaces.Replace(sc.rawAttrs)
	for _, m := range reShortcodeAttr.FindAllStringSubmatch(raw, -1) {
		switch {
		case m[1] != "":
			named[strings.ToLower(m[1])] = m[2]
		case m[3] != "":
			named[strings.ToLower(m[3])] = m[4]
		case m[5] != "":
			named[strings.ToLower(m[5])] = m[6]
		case m[7] != "" || strings.HasPrefix(m[0], `"`):
			positional = append(positional, m[7])
		case m[8] != "" || strings.HasPrefix(m[0], `'`):
			positional = append(positional, m[8])
		default:
			positional = append(positional, strings.TrimSpace(m[9]))
		}
	}
	return named, positional
}

// ExpandShortcodes turns the WordPress shortcodes of an archived body into
// HTML. Galleries render nothing without a MediaResolver; see
// ExpandShortcodesWith.
func ExpandShortcodes(src string) string {
	return ExpandShortcodesWith(src, nil)
}

// ExpandShortcodesWith turns shortcodes into HTML, asking r for the images
// of galleries. Unknown shortcodes lose their brackets and keep their
// content; [[name]] is shown as the literal text [name], as in WordPress.
// The result holds no bracket that would start a known shortcode.
func ExpandShortcodesWith(src string, r MediaResolver) string {
	if !strings.Contains(src, "[") {
		return src
	}
	return neutralizeKnownTags(expandShortcodes(src, r, 0, nil))
}

// ShortcodeNames lists, once each and in order of appearance, the
// shortcodes in src that Dastan does not render and will strip, so an
// importer can report what an archive used.
func ShortcodeNames(src string) []string {
	var names []string
	seen := map[string]bool{}
	expandShortcodes(src, nil, 0, func(name string) {
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	})
	return names
}

func expandShortcodes(src string, r MediaResolver, depth int, unknown func(string)) string {
	if !strings.Contains(src, "[") {
		return src
	}
	if depth > maxShortcodeDepth {
		return escapeBrackets(src)
	}
	var b strings.Builder
	b.Grow(len(src))
	lastCloser := map[string]int{}
	for i := 0; i < len(src); {
		k := strings.IndexByte(src[i:], '[')
		if k < 0 {
			b.WriteString(src[i:])
			break
		}
		j := i + k
		b.WriteString(src[i:j])
		if j+1 < len(src) && src[j+1] == '[' {
			// [[name …]] is WordPress's way to write a shortcode as text.
			if sc, ok := parseShortcodeAt(src, j+1, lastCloser); ok && !sc.broken && sc.isShortcode() &&
				sc.end < len(src) && src[sc.end] == ']' {
				b.WriteString(escapeBrackets(src[j+1 : sc.end]))
				i = sc.end + 1
				continue
			}
			b.WriteByte('[')
			i = j + 1
			continue
		}
		sc, ok := parseShortcodeAt(src, j, lastCloser)
		switch {
		case !ok:
			b.WriteByte('[')
			i = j + 1
		case sc.broken:
			if knownShortcodes[sc.name] {
				// An opening tag that never closes: drop the tag's name
				// rather than show a half shortcode.
				i = sc.end
			} else {
				b.WriteByte('[')
				i = j + 1
			}
		case sc.closing:
			// A closing tag with no opening one.
			i = sc.end
		case !sc.isShortcode():
			b.WriteByte('[')
			i = j + 1
		default:
			b.WriteString(renderShortcode(sc, r, depth, unknown))
			i = sc.end
		}
	}
	return b.String()
}

func renderShortcode(sc shortcode, r MediaResolver, depth int, unknown func(string)) string {
	named, positional := sc.attrs()
	switch sc.name {
	case "caption", "wp_caption":
		return renderCaption(sc, named, r, depth, unknown)
	case "gallery":
		return renderGallery(named, r)
	case "embed":
		u := strings.TrimSpace(sc.content)
		if u == "" {
			u = named["url"]
		}
		if u == "" {
			u = named["src"]
		}
		if u == "" && len(positional) > 0 {
			u = positional[0]
		}
		return renderEmbed(u)
	case "audio":
		return renderAudio(named, positional)
	case "video":
		return renderVideo(named, positional)
	}
	if unknown != nil {
		unknown(sc.name)
	}
	return expandShortcodes(sc.content, r, depth+1, unknown)
}

func renderCaption(sc shortcode, named map[string]string, r MediaResolver, depth int, unknown func(string)) string {
	content := strings.TrimSpace(sc.content)
	caption := strings.TrimSpace(named["caption"])
	if caption == "" {
		if m := reCaptionImage.FindStringSubmatch(content); m != nil {
			content = m[1]
			caption = strings.TrimSpace(m[2])
		}
	}
	content = expandShortcodes(content, r, depth+1, unknown)
	caption = expandShortcodes(caption, r, depth+1, unknown)
	if strings.TrimSpace(content) == "" && caption == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("<figure")
	if class := alignClass(named["align"]); class != "" {
		b.WriteString(` class="` + class + `"`)
	}
	b.WriteString(">")
	b.WriteString(content)
	if caption != "" {
		b.WriteString("<figcaption>" + caption + "</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String()
}

// alignClass maps WordPress's alignleft/aligncenter/alignright to Dastan's
// class names; anything else gets no class.
func alignClass(align string) string {
	switch strings.ToLower(strings.TrimSpace(align)) {
	case "alignleft", "left":
		return "align-left"
	case "aligncenter", "center":
		return "align-center"
	case "alignright", "right":
		return "align-right"
	}
	return ""
}

func renderGallery(named map[string]string, r MediaResolver) string {
	if r == nil {
		return ""
	}
	ids := named["ids"]
	if ids == "" {
		ids = named["include"]
	}
	var figs []Figure
	var kept []string
	for _, field := range strings.Split(ids, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(field), 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		if f, ok := r(id); ok && safeURL(f.URL) != "" {
			figs = append(figs, f)
			kept = append(kept, strconv.FormatInt(id, 10))
		}
	}
	if len(figs) == 0 {
		return ""
	}
	columns := 3
	if c, err := strconv.Atoi(strings.TrimSpace(named["columns"])); err == nil && c >= 1 && c <= 9 {
		columns = c
	}
	var b strings.Builder
	b.WriteString(`<div class="gallery gallery-columns-` + strconv.Itoa(columns) + `" data-ids="` + strings.Join(kept, ",") + `">`)
	for _, f := range figs {
		b.WriteString(`<figure class="gallery-item">`)
		b.WriteString(figureImg(f))
		if f.Caption != "" {
			b.WriteString("<figcaption>" + html.EscapeString(f.Caption) + "</figcaption>")
		}
		b.WriteString("</figure>")
	}
	b.WriteString("</div>")
	return b.String()
}

// figureImg writes the <img> of a figure, lazily loaded.
func figureImg(f Figure) string {
	var b strings.Builder
	b.WriteString(`<img src="` + html.EscapeString(safeURL(f.URL)) + `" alt="` + html.EscapeString(f.Alt) + `"`)
	if f.Width > 0 && f.Height > 0 {
		b.WriteString(` width="` + strconv.Itoa(f.Width) + `" height="` + strconv.Itoa(f.Height) + `"`)
	}
	if f.SrcSet != "" {
		b.WriteString(` srcset="` + html.EscapeString(f.SrcSet) + `"`)
	}
	b.WriteString(` loading="lazy">`)
	return b.String()
}

// SafeURL returns u unescaped and trimmed if it is an http(s) or
// site-relative URL, and "" otherwise: the rule for every address Dastan
// takes from imported or written content into pages, feeds and the API.
func SafeURL(u string) string { return safeURL(u) }

// safeURL is SafeURL; shortcodes never produce other links.
func safeURL(u string) string {
	u = strings.TrimSpace(html.UnescapeString(u))
	if u == "" || strings.ContainsAny(u, " \t\r\n\"'<>`\\") {
		return ""
	}
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return u
	}
	return ""
}

var (
	reYouTubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{6,20}$`)
	reVimeoID   = regexp.MustCompile(`^[0-9]{1,12}$`)
)

// videoEmbedURL gives the player URL for a YouTube or Vimeo page, or "".
func videoEmbedURL(raw string) string {
	p, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
	host = strings.TrimPrefix(host, "m.")
	path := strings.Trim(p.Path, "/")
	switch host {
	case "youtube.com", "youtube-nocookie.com":
		var id string
		switch {
		case path == "watch":
			id = p.Query().Get("v")
		case strings.HasPrefix(path, "embed/"), strings.HasPrefix(path, "shorts/"), strings.HasPrefix(path, "live/"), strings.HasPrefix(path, "v/"):
			id = path[strings.IndexByte(path, '/')+1:]
		}
		if reYouTubeID.MatchString(id) {
			return "https://www.youtube-nocookie.com/embed/" + id
		}
	case "youtu.be":
		if reYouTubeID.MatchString(path) {
			return "https://www.youtube-nocookie.com/embed/" + path
		}
	case "vimeo.com", "player.vimeo.com":
		id := path
		if i := strings.LastIndexByte(path, '/'); i >= 0 {
			id = path[i+1:]
		}
		if reVimeoID.MatchString(id) {
			return "https://player.vimeo.com/video/" + id
		}
	}
	return ""
}

// renderEmbed shows YouTube and Vimeo as players and anything else as a link.
func renderEmbed(raw string) string {
	u := safeURL(raw)
	if u == "" {
		return html.EscapeString(strings.TrimSpace(raw))
	}
	if player := videoEmbedURL(u); player != "" {
		return `<figure class="embed"><iframe src="` + player + `" width="560" height="315" allowfullscreen loading="lazy" title="Video"></iframe></figure>`
	}
	e := html.EscapeString(u)
	return `<a href="` + e + `">` + e + `</a>`
}

// firstURL returns the first usable URL among the named attributes, then
// the positional ones.
func firstURL(named map[string]string, positional []string, keys ...string) string {
	for _, k := range keys {
		if u := safeURL(named[k]); u != "" {
			return u
		}
	}
	for _, p := range positional {
		if u := safeURL(p); u != "" {
			return u
		}
	}
	return ""
}

func renderAudio(named map[string]string, positional []string) string {
	u := firstURL(named, positional, "src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac")
	if u == "" {
		return ""
	}
	return `<audio controls preload="none" src="` + html.EscapeString(u) + `"></audio>`
}

func renderVideo(named map[string]string, positional []string) string {
	u := firstURL(named, positional, "src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
	if u == "" {
		return ""
	}
	if player := videoEmbedURL(u); player != "" {
		return renderEmbed(u)
	}
	var b strings.Builder
	b.WriteString(`<video controls preload="metadata" src="` + html.EscapeString(u) + `"`)
	w, _ := strconv.Atoi(named["width"])
	h, _ := strconv.Atoi(named["height"])
	if w > 0 && h > 0 && w < 10000 && h < 10000 {
		b.WriteString(` width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `"`)
	}
	if poster := safeURL(named["poster"]); poster != "" {
		b.WriteString(` poster="` + html.EscapeString(poster) + `"`)
	}
	b.WriteString("></video>")
	return b.String()
}

// escapeBrackets writes brackets as character references so the text
// reads the same but no longer parses as a shortcode.
func escapeBrackets(s string) string {
	return bracketEscaper.Replace(s)
}

// neutralizeKnownTags escapes the bracket of any [name or [/name of a known
// shortcode still in s: ones that attribute values carried or that
// stripping unknown shortcodes put together. It adds no '[' and removes
// nothing, so it cannot build new tags.
func neutralizeKnownTags(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '[' && startsKnownTag(s[i+1:]) {
			b.WriteString("&#91;")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// startsKnownTag reports whether s (what follows a '[') begins with a known
// shortcode name, optionally after '/', followed by a non-name byte.
func startsKnownTag(s string) bool { return startsTagOf(s, knownShortcodes) }

// startsTagOf reports whether s (what follows a '[') begins with one of
// names, optionally after '/', followed by a non-name byte.
func startsTagOf(s string, names map[string]bool) bool {
	s = strings.TrimPrefix(s, "/")
	n := 0
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	return n > 0 && names[s[:n]]
}

// mediaShortcodes are WordPress's media shortcodes, whose tags never show
// in text: the ones Dastan renders, and [playlist], which it does not.
var mediaShortcodes = func() map[string]bool {
	m := maps.Clone(knownShortcodes)
	m["playlist"] = true
	return m
}()
