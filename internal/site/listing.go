package site

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/i18n"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

type listingContent struct {
	Heading     string
	Intro       string
	Items       []template.HTML // the articles, rendered (listingItems)
	Total       int
	First, Last int
	Pager       pager
}

// pager is a listing's numbered page links: the first and last, the
// current one with two either side, and gaps between.
type pager struct {
	Page, Pages int
	Prev, Next  string
	First, Last string
	Links       []pageLink
}

// pageLink is one number in the pager; Gap stands for the pages left out.
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// pagerWindow is how many page numbers show either side of the current.
const pagerWindow = 2

// newPager numbers the pages of a listing whose first page is base.
func newPager(base string, page, pages int) pager {
	p := pager{Page: page, Pages: pages}
	if pages <= 1 {
		return p
	}
	if page > 1 {
		p.Prev, p.First = links.Page(base, page-1), links.Page(base, 1)
	}
	if page < pages {
		p.Next, p.Last = links.Page(base, page+1), links.Page(base, pages)
	}
	for n := 1; n <= pages; n++ {
		near := n == 1 || n == pages || (n >= page-pagerWindow && n <= page+pagerWindow)
		if near {
			p.Links = append(p.Links, pageLink{N: n, URL: links.Page(base, n), Current: n == page})
		} else if len(p.Links) > 0 && !p.Links[len(p.Links)-1].Gap {
			p.Links = append(p.Links, pageLink{Gap: true})
		}
		switch { // nothing else shows before the window, or after it
		case !near && n < page:
			n = page - pagerWindow - 1
		case !near && n > page:
			n = pages - 1
		}
	}
	return p
}

// listing renders one page of a listing whose first page lives at base
// (in the default edition), with the articles of p's edition only.
func (s *Site) listing(r *http.Request, p params, base, heading, intro, current string, q store.ListQuery) (*response, error) {
	ctx := r.Context()
	size := s.cfg.PageSize
	q.VisibleAt, q.Limit, q.Offset, q.Lang = s.now(), size, (p.page-1)*size, p.lang
	ebase := links.In(p.lang, base)
	gen := s.items.generation() // before the reads: items read before a write are not kept
	ids, total, err := s.db.ListArticleIDs(ctx, q)
	if err != nil {
		return nil, err
	}
	items, lastMod, err := s.listingItems(ctx, p.lang, ids, gen)
	if err != nil {
		return nil, err
	}
	if p.page > 1 && len(items) == 0 {
		return s.notFound(r, p)
	}
	c := listingContent{Heading: heading, Intro: intro, Items: items, Total: total}
	if total > 0 {
		c.First, c.Last = q.Offset+1, q.Offset+len(items)
	}
	c.Pager = newPager(ebase, p.page, (total+size-1)/size)
	title := heading
	if p.page > 1 {
		title = s.t(p.lang, "site.page_title", "Heading", heading, "Page", p.page)
	}
	pg := s.newPage(ctx, p.lang, title, links.Page(ebase, p.page), current)
	s.switchTo(&pg, base)
	pg.Description = intro
	s.listingHead(ctx, &pg, base, heading)
	pg.Head += pagerHead(c.Pager)
	pg.Content = c
	resp, err := s.render("listing", http.StatusOK, pg)
	if err != nil {
		return nil, err
	}
	resp.lastMod = lastMod
	return resp, nil
}

// pagerHead is the <link rel=prev/next> pair search engines follow.
func pagerHead(p pager) template.HTML {
	var b headBuilder
	if p.Prev != "" {
		b.link("prev", "", "", p.Prev, "")
	}
	if p.Next != "" {
		b.link("next", "", "", p.Next, "")
	}
	return template.HTML(b.String())
}

// listedItem is an article as a listing shows it, rendered.
type listedItem struct {
	html    template.HTML
	updated time.Time // the article's, for the page's Last-Modified
}

