package newsroom_test

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dastan/internal/auth"
	"dastan/internal/browsertest"
	"dastan/internal/links"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
)

// TestBrowserVisualRoundTrip opens WordPress posts from the Theme Unit
// Test export in the visual editor itself (Tiptap) and presses Save
// without changing anything: the body readers see stays the same, byte
// for byte. The posts are those whose markup the editor has blocks for:
// captions, linked images, galleries, code. Not yet identical: a
// quote's <cite> (dropped) and images inside paragraphs (made blocks).
func TestBrowserVisualRoundTrip(t *testing.T) {
	src, err := os.ReadFile("../wordpress/testdata/themeunittestdata.wordpress.xml")
	must(t, err)
	db := storetest.Open(t, "sqlite")
	_, err = wordpress.Import(context.Background(), bytes.NewReader(src), wordpress.Options{Store: db})
	must(t, err)
	// The browser's clock starts after the import, which is slow on a
	// busy machine, and allows for four posts opened and saved.
	ctx := browsertest.NewTimeout(t, 3*time.Minute)
	f := newFixture(t, db)
	base := f.srv.URL
	must(t, chromedp.Do(ctx, signInTab(base, auth.Editor)))
	for _, slug := range roundTripPosts {
		a, err := db.ArticleBySlug(context.Background(), slug)
		must(t, err)
		must(t, chromedp.Do(ctx,
			chromedp.Navigate(base+links.NewsroomArticle(a.ID)),
			chromedp.WaitVisible(chromedp.CSS(".visual-body .tiptap")),
			chromedp.Click(chromedp.CSS(`button[value="save"]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		))
		got, err := db.ArticleByID(context.Background(), a.ID)
		must(t, err)
		if got.BodyFormat != "visual" {
			t.Errorf("%s: saved as %s", slug, got.BodyFormat)
		}
		if before, after := sameMarkup(a.BodyHTML), sameMarkup(got.BodyHTML); before != after {
			a.BodyHTML, got.BodyHTML = before, after
			i := 0
			for i < len(a.BodyHTML) && i < len(got.BodyHTML) && a.BodyHTML[i] == got.BodyHTML[i] {
				i++
			}
			t.Errorf("%s: the body changed on an unchanged save, at %d: %q / %q", slug, i, a.BodyHTML[max(0, i-60):min(len(a.BodyHTML), i+60)], got.BodyHTML[max(0, i-60):min(len(got.BodyHTML), i+60)])
		}
	}
}

// sameMarkup writes a body the way browsers read it: the white space
// between blocks and after a line break, <br/> against <br>, and the
// order of a tag's attributes make no difference to a page.
func sameMarkup(s string) string {
	s = reBetweenBlocks.ReplaceAllString(s, "$1\n")
	s = strings.ReplaceAll(s, "<br/>", "<br>")
	s = reAfterBreak.ReplaceAllString(s, "<br>")
	return reTag.ReplaceAllStringFunc(s, func(tag string) string {
		m := reTag.FindStringSubmatch(tag)
		attrs := reAttr.FindAllString(m[2], -1)
		for i := range attrs {
			attrs[i] = strings.TrimSpace(attrs[i])
		}
		slices.Sort(attrs)
		return "<" + m[1] + " " + strings.Join(attrs, " ") + ">"
	})
}

var (
	reBetweenBlocks = regexp.MustCompile(`(</(?:p|div|figure|blockquote|ul|ol|li|h[1-6]|table|figcaption)>)\s+`)
	reAfterBreak    = regexp.MustCompile(`<br>\s+`)
	reTag           = regexp.MustCompile(`<([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)+)\s*/?>`)
	reAttr          = regexp.MustCompile(`\s+[a-z-]+(?:="[^"]*")?`)
)

var roundTripPosts = []string{
	"post-format-image-caption",
	"post-format-gallery",
	"template-excerpt-defined",
}
