package site

import (
	"context"

	"dastan/internal/news"
	"dastan/internal/store"
)

// rail is the column beside an article (and the front page's side) on
// wide screens: the newest stories, the most read, and more from the
// article's section.
type rail struct {
	Latest []news.Article
	// MostRead is the last day's most read, or the week's when the day
	// has too few; MostReadWeek says which.
	MostRead     []news.Article
	MostReadWeek bool
	Section      *news.Section
	More         []news.Article // the section's newest, without the article itself
}

// railSize is how many stories each of the rail's lists shows.
const railSize = 5

// rail gathers the rail, in lang's edition, for a page about section sec
// (0: none), leaving out the article exclude.
func (s *Site) rail(ctx context.Context, lang string, sec, exclude int64) (rail, error) {
	var r rail
	now := s.now()
	l, err := s.db.ListArticles(ctx, store.ListQuery{Lang: lang, VisibleAt: now, ExcludeID: exclude, Limit: railSize, NoCount: true, NoBylines: true})
	if err != nil {
		return r, err
	}
	r.Latest = l.Articles
	r.MostRead, r.MostReadWeek = s.mostReadList(lang)
	if sec == 0 {
		return r, nil
	}
	tree, err := s.sections.get(ctx)
	if err != nil {
		return r, err
	}
	if section, ok := tree.byID[sec]; ok {
		section.Name = s.sectionName(lang, section)
		r.Section = &section
		m, err := s.db.ListArticles(ctx, store.ListQuery{Section: sec, Lang: lang, VisibleAt: now, ExcludeID: exclude, Limit: railSize, NoCount: true, NoBylines: true})
		if err != nil {
			return r, err
		}
		r.More = m.Articles
	}
	return r, nil
}

// mostReadList is lang's edition's most read of the day, or of the week
// when fewer than three stories were read today.
func (s *Site) mostReadList(lang string) ([]news.Article, bool) {
	m := s.reads.lists.Load()
	day, week := articlesIn(m.Day, lang), articlesIn(m.Week, lang)
	if len(day) >= 3 || len(week) <= len(day) {
		return day, false
	}
	return week, true
}

// articlesIn is the first mostReadSize articles of list in lang.
func articlesIn(list []store.ReadCount, lang string) []news.Article {
	var out []news.Article
	for _, rc := range list {
		if rc.Article.Lang == lang && len(out) < mostReadSize {
			out = append(out, rc.Article)
		}
	}
	return out
}
