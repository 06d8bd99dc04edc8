package newsroom_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
)

var reRendered = regexp.MustCompile(`(?s)<textarea id="body-rendered"[^>]*>(.*?)</textarea>`)

// TestVisualRoundTrip opens every post and page of WordPress's Theme
// Unit Test export as the visual editor does and saves it unchanged:
// the editor gets the body as readers see it (captions as figures,
// galleries as galleries), sends it back as the article's HTML, and the
// article page shows the same body as before. This is the HTML half of
// the round trip; TestBrowserVisualRoundTrip drives Tiptap itself.
func TestVisualRoundTrip(t *testing.T) {
	src, err := os.ReadFile("../wordpress/testdata/themeunittestdata.wordpress.xml")
	must(t, err)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := wordpress.Import(ctx, bytes.NewReader(src), wordpress.Options{Store: db})
		must(t, err)
		f := newFixture(t, db)
		ed := f.as(t, auth.Editor)
		list, err := db.ListArticles(ctx, store.ListQuery{Statuses: []news.Status{news.StatusPublished}, Limit: 1000})
		must(t, err)
		checked := 0
		for _, a := range list.Articles {
			a, err := db.ArticleByID(ctx, a.ID)
			must(t, err)
			if a.BodyFormat != news.FormatHTML || a.Password != "" || a.BodyHTML == "" {
				continue
			}
			_, before := f.anon(t).get(links.Article(a.Slug))
			code, page := ed.get(links.NewsroomArticle(a.ID))
			m := reRendered.FindStringSubmatch(page)
			if code != http.StatusOK || m == nil {
				t.Fatalf("%s: editor %d without the rendered body", a.Slug, code)
			}
			opened := html.UnescapeString(m[1])
			v := form(a, "save")
			v.Set("body", opened)
			v.Set("format", string(news.FormatVisual))
			// The rest of the form as the editor page sends it back.
			var tags []string
			for _, tg := range a.Tags {
				tags = append(tags, tg.Name)
			}
			v.Set("tags", strings.Join(tags, ","))
			v.Set("slug", a.Slug)
			v.Set("excerpt", a.ManualExcerpt)
			v.Set("seo_title", a.SEOTitle)
			v.Set("seo_description", a.SEODescription)
			if a.Image != nil {
				v.Set("image_url", a.Image.URL)
				v.Set("image_alt", a.Image.Alt)
				v.Set("image_caption", a.Image.Caption)
				v.Set("image_credit", a.Image.Credit)
				v.Set("image_srcset", a.Image.SrcSet)
				v.Set("image_width", fmt.Sprint(a.Image.Width))
				v.Set("image_height", fmt.Sprint(a.Image.Height))
			}
			if code, body := ed.post(links.NewsroomArticle(a.ID), v); code != http.StatusSeeOther {
				t.Fatalf("%s: save %d %s", a.Slug, code, body)
			}
			got, err := db.ArticleByID(ctx, a.ID)
			must(t, err)
			if got.BodyHTML != a.BodyHTML {
				t.Errorf("%s: the body changed on an unchanged save:\nbefore %s\nafter  %s", a.Slug, a.BodyHTML, got.BodyHTML)
				continue
			}
			_, after := f.anon(t).get(links.Article(a.Slug))
			if b, a2 := articleBody(before), articleBody(after); b != a2 {
				i := 0
				for i < len(b) && i < len(a2) && b[i] == a2[i] {
					i++
				}
				t.Errorf("%s: the page's body changed at %d: %q / %q", a.Slug, i, b[max(0, i-80):min(len(b), i+80)], a2[max(0, i-80):min(len(a2), i+80)])
			}
			checked++
		}
		if checked < 20 {
			t.Fatalf("only %d bodies checked", checked)
		}
		t.Logf("%d bodies opened and saved unchanged", checked)
	})
}

// articleBody is the part of an article page its body fills.
func articleBody(page string) string {
	i := strings.Index(page, `<div class="body`)
	if i < 0 {
		return fmt.Sprintf("no body in %d bytes", len(page))
	}
	// Up to the tags and section, which the body does not decide.
	j := len(page)
	for _, end := range []string{`<p class="tags">`, `<p class="section">`, "</article>"} {
		if k := strings.Index(page[i:], end); k >= 0 {
			j = min(j, i+k)
		}
	}
	return page[i:j]
}