// listingItems renders the articles ids of a listing in lang's edition as
// its items, and says when the newest of them changed. An item is the
// same in every listing that shows its article (the section's, its
// parents', a tag's, an author's, a month's), and reading it, cutting
// its excerpt and escaping it cost a listing most of its work, so each
// is rendered once a minute and kept; a write drops them all. Only the
// items not kept are read. Articles gone since ids were read are left
// out. gen is s.items' generation before ids were read.
func (s *Site) listingItems(ctx context.Context, lang string, ids []int64, gen uint64) ([]template.HTML, time.Time, error) {
	now := s.now()
	found := make([]*listedItem, len(ids))
	var missing []int64
	for i, id := range ids {
		if v, ok := s.items.peek(itemKey(lang, id), now); ok {
			found[i] = v.(*listedItem)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		made, err := s.makeItems(ctx, lang, missing, gen, now)
		if err != nil {
			return nil, time.Time{}, err
		}
		for i, id := range ids {
			if found[i] == nil {
				found[i] = made[id]
			}
		}
	}
	var out []template.HTML
	var lastMod time.Time
	for _, it := range found {
		if it == nil {
			continue
		}
		out = append(out, it.html)
		if it.updated.After(lastMod) {
			lastMod = it.updated
		}
	}
	return out, lastMod, nil
}

// makeItems reads and renders the items of the articles ids, and keeps
// them (see listingItems).
func (s *Site) makeItems(ctx context.Context, lang string, ids []int64, gen uint64, now time.Time) (map[int64]*listedItem, error) {
	list, err := s.db.Summaries(ctx, ids)
	if err != nil {
		return nil, err
	}
	if err := s.listingExcerpts(ctx, list); err != nil {
		return nil, err
	}
	t := s.pages["listing"].In(lang)
	made := make(map[int64]*listedItem, len(list))
	for _, a := range list {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, "item", a); err != nil {
			return nil, fmt.Errorf("site: render a listing's item: %w", err)
		}
		it := &listedItem{html: template.HTML(b.String()), updated: a.UpdatedAt}
		made[a.ID] = it
		s.items.keep(itemKey(lang, a.ID), now, it, gen)
	}
	return made, nil
}

// itemKey names the item of article id in lang's edition's listings.
func itemKey(lang string, id int64) string {
	return "item " + lang + " " + strconv.FormatInt(id, 10)
}

// listingExcerpts cuts each excerpt to the listings' length in words,
// reading more of the body where the stored excerpt was cut shorter.
func (s *Site) listingExcerpts(ctx context.Context, list []news.Article) error {
	n := s.cfg.ListingExcerptWords
	if n <= 0 {
		return nil
	}
	var short []int64
	for _, a := range list {
		if len(strings.Fields(a.Excerpt)) < n {
			short = append(short, a.ID)
		}
	}
	texts, err := s.db.BodyTexts(ctx, short)
	if err != nil {
		return err
	}
	for i := range list {
		if t, ok := texts[list[i].ID]; ok && strings.TrimSpace(t) != "" {
			list[i].Excerpt = news.CutWords(t, n)
		} else {
			list[i].Excerpt = news.CutWords(list[i].Excerpt, n)
		}
	}
	return nil
}

// latest is /page/N/: everything, newest first.
func (s *Site) latest(r *http.Request, p params) (*response, error) {
	return s.listing(r, p, links.Home, s.t(p.lang, "site.latest"), "", "", store.ListQuery{})
}

// sectionPage is /category/news/kazakhstan/: a section and its children.
func (s *Site) sectionPage(r *http.Request, p params) (*response, error) {
	tree, err := s.sections.get(r.Context())
	if err != nil {
		return nil, err
	}
	sec, ok := tree.byPath[strings.Join(p.segs, "/")]
	if !ok {
		return s.notFound(r, p)
	}
	return about(aboutSection(sec.Path))(s.listing(r, p, links.Section(sec.Path), s.sectionName(p.lang, sec), "", sec.Path,
		store.ListQuery{Section: sec.ID}))
}

// tagPage is /tag/{slug}/.
func (s *Site) tagPage(r *http.Request, p params) (*response, error) {
	t, err := s.publicTag(r.Context(), p.segs[0])
	if errors.Is(err, store.ErrNotFound) {
		return s.notFound(r, p)
	}
	if err != nil {
		return nil, err
	}
	return about(aboutTag(t.Slug))(s.listing(r, p, links.Tag(t.Slug), s.t(p.lang, "site.tag_heading", "Name", t.Name), "", "", store.ListQuery{TagID: t.ID}))
}

