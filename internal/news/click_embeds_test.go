package news

import (
	"strings"
	"testing"
)

// The visual editor's embeds render as placeholders: a link to the post
// and the player's address, but nothing the browser loads from the
// service until the reader clicks.
func TestClickEmbeds(t *testing.T) {
	for addr, want := range map[string]string{
		"https://www.youtube.com/watch?v=SQEQr7c0-dw":      `data-embed="https://www.youtube-nocookie.com/embed/SQEQr7c0-dw" >YouTube: `,
		"https://x.com/timesca/status/1863000000000000000": `data-embed="https://platform.twitter.com/embed/Tweet.html?id=1863000000000000000" >X: `,
		"https://t.me/timesca/1234":                        `data-embed="https://t.me/timesca/1234?embed=1" >Telegram: `,
		"https://www.instagram.com/p/C0abcDEF123/":         `data-embed="https://www.instagram.com/p/C0abcDEF123/embed/" >Instagram: `,
	} {
		out, err := RenderBody(`<p>Before.</p>`+"\n"+`<p class="embed"><a href="`+addr+`">`+addr+`</a></p>`, FormatVisual)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `<figure class="embed embed-click"><a class="embed-load" href="`+addr+`"`) || !strings.Contains(out, strings.Fields(want)[0]) || !strings.Contains(out, strings.Fields(want)[1]) {
			t.Errorf("%s:\n%s", addr, out)
		}
		for _, bad := range []string{"<iframe", "<script", " src="} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q in the placeholder: %s", addr, bad, out)
			}
		}
		// Rendered again (a body opened and saved unchanged), the same.
		again, _ := RenderBody(out, FormatVisual)
		if again != out {
			t.Errorf("%s: not stable:\n%s\n%s", addr, out, again)
		}
	}
	// Another address stays a plain link; a player address that is not
	// one of these is dropped by the sanitizer.
	out, _ := RenderBody(`<p class="embed"><a href="https://example.com/x">https://example.com/x</a></p>`, FormatVisual)
	if strings.Contains(out, "data-embed") || !strings.Contains(out, `href="https://example.com/x"`) {
		t.Errorf("unknown address: %s", out)
	}
	out, _ = RenderBody(`<a class="embed-load" href="https://t.me/a/1" data-embed="https://evil.example/x">x</a>`, FormatVisual)
	if strings.Contains(out, "evil") {
		t.Errorf("a foreign player passed: %s", out)
	}
}
