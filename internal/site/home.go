package site

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// homeBlock is one section's latest articles on the front page; the first
// shows its picture and excerpt.
type homeBlock struct {
	Section news.Section
	Country bool // a country page under News
	First   news.Article
	Rest    []news.Article
}

type homeContent struct {
	Lead   *news.Article
	Top    []news.Article // the stories beside the lead
	Latest []news.Article // the newest across every section
	Blocks []homeBlock
	// MostRead is the last day's most read stories, and the week's.
	MostReadDay, MostReadWeek []news.Article
	// ExcerptWords is how many words of an excerpt the front page shows.
	ExcerptWords int
	// TopHTML, LatestHTML and BlocksHTML are the lead and the stories
	// beside it, the newest and the sections' blocks, rendered (frontHTML).
	TopHTML, LatestHTML, BlocksHTML template.HTML
}

// Front page sizes: the stories beside the lead, the "Latest" list and a
// section block's.
const (
	homeTop       = 3
	homeLatest    = 8
	homeBlockSize = 5
)

// home is the front page: the lead story (pinned by the editors, else the
// newest sticky article, else the newest) with its picture, the stories
// beside it, the newest across sections, and a block for each section and
// each country.
//
// Each edition's front page carries its own language's articles only.
func (s *Site) home(r *http.Request, p params) (*response, error) {
	ctx := r.Context()
	now := s.now()
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.parts.get(ctx, "home "+p.lang, now, func(ctx context.Context) (any, error) {
		c, err := s.homeStories(ctx, p.lang, tree, now)
		if err != nil {
			return nil, err
		}
		return c, s.frontHTML(c, p.lang)
	})
	if err != nil {
		return nil, err
	}
	c := *v.(*homeContent)
	m := s.reads.lists.Load()
	c.MostReadDay, c.MostReadWeek = m.editions[p.lang].Day, m.editions[p.lang].Week
	pg := s.newPage(ctx, p.lang, "", links.Edition(p.lang), "")
	pg.Description = s.siteDescription(p.lang)
	s.listingHead(ctx, &pg, "/", "")
	pg.Content = c
	return s.render("home", http.StatusOK, pg)
}

// frontHTML renders the front page's stories in c, in lang's edition,
// into c, once for all the readers of the minute: executing their
// templates was three quarters of the page's CPU. The most read, which
// change with reads and not with writes, are rendered with each page.
func (s *Site) frontHTML(c *homeContent, lang string) error {
	t := s.pages["home"].In(lang)
	data := Page{Lang: lang, Content: c}
	for _, f := range []struct {
		name string
		into *template.HTML
	}{{"front-top", &c.TopHTML}, {"front-latest", &c.LatestHTML}, {"front-blocks", &c.BlocksHTML}} {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, f.name, data); err != nil {
			return fmt.Errorf("site: render the front page's %s: %w", f.name, err)
		}
		*f.into = template.HTML(b.String())
	}
	return nil
}

// homeStories chooses the front page's stories in lang's edition: the
// lead and those beside it, the newest, and the sections' blocks.
func (s *Site) homeStories(ctx context.Context, lang string, tree *sectionTree, now time.Time) (*homeContent, error) {
	c := &homeContent{ExcerptWords: s.cfg.FrontExcerptWords}
	latest, err := s.db.ListArticles(ctx, store.ListQuery{Lang: lang, VisibleAt: now, Limit: 1 + homeTop + homeLatest + 4, NoCount: true, NoBylines: true})
	if err != nil {
		return nil, err
	}
	if err := s.frontTop(ctx, c, lang, latest.Articles, now); err != nil {
		return nil, err
	}
	shown := map[int64]bool{}
	if c.Lead != nil {
		shown[c.Lead.ID] = true
	}
	for _, a := range c.Top {
		shown[a.ID] = true
	}
	for _, a := range latest.Articles {
		if !shown[a.ID] && len(c.Latest) < homeLatest {
			c.Latest = append(c.Latest, a)
		}
	}
	for _, top := range tree.top() {
		sections := []news.Section{top}
		sections = append(sections, tree.kids(top.ID)...) // the country pages under News
		for _, sec := range sections {
			b, err := s.homeBlock(ctx, lang, sec, shown, now)
			if err != nil {
				return nil, err
			}
			if b != nil {
				c.Blocks = append(c.Blocks, *b)
			}
		}
	}
	return c, nil
}

// homeBlock is sec's block, without the stories shown above it or in an
// earlier block (News holds its countries' stories), opening with a
// picture when one of its first stories has one; nil when it has none.
func (s *Site) homeBlock(ctx context.Context, lang string, sec news.Section, shown map[int64]bool, now time.Time) (*homeBlock, error) {
	l, err := s.db.ListArticles(ctx, store.ListQuery{Section: sec.ID, Lang: lang, VisibleAt: now, Limit: homeBlockSize + 3, NoCount: true, NoBylines: true})
	if err != nil {
		return nil, err
	}
	var list []news.Article
	for _, a := range l.Articles {
		if !shown[a.ID] && len(list) < homeBlockSize {
			list = append(list, a)
			shown[a.ID] = true
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	pictureFirst(list)
	sec.Name = s.sectionName(lang, sec)
	return &homeBlock{Section: sec, Country: sec.ParentID != 0, First: list[0], Rest: list[1:]}, nil
}

// frontTop chooses the lead and the stories beside it: the editors'
// pinned stories in their slots, then, in the slots left, the newest
// sticky article as lead and the newest stories (the lead with a picture
// when one of the first has one). The lead is read whole, for its
// standfirst and picture sizes.
func (s *Site) frontTop(ctx context.Context, c *homeContent, lang string, latest []news.Article, now time.Time) error {
	pinned, err := s.db.FrontSlots(ctx)
	if err != nil {
		return err
	}
	slots := make([]*news.Article, 1+homeTop)
	picked := map[int64]bool{}
	for i := range pinned {
		if n := pinned[i].Slot; n >= 1 && n <= len(slots) && pinned[i].Article.VisibleAt(now) && pinned[i].Article.Lang == lang {
			slots[n-1] = &pinned[i].Article
			picked[pinned[i].Article.ID] = true
		}
	}
	var rest []news.Article
	for _, a := range latest {
		if !picked[a.ID] && a.Sticky && slots[0] == nil {
			slots[0] = &a
			picked[a.ID] = true
		}
	}
	for _, a := range latest {
		if !picked[a.ID] {
			rest = append(rest, a)
		}
	}
	if slots[0] == nil {
		pictureFirst(rest) // a front page leads with a picture when it can
	}
	for i := range slots {
		if slots[i] == nil && len(rest) > 0 {
			slots[i], rest = &rest[0], rest[1:]
		}
	}
	if slots[0] == nil {
		return nil
	}
	lead := *slots[0]
	if full, err := s.db.ArticleByID(ctx, lead.ID); err == nil && full.VisibleAt(now) {
		lead = full
	}
	c.Lead = &lead
	for _, a := range slots[1:] {
		if a != nil {
			c.Top = append(c.Top, *a)
		}
	}
	return nil
}

// pictureFirst moves the newest story with a picture among the first
// three to the front of a block, so that the block opens with one.
func pictureFirst(list []news.Article) {
	for i := range min(len(list), 3) {
		if list[i].Image != nil {
			a := list[i]
			copy(list[1:i+1], list[:i])
			list[0] = a
			return
		}
	}
}
