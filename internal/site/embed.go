package site

import (
	"bytes"
	"errors"
	"net/http"
	"time"

	"dastan/internal/links"
	"dastan/internal/store"
)

// embedCard is what the embed page shows of an article.
type embedCard struct {
	Headline, Excerpt, URL, Home string
	Image, Alt                   string
	Published                    time.Time
}

// embedPage is /{slug}/embed/, the card an oEmbed iframe shows (as
// WordPress's embed template): title, excerpt, picture, site and date,
// linking to the article. Protected articles show no excerpt or picture.
func (s *Site) embedPage(r *http.Request, p params) (*response, error) {
	a, err := s.db.ArticleBySlug(r.Context(), p.segs[0])
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.VisibleAt(s.now())) {
		return s.notFound(r, params{})
	}
	if err != nil {
		return nil, err
	}
	lang := a.Lang
	if !s.editions[lang] {
		lang = links.DefaultLang
	}
	pg := Page{SiteName: s.cfg.SiteName, Lang: lang, Title: a.Title, Canonical: links.Abs(s.cfg.SiteURL, links.Article(a.Slug))}
	c := embedCard{Headline: a.Title, URL: pg.Canonical, Home: links.Abs(s.cfg.SiteURL, links.Home), Published: a.PublishedAt}
	if a.Password == "" {
		c.Excerpt = a.Excerpt
		if a.Image != nil && a.Image.URL != "" {
			c.Image, c.Alt = links.Abs(s.cfg.SiteURL, a.Image.URL), a.Image.Alt
		}
	}
	pg.Content = c
	var buf bytes.Buffer
	if err := s.pages["embed"].In(lang).ExecuteTemplate(&buf, "embed", pg); err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: buf.Bytes(), lastMod: a.UpdatedAt, cacheable: true}, nil
}
