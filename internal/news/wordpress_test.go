package news

import (
	"os"

	"golang.org/x/net/html"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The bodies in testdata/wordpress come from WordPress's Theme Unit Test
// export: real [caption], [gallery], [audio], <!--more--> and block content.
func TestWordPressBodies(t *testing.T) {
	files, err := filepath.Glob("testdata/wordpress/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no WordPress bodies: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out, err := RenderBody(string(src), FormatHTML)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"caption", "gallery", "embed", "audio", "video"} {
				if strings.Contains(out, "["+name+" ") || strings.Contains(out, "["+name+"]") || strings.Contains(out, "[/"+name+"]") {
					t.Errorf("raw [%s] left in body:\n%s", name, out)
				}
			}
			for _, bad := range []string{"<!--", "<p><figure", "<script"} {
				if strings.Contains(out, bad) {
					t.Errorf("%q in body:\n%s", bad, out)
				}
			}
			ex := MakeExcerpt("", string(src), FormatHTML, out, 160)
			if strings.ContainsAny(ex, "<[") || !utf8.ValidString(ex) || utf8.RuneCountInString(ex) > 160 {
				t.Errorf("bad excerpt %q", ex)
			}
		})
	}
}

func TestWordPressSpecifics(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile("testdata/wordpress/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	out := mustRender(t, read("image-caption.html"), FormatHTML)
	if !strings.Contains(out, "<figcaption>Bell on wharf in San Francisco</figcaption>") {
		t.Errorf("image-caption: %s", out)
	}
	out = mustRender(t, read("image-linked.html"), FormatHTML)
	if !strings.Contains(out, `<figure class="align-center">`) || !strings.Contains(out, "<figcaption>Chunk of resinous blackboy husk") {
		t.Errorf("image-linked: %s", out)
	}
	out = mustRender(t, read("audio.html"), FormatHTML)
	if !strings.Contains(out, `<audio controls="" preload="none" src="https://wpthemetestdata.files.wordpress.com/2008/06/originaldixielandjazzbandwithalbernard-stlouisblues.mp3">`) {
		t.Errorf("audio: %s", out)
	}
	src := read("more-tag.html")
	ex := MakeExcerpt("", src, FormatHTML, mustRender(t, src, FormatHTML), 300)
	if strings.Contains(ex, "after the more tag") || !strings.HasPrefix(ex, "This content is before the more tag.") {
		t.Errorf("more-tag excerpt: %q", ex)
	}
	out = mustRender(t, read("video-youtube.html"), FormatHTML)
	if !strings.Contains(out, "youtube-nocookie.com/embed/SQEQr7c0-dw") {
		t.Errorf("video-youtube: %s", out)
	}
	out = mustRender(t, read("image-alignment.html"), FormatHTML)
	for _, want := range []string{`<figure class="align-left">`, `<figure class="align-right">`, `<figure class="align-center">`} {
		if !strings.Contains(out, want) {
			t.Errorf("image-alignment lacks %s", want)
		}
	}
}

func FuzzRenderBody(f *testing.F) {
	for _, s := range []string{
		`<p>a</p><script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `<a href="javascript:alert(1)">x</a>`,
		`[caption caption="<script>x</script>"]<img src=x>[/caption]`, "# t\n\n<svg onload=alert(1)>", `<iframe src=//evil>`,
		"[embed]javascript:alert(1)[/embed]", "<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->", "a\n\nb<!--more-->c",
		`<a href="jav&#x0A;ascript:alert(1)">x</a>`, "[<scr[x a=1]ipt>]", "<scr<script>ipt>alert(1)</script>",
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, markdown bool) {
		format := FormatHTML
		if markdown {
			format = FormatMarkdown
		}
		out, err := RenderBody(s, format)
		if err != nil {
			t.Fatalf("RenderBody(%q): %v", s, err)
		}
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("<script in output of %q:\n%s", s, out)
		}
		if msg := unsafeMarkup(out); msg != "" {
			t.Fatalf("%s in output of %q:\n%s", msg, s, out)
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from valid input %q", s)
		}
	})
}

// unsafeMarkup parses out as a browser's tokenizer would and names the
// first thing in it that could run script: a script-bearing element, an
// event handler, or a javascript:, vbscript: or data: URL in any attribute.
// Words like "javascript:" in running text are harmless and allowed.
func unsafeMarkup(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "svg", "math", "object", "embed", "form", "meta", "link", "base":
				return "<" + tok.Data + ">"
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" {
					return "attribute " + a.Key
				}
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val))
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.Contains(v, scheme) {
						return scheme + " in " + a.Key
					}
				}
				if tok.Data == "iframe" && a.Key == "src" && !strings.HasPrefix(v, "https://") {
					return "iframe from " + v
				}
			}
		}
	}
}
