package news

import (
	"regexp"
	"strings"
	"testing"
)

// The expressions of wpautop that autop_scan.go replaces, kept here as
// the reference the scanners must agree with.
var (
	reBlockOpen    = regexp.MustCompile(`(<` + allBlocks + `[\s/>])`)
	reBlockClose   = regexp.MustCompile(`(</` + allBlocks + `>)`)
	reManyNewlines = regexp.MustCompile(`\n\n+`)
	reEmptyP       = regexp.MustCompile(`<p>\s*</p>`)
	reUnclosedP    = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	reWrappedBlock = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	rePBeforeBlock = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	rePAfterBlock  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	reBrAfterBlock = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
)

// checkScanners compares every scanner with its expression on s.
func checkScanners(t *testing.T, s string) {
	t.Helper()
	steps := []struct {
		name      string
		got, want string
	}{
		{"breakAroundBlocks", breakAroundBlocks(s), reBlockClose.ReplaceAllString(reBlockOpen.ReplaceAllString(s, "\n\n$1"), "$1\n\n")},
		{"squeezeNewlines", squeezeNewlines(s), reManyNewlines.ReplaceAllString(s, "\n\n")},
		{"dropEmptyP", dropEmptyP(s), reEmptyP.ReplaceAllString(s, "")},
		{"closeUnclosedP", closeUnclosedP(s), reUnclosedP.ReplaceAllString(s, "<p>$1</p></$2>")},
		{"wrappedBlock", dropPBeforeBlockTag(s, true), reWrappedBlock.ReplaceAllString(s, "$1")},
		{"pBeforeBlock", dropPBeforeBlockTag(s, false), rePBeforeBlock.ReplaceAllString(s, "$1")},
		{"pAfterBlock", dropAfterBlockTag(s, "</p>"), rePAfterBlock.ReplaceAllString(s, "$1")},
		{"brAfterBlock", dropAfterBlockTag(s, "<br />"), reBrAfterBlock.ReplaceAllString(s, "$1")},
		{"newlinesToBr", newlinesToBr(s), newlinesToBrByRuns(s)},
		{"containsFold", boolWord(containsFold(s, "<p><blockquote")), boolWord(strings.Contains(strings.ToLower(s), "<p><blockquote"))},
	}
	for _, st := range steps {
		if st.got != st.want {
			t.Errorf("%s(%q)\n got %q\nwant %q", st.name, s, st.got, st.want)
		}
	}
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

var scannerCases = []string{
	"", "<p>", "<p></p>", "<p> \n\t</p>x<p>\v</p>", "<p>a</div>", "<p>a</address><p>b</form>", "<p><p>a</div>",
	"<p>a<b></div>", "<p>\n</div>", "<p>text</divx>", "<div>x</div>", "<div\n class=a>", "<divx>", "<tr>", "<tr2>", "<h7>", "<h1 >",
	"<col/>", "<colgroup>", "</colgroup>", "</p >", "</P>", "<P>", "<p>  <div>", "<p><divx></p>", "<p> <li>x</p>",
	"<link rel=x> </p>", "</ul>\n\n</p>", "<p>< div>", "<br />\n</p>", "<div>\n<br />", "<ul><br />", "<a> <br />",
	"<p <p>x</p>", "<<div>>", "<div <span> </p>", "<pre> a</p>", "<param>\n\n</p>", "a\n\n\n\nb\n\n", "\n\n\n",
	"\n", "a\n", "\na", " \n ", "a \t\n \n\tb", "<br />\nx", "<br /> \n \n x", "<br />\n\n", "x<br />\n<br />\n\ny",
	"<br />", "a\r\n b\v\f\n", "<br /> x\n", "<br />\t", "<br />\n",
	"<P><BlockQuote>", "<p><blockquot", "<div>", "<p>x</div></div><p>y</form>", "<p>" + strings.Repeat("<", 40) + "</p>",
	"<figure><img src=\"/a.jpg\"><figcaption>C</figcaption></figure>", "<hr/>", "<section\f>", "<math\v>",
}

func TestAutopScannersMatchExpressions(t *testing.T) {
	for _, s := range scannerCases {
		checkScanners(t, s)
	}
	for _, name := range []string{"caption", "gallery", "plain"} {
		checkScanners(t, Autop(benchArticle()+name))
	}
}

func FuzzAutopScanners(f *testing.F) {
	for _, s := range scannerCases {
		f.Add(s)
	}
	f.Add(benchArticle())
	f.Fuzz(func(t *testing.T, s string) {
		checkScanners(t, s)
		if got, want := unwrapShortcodeParagraphs(s), unwrapByExpression(s); got != want {
			t.Errorf("unwrapShortcodeParagraphs(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}

// unwrapByExpression is unwrapShortcodeParagraphs as it was written with
// an expression, the reference for the scanner.
func unwrapByExpression(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	re := regexp.MustCompile(`(?s)<p>(.*?)</p>`)
	return re.ReplaceAllStringFunc(s, func(p string) string {
		inner := strings.TrimSpace(p[len("<p>") : len(p)-len("</p>")])
		inner = strings.TrimSuffix(inner, "<br />")
		if !strings.HasPrefix(inner, "[") {
			return p
		}
		sc, ok := parseShortcodeAt(inner, 0, nil)
		if !ok || sc.broken || sc.closing || !knownShortcodes[sc.name] || sc.end != len(strings.TrimSpace(inner)) {
			return p
		}
		return inner
	})
}

func TestUnwrapShortcodeParagraphs(t *testing.T) {
	cases := append([]string{
		"<p>[caption id=\"1\"]<img src=\"/a.jpg\"> A[/caption]</p>\n<p>text</p>",
		"<p> [gallery ids=\"1,2\"]<br /></p><p>[unknown]</p><p>[audio src=\"/a.mp3\"]",
		"<p><p>[gallery]</p></p>", "<p>[embed]https://youtu.be/abcdefghijk[/embed]</p>x<p>[",
	}, scannerCases...)
	for _, s := range cases {
		if got, want := unwrapShortcodeParagraphs(s), unwrapByExpression(s); got != want {
			t.Errorf("unwrapShortcodeParagraphs(%q)\n got %q\nwant %q", s, got, want)
		}
	}
}

// newlinesToBrByRuns is newlinesToBr as it was written first, a run of
// text or of white space at a time: the reference for the jumps from
// newline to newline.
func newlinesToBrByRuns(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isPCRESpace(s[i]) {
			j := i + 1
			for j < len(s) && !isPCRESpace(s[j]) {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		end := i
		for end < len(s) && isPCRESpace(s[end]) {
			end++
		}
		nl := strings.LastIndexByte(s[i:end], '\n')
		if nl < 0 {
			b.WriteString(s[i:end])
			i = end
			continue
		}
		if strings.HasSuffix(s[:i], "<br />") {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString("<br />\n")
		i += nl + 1
	}
	return b.String()
}
