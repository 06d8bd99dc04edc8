package news

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// markdown is the editors' Markdown: CommonMark with GitHub's tables,
// strikethrough and autolinks. Raw HTML passes through to the sanitizer,
// which is the only gate that decides what readers get.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

// bodyPolicy is the sanitizer for every article body.
var bodyPolicy = newBodyPolicy()

var (
	reMoreTag       = regexp.MustCompile(`(?s)<!--more(.*?)?-->`)
	reStandaloneURL = regexp.MustCompile(`(?m)^([ \t]*)(https?://[^\s<>"]+)([ \t]*)$`)
	reURLParagraph  = regexp.MustCompile(`(<p(?: [^>]*)?>\s*)(https?://[^\s<>"]+)(\s*</p>)`)
)

// newBodyPolicy allows what news bodies need — text, links, lists, tables,
// figures with captions, responsive images, audio and video, and players
// from YouTube and Vimeo — and nothing that runs script or styles a page.
func newBodyPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Editors' links inside the site stay followed; links elsewhere don't
	// pass reputation. target=_blank gets noopener from bluemonday.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")

	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}( +[A-Za-z][A-Za-z0-9_-]{0,63}){0,15} *$`)).Globally()

	p.AllowElements("figure", "figcaption", "picture")
	mediaURL := regexp.MustCompile(`^(https?://[^\s"'<>\\]+|/[^/\s"'<>\\][^\s"'<>\\]*)$`)
	srcset := regexp.MustCompile(`^\s*(https?://|/)[^\s,]+(\s+\d+(\.\d+)?[wx])?(\s*,\s*(https?://|/)[^\s,]+(\s+\d+(\.\d+)?[wx])?)*\s*$`)
	p.AllowAttrs("srcset").Matching(srcset).OnElements("img", "source")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^[A-Za-z0-9 (),.:%-]{1,300}$`)).OnElements("img", "source")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(lazy|eager)$`)).OnElements("img", "iframe")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^(async|sync|auto)$`)).OnElements("img")

	p.AllowElements("audio", "video", "source")
	p.AllowAttrs("controls").Matching(regexp.MustCompile(`^(|controls)$`)).OnElements("audio", "video")
	p.AllowAttrs("preload").Matching(regexp.MustCompile(`^(none|metadata|auto)$`)).OnElements("audio", "video")
	// audio and video src pass bluemonday's URL scheme check; source and
	// poster are not checked by it, so they must match mediaURL.
	p.AllowAttrs("src").OnElements("audio", "video")
	p.AllowAttrs("src").Matching(mediaURL).OnElements("source")
	p.AllowAttrs("poster").Matching(mediaURL).OnElements("video")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^(audio|video|image)/[a-z0-9.+-]{1,40}$`)).OnElements("source")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("video", "iframe")

	p.AllowAttrs("src").Matching(regexp.MustCompile(
		`^https://(www\.)?(youtube\.com|youtube-nocookie\.com)/embed/[A-Za-z0-9_-]+(\?[A-Za-z0-9_=&;.-]*)?$` +
			`|^https://player\.vimeo\.com/video/[0-9]+(\?[A-Za-z0-9_=&;.-]*)?$`)).OnElements("iframe")
	p.AllowAttrs("data-embed").Matching(reClickPlayer).OnElements("a")
	p.AllowAttrs("allowfullscreen").Matching(regexp.MustCompile(`^(|allowfullscreen|true)$`)).OnElements("iframe")
	return p
}

// RenderBody turns an article's source into the sanitized HTML readers see.
func RenderBody(source string, format Format) (string, error) {
	return RenderBodyWith(source, format, nil)
}

// RenderBodyWith renders like RenderBody, asking r for gallery images.
// Markdown is rendered with goldmark after shortcodes are expanded; HTML
// from WordPress loses its block comments, gains paragraphs unless it was
// written in the block editor, and has its shortcodes expanded. Either way
// the result is sanitized last.
func RenderBodyWith(source string, format Format, r MediaResolver) (string, error) {
	source = reMoreTag.ReplaceAllString(source, "")
	var out string
	switch format {
	case FormatMarkdown:
		src := autoEmbed(ExpandShortcodesWith(source, r))
		var buf bytes.Buffer
		if err := markdown.Convert([]byte(src), &buf); err != nil {
			return "", fmt.Errorf("news: render markdown: %w", err)
		}
		out = buf.String()
	case FormatHTML:
		blocks := HasBlocks(source)
		src := autoEmbed(StripBlockComments(source))
		if !blocks {
			src = unwrapShortcodeParagraphs(Autop(src))
		}
		out = ExpandShortcodesWith(src, r)
	case FormatVisual:
		// Already blocks, written by the visual editor: the sanitizer is
		// all it needs, and its embeds become placeholders.
		out = clickEmbeds(source)
	default:
		return "", fmt.Errorf("news: unknown body format %q", format)
	}
	// Paragraphs emptied by the sanitizer (a lone <!--nextpage-->, say)
	// would only add blank space.
	out = dropEmptyP(bodyPolicy.Sanitize(out))
	return strings.TrimSpace(out), nil
}

// autoEmbed turns a YouTube or Vimeo address standing alone on its line or
// in its paragraph into a player, as WordPress does for pasted links.
func autoEmbed(s string) string {
	// Only YouTube and Vimeo addresses become players; a body naming
	// neither is left as it is without trying every line.
	if !strings.Contains(s, "http") || !containsFold(s, "youtu") && !containsFold(s, "vimeo") {
		return s
	}
	s = reStandaloneURL.ReplaceAllStringFunc(s, func(line string) string {
		m := reStandaloneURL.FindStringSubmatch(line)
		if videoEmbedURL(m[2]) == "" {
			return line
		}
		return m[1] + renderEmbed(m[2]) + m[3]
	})
	return reURLParagraph.ReplaceAllStringFunc(s, func(p string) string {
		m := reURLParagraph.FindStringSubmatch(p)
		if videoEmbedURL(m[2]) == "" {
			return p
		}
		return renderEmbed(m[2])
	})
}

// unwrapShortcodeParagraphs removes the <p> Autop put around a paragraph
// that is one known shortcode, as WordPress's shortcode_unautop does, so a
// figure or gallery does not end up inside a paragraph.
func unwrapShortcodeParagraphs(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	// The paragraphs are what `(?s)<p>(.*?)</p>` would find: each <p> to
	// the first </p> after it.
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		start := strings.Index(s[i:], "<p>")
		if start < 0 {
			break
		}
		start += i
		end := strings.Index(s[start+len("<p>"):], "</p>")
		if end < 0 {
			break
		}
		end += start + len("<p>") + len("</p>")
		i = end
		p := s[start:end]
		inner := strings.TrimSpace(p[len("<p>") : len(p)-len("</p>")])
		inner = strings.TrimSuffix(inner, "<br />")
		if !strings.HasPrefix(inner, "[") {
			continue
		}
		sc, ok := parseShortcodeAt(inner, 0, nil)
		if !ok || sc.broken || sc.closing || !knownShortcodes[sc.name] || sc.end != len(strings.TrimSpace(inner)) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(inner)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
