package news

import "testing"

func TestAutop(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "  \n ", ""},
		{"one paragraph", "Hello", "<p>Hello</p>\n"},
		{"two paragraphs", "One\n\nTwo", "<p>One</p>\n<p>Two</p>\n"},
		{"line break", "One\nTwo", "<p>One<br />\nTwo</p>\n"},
		{"crlf", "One\r\n\r\nTwo", "<p>One</p>\n<p>Two</p>\n"},
		{"block not wrapped", "<h2>Title</h2>\nText", "<h2>Title</h2>\n<p>Text</p>\n"},
		{"list", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"pre untouched", "Before\n\n<pre>a\n\nb</pre>\n\nAfter", "<p>Before</p>\n<pre>a\n\nb</pre>\n<p>After</p>\n"},
		{"blockquote", "<blockquote>Quote\n\nMore</blockquote>", "<blockquote><p>Quote</p>\n<p>More</p></blockquote>\n"},
		{"double br", "a<br><br>b", "<p>a</p>\n<p>b</p>\n"},
		{"newline inside tag", "<a\nhref=\"/x\">x</a>", "<p><a\nhref=\"/x\">x</a></p>\n"},
		{"script newlines kept", "<script>a\nb</script>", "<p><script>a\nb</script></p>\n"},
		{"figure", "Text\n<figure><img src=\"/a.jpg\">\n<figcaption>C</figcaption></figure>",
			"<p>Text</p>\n<figure><img src=\"/a.jpg\"><figcaption>C</figcaption></figure>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Autop(tt.in); got != tt.want {
				t.Errorf("Autop(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBlockComments(t *testing.T) {
	in := "<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n<!-- wp:image {\"id\":5,\"caption\":\"a > b\"} -->\n<figure></figure>\n<!-- /wp:image -->"
	if !HasBlocks(in) {
		t.Error("HasBlocks = false for block content")
	}
	if HasBlocks("<p>classic</p><!-- more -->") {
		t.Error("HasBlocks = true for classic content")
	}
	want := "<p>Hi</p>\n<figure></figure>\n"
	if got := StripBlockComments(in); got != want {
		t.Errorf("StripBlockComments\n got %q\nwant %q", got, want)
	}
	if got := StripBlockComments("<!-- keep --> x"); got != "<!-- keep --> x" {
		t.Errorf("ordinary comment touched: %q", got)
	}
}
