package site

import (
	"context"
	"fmt"
	"time"

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
	now := s.now()
	r := rail{}
	var err error
	if r.Latest, err = s.railList(ctx, lang, 0, exclude, now); err != nil {
		return r, err
	}
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
		if r.More, err = s.railList(ctx, lang, sec, exclude, now); err != nil {
			return r, err
		}
	}
	return r, nil
}

// railList is the newest railSize stories of lang's edition, in section
// sec when it is not 0, without the article exclude. The list is shared
// by every article of the section (partsCache), so one more is read than
// is shown, and the article leaves it here.
func (s *Site) railList(ctx context.Context, lang string, sec, exclude int64, now time.Time) ([]news.Article, error) {
	v, err := s.parts.get(fmt.Sprintf("rail %s %d", lang, sec), now, func() (any, error) {
		l, err := s.db.ListArticles(ctx, store.ListQuery{Section: sec, Lang: lang, VisibleAt: now, Limit: railSize + 1, NoCount: true, NoBylines: true})
		return l.Articles, err
	})
	if err != nil {
		return nil, err
	}
	var out []news.Article
	for _, a := range v.([]news.Article) {
		if a.ID != exclude && len(out) < railSize {
			out = append(out, a)
		}
	}
	return out, nil
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
