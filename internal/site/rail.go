package site

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
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
	readsGen     uint64         // the most-read lists MostRead came from (mostRead.gen)
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
	r.MostRead, r.MostReadWeek, r.readsGen = s.mostReadList(lang)
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
	v, err := s.parts.get(ctx, "rail "+lang+" "+strconv.FormatInt(sec, 10), now, func(ctx context.Context) (any, error) {
		l, err := s.db.ListArticles(ctx, store.ListQuery{Section: sec, Lang: lang, VisibleAt: now, Limit: railSize + 1, NoCount: true, NoBylines: true})
		return l.Articles, err
	})
	if err != nil {
		return nil, err
	}
	list := v.([]news.Article)
	shown := slices.Clip(list[:min(len(list), railSize)])
	if !slices.ContainsFunc(shown, func(a news.Article) bool { return a.ID == exclude }) {
		return shown, nil // shared by the section's other articles, and only read: no copy of 3 KB a page
	}
	out := make([]news.Article, 0, railSize) // articles are large: grown by appends, the list cost a page 15 KB
	for _, a := range list {
		if a.ID != exclude && len(out) < railSize {
			out = append(out, a)
		}
	}
	return out, nil
}

// mostReadList is lang's edition's most read of the day, or of the week
// when fewer than three stories were read today, and which lists they
// came from.
func (s *Site) mostReadList(lang string) ([]news.Article, bool, uint64) {
	m := s.reads.lists.Load()
	day, week := m.editions[lang].Day, m.editions[lang].Week
	if len(day) >= 3 || len(week) <= len(day) {
		return day, false, m.gen
	}
	return week, true, m.gen
}

// railHTML is the rail beside an article, rendered once for all the
// articles that show the same one: executing its template costs a page
// as much as a third of its own. What the rail shows is named in its key
// (the stories by id, the most-read lists by generation); their titles
// and dates change only with a write, which empties the parts.
func (s *Site) railHTML(ctx context.Context, lang string, sec, exclude int64) (template.HTML, error) {
	now := s.now()
	gen := s.parts.generation() // before the rail's reads: one read before a write is not kept
	r, err := s.rail(ctx, lang, sec, exclude)
	if err != nil {
		return "", err
	}
	v, err := s.parts.made(r.key(lang), now, gen, func() (any, error) {
		var b strings.Builder
		if err := s.pages["article"].In(lang).ExecuteTemplate(&b, "rail", r); err != nil {
			return nil, fmt.Errorf("site: render the rail: %w", err)
		}
		return template.HTML(b.String()), nil
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}

// key names everything r shows in lang's edition.
func (r rail) key(lang string) string {
	b := []byte("railhtml " + lang)
	b = fmt.Appendf(b, " %d %t", r.readsGen, r.MostReadWeek)
	if r.Section != nil {
		b = fmt.Appendf(b, " section %d", r.Section.ID)
	}
	for _, l := range [][]news.Article{r.Latest, r.MostRead, r.More} {
		b = append(b, " |"...)
		for _, a := range l {
			b = strconv.AppendInt(append(b, ' '), a.ID, 10)
		}
	}
	return string(b)
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
