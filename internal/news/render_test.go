package news

import (
	"strings"
	"testing"
)

func mustRender(t *testing.T, src string, f Format) string {
	t.Helper()
	out, err := RenderBody(src, f)
	if err != nil {
		t.Fatalf("RenderBody(%q): %v", src, err)
	}
	return out
}

func TestRenderMarkdown(t *testing.T) {
	src := "# Rates\n\nThe **tenge** ~~fell~~ rose.\n\n| Code | Rate |\n|---|---|\n| KZT | 0.00198 |\n\nSee https://nationalbank.kz\n\n<!--more-->\n\n[caption align=\"aligncenter\"]<img src=\"/a.jpg\" alt=\"a\"> Almaty[/caption]\n"
	out := mustRender(t, src, FormatMarkdown)
	for _, want := range []string{
		"<h1>Rates</h1>", "<strong>tenge</strong>", "<del>fell</del>", "<table>", "<td>KZT</td>",
		`<a href="https://nationalbank.kz" rel="nofollow">https://nationalbank.kz</a>`,
		`<figure class="align-center"><img src="/a.jpg" alt="a"><figcaption>Almaty</figcaption></figure>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "more") {
		t.Errorf("<!--more--> left in output:\n%s", out)
	}
}

func TestRenderHTML(t *testing.T) {
	out := mustRender(t, "First line\nsecond line\n\n<!--more-->\n\n[caption align=\"alignleft\"]<img src=\"/a.jpg\"> Cap[/caption]\n\nhttps://www.youtube.com/watch?v=SQEQr7c0-dw\n\n<a href=\"https://example.org\" target=\"_blank\">x</a>", FormatHTML)
	for _, want := range []string{
		"<p>First line<br/>\nsecond line</p>",
		`<figure class="align-left"><img src="/a.jpg"><figcaption>Cap</figcaption></figure>`,
		`<iframe src="https://www.youtube-nocookie.com/embed/SQEQr7c0-dw"`,
		`rel="nofollow noopener"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("html output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<p><figure") || strings.Contains(out, "more") {
		t.Errorf("figure wrapped in a paragraph or more tag left:\n%s", out)
	}
}

func TestRenderBlocksNotAutopd(t *testing.T) {
	out := mustRender(t, "<!-- wp:paragraph -->\n<p>One\nstill one</p>\n<!-- /wp:paragraph -->", FormatHTML)
	if out != "<p>One\nstill one</p>" {
		t.Errorf("block content changed: %q", out)
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	if _, err := RenderBody("x", Format("rtf")); err == nil {
		t.Error("no error for an unknown format")
	}
}

func TestRenderHostile(t *testing.T) {
	tests := []struct {
		name, in string
		banned   []string
	}{
		{"script", `<p>a</p><script>alert(1)</script>`, []string{"<script", "alert"}},
		{"event handler", `<img src="/a.jpg" onerror="alert(1)">`, []string{"onerror", "alert"}},
		{"javascript href", `<a href="javascript:alert(1)">x</a>`, []string{"javascript:"}},
		{"javascript href entity", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"ascript:", "alert"}},
		{"data src", `<img src="data:text/html;base64,PHNjcmlwdD4=">`, []string{"data:"}},
		{"data href", `<a href="data:text/html,<script>alert(1)</script>">x</a>`, []string{"data:", "<script"}},
		{"style expression", `<p style="width: expression(alert(1))">x</p>`, []string{"style", "expression"}},
		{"unclosed tags", `<p><b><i>open <a href="/x">link`, []string{"<script"}},
		{"svg onload", `<svg onload="alert(1)"><circle/></svg>`, []string{"<svg", "onload"}},
		{"iframe elsewhere", `<iframe src="https://evil.example/x"></iframe>`, []string{"evil"}},
		{"iframe http youtube", `<iframe src="http://www.youtube.com/embed/abcdefghijk"></iframe>`, []string{"http://"}},
		{"caption with script", `[caption caption="<script>alert(1)</script>"]<img src="/a.jpg">[/caption]`, []string{"<script", "alert"}},
		{"nested shortcodes with script", `[caption][foo a=1]<script>alert(1)</script>[/foo]<img src=x onerror=alert(1)> c[/caption]`, []string{"<script", "onerror", "alert"}},
		{"embed javascript", `[embed]javascript:alert(1)//[/embed]`, []string{`href="javascript`}},
		{"video poster", `<video poster="javascript:alert(1)" src="/v.mp4" controls></video>`, []string{"javascript:"}},
		{"source src", `<video controls><source src="javascript:alert(1)"></video>`, []string{"javascript:"}},
		{"srcset", `<img src="/a.jpg" srcset="javascript:alert(1) 1x">`, []string{"javascript:"}},
		{"class injection", `<p class="x&quot; onclick=&quot;alert(1)">x</p>`, []string{"onclick"}},
		{"object embed", `<object data="/x.swf"><embed src="/x.swf"></object>`, []string{"<object", "<embed"}},
		{"form", `<form action="/x"><input name=a></form>`, []string{"<form", "<input"}},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, []string{"<meta", "javascript:"}},
	}
	for _, tt := range tests {
		for _, f := range []Format{FormatHTML, FormatMarkdown} {
			t.Run(tt.name+"/"+string(f), func(t *testing.T) {
				out := strings.ToLower(mustRender(t, tt.in, f))
				for _, b := range tt.banned {
					if strings.Contains(out, b) {
						t.Errorf("output contains %q:\n%s", b, out)
					}
				}
			})
		}
	}
}

func TestRenderKeepsNewsMarkup(t *testing.T) {
	in := `<figure class="wp-block-image size-large"><img src="/a.jpg" alt="A" width="800" height="600" loading="lazy" srcset="/a-400.jpg 400w, /a.jpg 800w" sizes="(max-width: 800px) 100vw, 800px"><figcaption>Cap</figcaption></figure>` +
		`<audio controls src="/a.mp3"></audio><video controls width="640" height="360" poster="/p.jpg"><source src="/v.mp4" type="video/mp4"></video>` +
		`<iframe src="https://player.vimeo.com/video/123" allowfullscreen></iframe><table><tr><td>1</td></tr></table>`
	out := mustRender(t, "<!-- wp:html -->"+in+"<!-- /wp:html -->", FormatHTML)
	for _, want := range []string{
		`class="wp-block-image size-large"`, `srcset="/a-400.jpg 400w, /a.jpg 800w"`, `sizes="(max-width: 800px) 100vw, 800px"`,
		`loading="lazy"`, `<figcaption>Cap</figcaption>`, `<audio controls="" src="/a.mp3">`, `poster="/p.jpg"`,
		`<source src="/v.mp4" type="video/mp4">`, `<iframe src="https://player.vimeo.com/video/123" allowfullscreen="">`, `<td>1</td>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
