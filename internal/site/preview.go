package site

import (
	"net/http"

	"dastan/internal/news"
)

// RenderArticlePreview writes a as readers will see it once it is
// published, whatever its status. It is never cached and never indexed
// (X-Robots-Tag and a robots meta tag); the caller decides who may see
// it.
func (s *Site) RenderArticlePreview(w http.ResponseWriter, r *http.Request, a news.Article) {
	if a.PublishedAt.IsZero() {
		a.PublishedAt = s.now()
	}
	resp, err := s.articleResponse(r, a, "", false, true)
	if err != nil {
		s.log.Error("preview failed", "article", a.ID, "err", err)
		resp = s.errorPage(r)
	}
	resp.cacheable = false
	finish(resp)
	w.Header().Set("X-Robots-Tag", "noindex")
	s.write(w, r, resp)
	s.release(resp)
}
