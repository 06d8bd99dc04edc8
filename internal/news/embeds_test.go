package news

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every iframe the sanitizer keeps comes from an origin in EmbedOrigins,
// and every origin there has an iframe the sanitizer keeps: otherwise
// the pages' Content-Security-Policy would block a player editors embed,
// or allow one they cannot.
func TestEmbedOriginsMatchTheSanitizer(t *testing.T) {
	candidates := []string{
		"https://www.youtube.com/embed/abc", "https://youtube.com/embed/abc",
		"https://www.youtube-nocookie.com/embed/abc", "https://youtube-nocookie.com/embed/abc",
		"https://player.vimeo.com/video/123", "https://vimeo.com/video/123", "https://m.youtube.com/embed/abc",
		"https://www.youtube.com.evil.example/embed/abc", "http://www.youtube.com/embed/abc",
	}
	src := regexp.MustCompile(`<iframe[^>]* src="([^"]+)"`)
	kept := map[string]bool{}
	for _, c := range candidates {
		out, err := RenderBody(`<iframe src="`+c+`"></iframe>`, FormatHTML)
		if err != nil {
			t.Fatal(err)
		}
		m := src.FindStringSubmatch(out)
		if m == nil {
			continue
		}
		u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		origin := u.Scheme + "://" + u.Host
		kept[origin] = true
		if !slices.Contains(EmbedOrigins, origin) {
			t.Errorf("the sanitizer keeps an iframe from %s, which EmbedOrigins lacks", origin)
		}
	}
	for _, o := range EmbedOrigins {
		if !kept[o] {
			t.Errorf("EmbedOrigins lists %s, but the sanitizer keeps no iframe from it", o)
		}
	}
}