// publicTag is the tag with slug if readers may see it, which they may
// once it carries an article they may see: a tag only a draft carries
// has no page, feed or search filter yet, and answers store.ErrNotFound
// as a missing tag does.
func (s *Site) publicTag(ctx context.Context, slug string) (news.Tag, error) {
	t, err := s.db.TagBySlug(ctx, slug)
	if err != nil {
		return t, err
	}
	ok, err := s.db.TagVisible(ctx, t.ID, s.now())
	if err == nil && !ok {
		err = fmt.Errorf("site: tag %q: %w", slug, store.ErrNotFound)
	}
	if err != nil {
		return news.Tag{}, err
	}
	return t, nil
}

// publicAuthor is the author with slug if readers may see them, which
// they may once they have an article readers may see.
func (s *Site) publicAuthor(ctx context.Context, slug string) (news.Author, error) {
	a, err := s.db.AuthorBySlug(ctx, slug)
	if err != nil {
		return a, err
	}
	ok, err := s.db.AuthorVisible(ctx, a.ID, s.now())
	if err == nil && !ok {
		err = fmt.Errorf("site: author %q: %w", slug, store.ErrNotFound)
	}
	if err != nil {
		return news.Author{}, err
	}
	return a, nil
}

// authorPage is /author/{slug}/, with the author's bio.
func (s *Site) authorPage(r *http.Request, p params) (*response, error) {
	a, err := s.publicAuthor(r.Context(), p.segs[0])
	if errors.Is(err, store.ErrNotFound) {
		return s.notFound(r, p)
	}
	if err != nil {
		return nil, err
	}
	return about(aboutAuthor(a.Slug))(s.listing(r, p, links.Author(a.Slug), a.Name, a.Bio, "", store.ListQuery{AuthorID: a.ID}))
}

// archivePage is /2025/, /2025/03/ or /2025/03/26/, in the site's zone.
func (s *Site) archivePage(r *http.Request, p params) (*response, error) {
	span, ok := archiveSpanIn(p.segs, s.cfg.Location, p.lang)
	if !ok {
		return s.notFound(r, p)
	}
	return s.listing(r, p, span.path, s.t(p.lang, "site.archive_heading", "Span", span.heading), "", "", store.ListQuery{From: span.from, To: span.to})
}

// dateSpan is the time a dated archive covers, [from, to).
type dateSpan struct {
	from, to time.Time
	heading  string // "26 March 2025", "March 2025", "2025"
	path     string // the archive's address
}

// archiveSpan reads a dated archive's segments (year, month, day) in loc;
// ok is false for a date that does not exist.
func archiveSpan(segs []string, loc *time.Location) (dateSpan, bool) {
	return archiveSpanIn(segs, loc, links.DefaultLang)
}

// archiveSpanIn is archiveSpan with its heading in lang.
func archiveSpanIn(segs []string, loc *time.Location, lang string) (dateSpan, bool) {
	y, _ := strconv.Atoi(segs[0])
	m, d := 0, 0
	if len(segs) > 1 {
		if !isNumber(segs[1], 2) {
			return dateSpan{}, false
		}
		m, _ = strconv.Atoi(segs[1])
	}
	if len(segs) > 2 {
		if !isNumber(segs[2], 2) {
			return dateSpan{}, false
		}
		d, _ = strconv.Atoi(segs[2])
	}
	if y < 1900 || y > 9999 || m > 12 || (len(segs) > 1 && m < 1) || d > 31 || (len(segs) > 2 && d < 1) {
		return dateSpan{}, false
	}
	span := dateSpan{path: links.Archive(y, m, d)}
	switch {
	case d > 0:
		span.from = time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
		if span.from.Day() != d {
			return dateSpan{}, false
		}
		span.to, span.heading = span.from.AddDate(0, 0, 1), i18n.Date(span.from, lang)
	case m > 0:
		span.from = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc)
		span.to, span.heading = span.from.AddDate(0, 1, 0), i18n.Month(span.from, lang)
	default:
		span.from = time.Date(y, 1, 1, 0, 0, 0, 0, loc)
		span.to, span.heading = span.from.AddDate(1, 0, 0), strconv.Itoa(y)
	}
	return span, true
}

// about marks a rendered listing as about one section, tag or author.
func about(what string) func(*response, error) (*response, error) {
	return func(resp *response, err error) (*response, error) {
		if resp != nil {
			resp.about = what
		}
		return resp, err
	}
}
