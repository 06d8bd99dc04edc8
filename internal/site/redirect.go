package site

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"dastan/internal/links"
	"dastan/internal/store"
)

// wpQueryKeys are WordPress's query addresses for one post: /?p=123,
// /?page_id=2, /?attachment_id=611.
var wpQueryKeys = []string{"p", "page_id", "attachment_id"}

// hasOldQuery reports a WordPress query address on the front page.
func hasOldQuery(r *http.Request) bool {
	q := r.URL.Query()
	for _, k := range wpQueryKeys {
		if q.Has(k) {
			return true
		}
	}
	return false
}

// moved answers an address that has moved (an imported site's old
// permalinks, an editor's redirects) with a redirect to where it went;
// nil when the store knows of none.
func (s *Site) moved(r *http.Request) *response {
	key := r.URL.Path
	if strings.HasSuffix(key, "/") {
		q := r.URL.Query()
		for _, k := range wpQueryKeys {
			if v := q.Get(k); v != "" {
				key += "?" + k + "=" + v
				break
			}
		}
	}
	rd, err := s.db.RedirectFor(r.Context(), key)
	if err != nil {
		// A moved listing takes its pages and feeds along:
		// /tag/old/page/2/ and /tag/old/feed/ follow /tag/old/.
		base, rest := listingBase(r.URL.Path)
		if rest == "" {
			return nil
		}
		if rd, err = s.db.RedirectFor(r.Context(), base); err != nil {
			return nil
		}
		rd.To = strings.TrimSuffix(rd.To, "/") + "/" + rest
	}
	if s.hidesArticle(r.Context(), rd.To) {
		return nil
	}
	status := http.StatusMovedPermanently
	if rd.Status == http.StatusFound {
		status = http.StatusFound
	}
	return redirect(status, rd.To)
}

// hidesArticle reports whether to is the permalink of an article readers
// may not see now (a draft, a private post, an embargoed story). An old
// address (/?p=123, a WordPress permalink) that redirected there would
// tell that the slug exists, so it answers as if nothing were there. A
// store that cannot answer hides too.
func (s *Site) hidesArticle(ctx context.Context, to string) bool {
	slug, ok := links.ArticleSlug(to)
	if !ok {
		return false
	}
	a, err := s.db.ArticleBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	return err != nil || !a.VisibleAt(s.now())
}

// listingBase splits a listing's page or feed address into the listing
// and the rest: "/tag/x/page/2/" is "/tag/x/" and "page/2/".
func listingBase(path string) (base, rest string) {
	for _, marker := range []string{"/page/", "/feed/"} {
		if i := strings.LastIndex(path, marker); i > 0 {
			return path[:i+1], path[i+1:]
		}
	}
	return path, ""
}
