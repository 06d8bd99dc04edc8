package site

import (
	"net/http"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// homeBlock is one section's latest articles on the front page.
type homeBlock struct {
	Section  news.Section
	Articles []news.Article
}

type homeContent struct {
	Lead   *news.Article
	Blocks []homeBlock
}

// home is the front page: the lead story (the newest sticky article, or
// the newest) and the latest of each section and each country.
//
// Each edition's front page carries its own language's articles only.
func (s *Site) home(r *http.Request, p params) (*response, error) {
	ctx := r.Context()
	now := s.now()
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	var c homeContent
	latest, err := s.db.ListArticles(ctx, store.ListQuery{Lang: p.lang, VisibleAt: now, Limit: 12, NoCount: true, NoBylines: true})
	if err != nil {
		return nil, err
	}
	for i := range latest.Articles {
		if latest.Articles[i].Sticky {
			c.Lead = &latest.Articles[i]
			break
		}
	}
	if c.Lead == nil && len(latest.Articles) > 0 {
		c.Lead = &latest.Articles[0]
	}
	if c.Lead != nil {
		full, err := s.db.ArticleByID(ctx, c.Lead.ID) // for the standfirst and image
		if err == nil {
			c.Lead = &full
		}
	}
	var blocks []news.Section
	for _, top := range tree.top() {
		blocks = append(blocks, top)
		blocks = append(blocks, tree.kids(top.ID)...) // the country pages under News
	}
	for _, sec := range blocks {
		l, err := s.db.ListArticles(ctx, store.ListQuery{Section: sec.ID, Lang: p.lang, VisibleAt: now, Limit: 5, NoCount: true, NoBylines: true})
		if err != nil {
			return nil, err
		}
		if len(l.Articles) > 0 {
			sec.Name = s.sectionName(p.lang, sec)
			c.Blocks = append(c.Blocks, homeBlock{Section: sec, Articles: l.Articles})
		}
	}
	pg := s.newPage(ctx, p.lang, "", links.Edition(p.lang), "")
	pg.Description = s.siteDescription(p.lang)
	s.listingHead(ctx, &pg, "/", "")
	pg.Content = c
	return s.render("home", http.StatusOK, pg)
}
