package articles

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"dastan/internal/news"
	"dastan/internal/store"
)

// Imports write thousands of articles a second: they are prepared by the
// same rules as every save, but apart from the write, so that importers
// can prepare in many goroutines and write batches of hundreds in one
// transaction each. Nobody signs in to an import, so there is no
// permission to check, no owner and no audit entry per article.

// PrepareImport readies an article brought from elsewhere (a WordPress
// export, the demo) by the rules every save follows: normalized, checked
// against the limits, rendered by news.Prepare. It does no I/O and may be
// called from many goroutines at once. r resolves attachment ids in
// shortcodes; nil resolves none. Errors are *ValidationError.
func (s *Service) PrepareImport(a *news.Article, r news.MediaResolver) error {
	return s.prepare(context.Background(), a, r, false)
}

// PrepareImportForSearch is PrepareImport that also returns the body's
// search text (news.PrepareForSearch), for store.PrepareSearchOf: the
// body's HTML is then read once for its excerpt and its search entry.
func (s *Service) PrepareImportForSearch(a *news.Article, r news.MediaResolver) (string, error) {
	if err := s.ready(context.Background(), a, false); err != nil {
		return "", err
	}
	text, err := news.PrepareForSearch(a, s.excerptLen, r)
	if err != nil {
		return "", reword(err)
	}
	return text, nil
}

// WriteWordPress writes a batch of WordPress posts and pages, each
// prepared by PrepareImport, in one transaction: each article with its
// tags, byline, comments, redirects and import map row, or none of them.
func (s *Service) WriteWordPress(ctx context.Context, items []*store.WPItem) error {
	return s.db.WriteWPItems(ctx, items, s.now())
}

// Rerender prepares again, with r, imported articles whose attachments
// came later than they did, and writes what preparation makes (body,
// excerpt, reading time, featured image) in one transaction; versions
// and revisions stay as they are.
func (s *Service) Rerender(ctx context.Context, list []news.Article, r news.MediaResolver) error {
	for i := range list {
		if err := s.PrepareImport(&list[i], r); err != nil {
			return fmt.Errorf("articles: article %d: %w", list[i].ID, err)
		}
	}
	return s.db.UpdateRendered(ctx, list)
}

// Import prepares articles, on every core, and writes them in one
// transaction, as Save would one by one, each with an import revision.
func (s *Service) Import(ctx context.Context, list []*news.Article) error {
	if err := s.PrepareImports(list); err != nil {
		return err
	}
	return s.WriteImports(ctx, list)
}

// WriteImports writes articles that PrepareImports prepared, in one
// transaction, each with an import revision: Import's write alone, so
// that the demo prepares its next batch while the store writes one.
func (s *Service) WriteImports(ctx context.Context, list []*news.Article) error {
	return s.db.ImportArticles(ctx, list)
}

// PrepareImports prepares articles for WriteImports on every core, by
// PrepareImport without media, and reports the first in error.
func (s *Service) PrepareImports(list []*news.Article) error {
	errs := make([]error, len(list))
	workers := min(runtime.GOMAXPROCS(0), len(list))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(list); i += workers {
				errs[i] = s.PrepareImport(list[i], nil)
			}
		})
	}
	wg.Wait()
	for i, err := range errs { // the first article in error, as one by one
		if err != nil {
			return fmt.Errorf("articles: article %q: %w", list[i].Title, err)
		}
	}
	return nil
}

// LinkImported links imported articles to the originals they translate,
// by the rules an editor's link follows (checkTranslation): the original
// exists, is in another language, and a translation of a translation
// points at the first original. links maps an article's id to its
// original's. Links the rules refuse are returned by article id with the
// reason, and the others are still written; links already in place are
// left alone. It returns how many articles it linked.
func (s *Service) LinkImported(ctx context.Context, links map[int64]int64) (int, map[int64]error, error) {
	checked := map[int64]int64{}
	refused := map[int64]error{}
	for id, orig := range links {
		a, err := s.db.ArticleByID(ctx, id)
		if err != nil {
			return 0, nil, err
		}
		a.TranslationOf = orig
		err = s.checkTranslation(ctx, &a)
		var ve *ValidationError
		if errors.As(err, &ve) {
			refused[id] = ve
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		checked[id] = a.TranslationOf
	}
	n, err := s.db.SetTranslationOf(ctx, checked)
	return n, refused, err
}
