package wordpress_test

import (
	"context"
	"strings"
	"testing"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// Exports of every WXR version WordPress has written, under the http
// namespace of older sites and the https one of newer, import alike:
// the article, its section, tag, byline, comment and redirects.
func TestImportWXRVersions(t *testing.T) {
	body := "First paragraph.\n\nSecond [caption id=\"attachment_5\" align=\"alignleft\" width=\"300\"]<img src=\"/x.jpg\" alt=\"X\"> A caption[/caption]"
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, v := range []struct {
			scheme, version string
			authors         bool
		}{
			{"http", "1.0", false}, {"http", "1.1", true}, {"https", "1.1", true}, {"http", "1.2", true}, {"https", "1.2", true},
		} {
			name := v.scheme + "-" + v.version
			t.Run(name, func(t *testing.T) {
				id := 100 + len(name)*10 + int(v.version[2]-'0') // distinct per variant
				slug := "tenge-" + strings.ReplaceAll(name, ".", "-")
				doc := wxrDoc(v.scheme, v.version, v.authors, wxrPost(id, slug, "The tenge "+name, body))
				rep, err := importBytes(t, db, []byte(doc), nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Skipped) != 0 {
					t.Errorf("skipped: %v", rep.Skipped)
				}
				a := byWP(t, db, "post", int64(id))
				if a.Slug != slug || a.Title != "The tenge "+name || a.Status != news.StatusPublished {
					t.Errorf("article %q %q %s", a.Slug, a.Title, a.Status)
				}
				if !strings.Contains(a.BodyHTML, "<p>First paragraph.</p>") || !strings.Contains(a.BodyHTML, "<figcaption>A caption</figcaption>") {
					t.Errorf("body:\n%s", a.BodyHTML)
				}
				if a.SectionID == 0 {
					t.Error("no section")
				}
				if len(a.Tags) != 1 || a.Tags[0].Slug != "tenge" {
					t.Errorf("tags %+v", a.Tags)
				}
				// WXR 1.0 has no author list: the byline is the login.
				wantAuthor := "Aigerim Sadykova"
				if !v.authors {
					wantAuthor = "aigerim"
				}
				if len(a.Authors) != 1 {
					t.Fatalf("authors %+v", a.Authors)
				}
				if a.Authors[0].Name != wantAuthor {
					t.Errorf("byline %q, want %q", a.Authors[0].Name, wantAuthor)
				}
				cs, _ := db.Comments(context.Background(), a.ID)
				if len(cs) != 1 || cs[0].Body != "Thank you" {
					t.Errorf("comments %+v", cs)
				}
				r, err := db.RedirectFor(context.Background(), "/2025/03/26/"+slug+"/")
				if err != nil || r.To != "/"+slug+"/" {
					t.Errorf("redirect to %q (%v)", r.To, err)
				}
			})
		}
	})
}
