package site

import (
	"crypto/subtle"
	"errors"
	"html/template"
	"net/http"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

type articleContent struct {
	Article       news.Article
	Body          template.HTML
	Section       *news.Section
	Crumbs        []NavItem
	Related       []news.Article
	Updated       bool
	Locked        bool
	WrongPassword bool
}

// articlePage is /{slug}/: one story, if readers may see it now.
func (s *Site) articlePage(r *http.Request, p params) (*response, error) {
	return s.article(r, p.segs[0], "", false)
}

func (s *Site) article(r *http.Request, slug, password string, tried bool) (*response, error) {
	ctx := r.Context()
	a, err := s.db.ArticleBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !readable(a, s.now())) {
		return s.notFound(r, params{})
	}
	if err != nil {
		return nil, err
	}
	return s.articleResponse(r, a, password, tried)
}

// articleResponse renders a as readers see it; the newsroom's preview
// uses it too, so a preview is the page itself.
func (s *Site) articleResponse(r *http.Request, a news.Article, password string, tried bool) (*response, error) {
	ctx := r.Context()
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	c := articleContent{Article: a, Body: bodyHTML(a), Updated: a.UpdatedAt.Sub(a.PublishedAt) > 3600e9}
	if a.Password != "" {
		unlocked := tried && subtle.ConstantTimeCompare([]byte(password), []byte(a.Password)) == 1
		c.Locked, c.WrongPassword = !unlocked, tried && !unlocked
	}
	current := ""
	if sec, ok := tree.byID[a.SectionID]; ok {
		c.Section = &sec
		for _, anc := range tree.chain(sec.ID) {
			c.Crumbs = append(c.Crumbs, NavItem{Name: anc.Name, URL: links.Section(anc.Path)})
			if current == "" {
				current = anc.Path
			}
		}
	}
	if c.Related, err = s.db.Related(ctx, a, 4, s.now()); err != nil {
		return nil, err
	}
	pg := s.newPage(ctx, a.Title, links.Article(a.Slug), current)
	if a.SEOTitle != "" {
		pg.Title = a.SEOTitle
	}
	pg.Description = a.SEODescription
	if pg.Description == "" {
		pg.Description = a.Excerpt
	}
	pg.Head = s.articleHead(ctx, a, pg.Title, pg.Description, c.Section, c.Crumbs)
	pg.Content = c
	resp, err := s.render("article", http.StatusOK, pg)
	if err != nil {
		return nil, err
	}
	resp.lastMod = a.UpdatedAt
	resp.cacheable = !tried
	return resp, nil
}

// readable says whether readers may see a now: published, or scheduled
// and due. Drafts, private and trashed articles are not found.
func readable(a news.Article, now time.Time) bool {
	if a.Status != news.StatusPublished && a.Status != news.StatusScheduled {
		return false
	}
	return !a.PublishedAt.After(now)
}

// articleUnlock answers the password form of a protected article. The
// unlocked page is never cached.
func (s *Site) articleUnlock(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	pw := r.PostFormValue("post_password")
	resp, err := s.article(r, r.PathValue("slug"), pw, true)
	if err != nil {
		s.log.Error("article unlock failed", "err", err)
		resp = s.errorPage(r)
	}
	resp.cacheable = false
	finish(resp)
	s.write(w, r, resp)
}

// datedPermalink sends WordPress's /2025/03/26/slug/ to /slug/.
func (s *Site) datedPermalink(r *http.Request, p params) (*response, error) {
	if _, err := s.db.ArticleBySlug(r.Context(), p.segs[0]); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return s.notFound(r, p)
		}
		return nil, err
	}
	return redirect(http.StatusMovedPermanently, links.Article(p.segs[0])), nil
}
