package wordpress_test

import (
	"context"
	"strings"
	"testing"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// An editor who saves an imported story from the newsroom (or a
// WordPress client that sends its content back) keeps its gallery: the
// [gallery ids="…"] in the source names WordPress attachments, which the
// save shows as the import did, and the preview shows them too.
func TestSaveKeepsImportedGallery(t *testing.T) {
	src := readExport(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := importBytes(t, db, src, nil); err != nil {
			t.Fatal(err)
		}
		before := byWP(t, db, "post", 555)
		if n := strings.Count(before.BodyHTML, `<figure class="gallery-item">`); n < 2 {
			t.Fatalf("the import shows %d gallery images:\n%s", n, before.BodyHTML)
		}
		if !strings.Contains(before.BodySource, `[gallery ids="`) {
			t.Fatalf("the imported source names no attachments:\n%s", before.BodySource)
		}
		editor := fixtures.Users(t, db, nil)[auth.Editor]
		svc := articles.New(articles.Options{Store: db})
		res, err := svc.Save(ctx, editor, articles.Save{ID: before.ID, Version: before.Version, Step: articles.Keep,
			Apply: func(a *news.Article) error { a.Title += " (revised)"; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		after, err := db.ArticleByID(ctx, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.BodyHTML != before.BodyHTML {
			t.Errorf("the save changed the body:\nbefore %s\nafter  %s", before.BodyHTML, after.BodyHTML)
		}
		preview, err := svc.Render(ctx, before.ID, before.BodySource, before.BodyFormat)
		if err != nil || preview != before.BodyHTML {
			t.Errorf("preview (%v):\n%s\nwant\n%s", err, preview, before.BodyHTML)
		}
	})
}
