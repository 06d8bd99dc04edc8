package articles_test

import (
	"context"
	"testing"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/news"
)

// The newsroom sends tags by name. A tag whose slug is not made from its
// name (WordPress's "gas-2" for a second "Gas", kept by the import) stays
// the article's tag when the story is saved, and a name typed again is
// the tag of that name, not a new one from the slug, which here belongs
// to another tag.
func TestTagsByNameKeepTheirTag(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		other, err := f.db.ImportTag(ctx, "gas", "Natural gas")
		must(t, err)
		gas, err := f.db.ImportTag(ctx, "gas-2", "Gas")
		must(t, err)
		editor := f.users[auth.Editor]
		named := func(a *news.Article) error {
			must(t, words("Gas prices")(a))
			a.Tags = []news.Tag{{Name: "Gas"}}
			return nil
		}
		res, err := f.svc.Save(ctx, editor, articles.Save{Step: articles.Keep, Apply: named})
		must(t, err)
		a := res.Article
		if len(a.Tags) != 1 || a.Tags[0].ID != gas.ID {
			t.Fatalf("a new story tagged Gas has %+v, want the tag %+v", a.Tags, gas)
		}
		res, err = f.svc.Save(ctx, editor, articles.Save{ID: a.ID, Version: a.Version, Step: articles.Keep, Apply: named})
		must(t, err)
		stored, err := f.db.ArticleByID(ctx, res.Article.ID)
		must(t, err)
		if len(stored.Tags) != 1 || stored.Tags[0].ID != gas.ID {
			t.Errorf("after a save the story has %+v, want only %+v (not %+v)", stored.Tags, gas, other)
		}
		if _, err := f.db.TagBySlug(ctx, "gas-3"); err == nil {
			t.Error("a second tag named Gas was made")
		}
	})
}
