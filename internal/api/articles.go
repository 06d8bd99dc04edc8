package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// MaxPerPage caps a page of any listing.
const MaxPerPage = 100

// Article is an article as the API shows it.
type Article struct {
	ID             int64       `json:"id"`
	Slug           string      `json:"slug"`
	URL            string      `json:"url"`
	Title          string      `json:"title"`
	Standfirst     string      `json:"standfirst"`
	Excerpt        string      `json:"excerpt"`
	BodyHTML       *string     `json:"body_html,omitempty"`   // one article, not listings
	BodySource     *string     `json:"body_source,omitempty"` // staff only
	BodyFormat     string      `json:"body_format,omitempty"` // staff only
	Lang           string      `json:"lang"`
	Status         string      `json:"status"`
	PublishedAt    *string     `json:"published_at"`
	UpdatedAt      string      `json:"updated_at"`
	Section        *SectionRef `json:"section"`
	Tags           []TagRef    `json:"tags"`
	Authors        []AuthorRef `json:"authors"`
	Image          *Image      `json:"image"`
	ReadingMinutes int         `json:"reading_minutes"`
	Sticky         bool        `json:"sticky"`
	Protected      bool        `json:"protected"`
	Version        int64       `json:"version"`
	TranslationOf  int64       `json:"translation_of,omitempty"`
	// Translations are the article's other language versions readers may
	// see, in one article's response and in listings alike.
	Translations []TranslationRef `json:"translations,omitempty"`
}

// TranslationRef names one language version of an article.
type TranslationRef struct {
	Lang string `json:"lang"`
	ID   int64  `json:"id"`
	URL  string `json:"url"`
}

// SectionRef names an article's section.
type SectionRef struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	Path string `json:"path"`
}

// TagRef names a tag.
type TagRef struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// AuthorRef names a byline.
type AuthorRef struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Image is a featured image.
type Image struct {
	URL     string `json:"url"`
	Alt     string `json:"alt"`
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
}

// ArticleList is a page of articles.
type ArticleList struct {
	Articles   []Article `json:"articles"`
	Total      int       `json:"total"`
	Page       int       `json:"page"`
	PerPage    int       `json:"per_page"`
	TotalPages int       `json:"total_pages"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (a *API) sectionMap(ctx context.Context) (map[int64]news.Section, error) {
	list, err := a.db.Sections(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]news.Section, len(list))
	for _, s := range list {
		m[s.ID] = s
	}
	return m, nil
}

// toArticle shapes a; full adds the body, staff what only the newsroom sees.
func (a *API) toArticle(ar news.Article, secs map[int64]news.Section, full, staff bool) Article {
	out := Article{ID: ar.ID, Slug: ar.Slug, URL: links.Abs(a.cfg.SiteURL, links.Article(ar.Slug)), Title: ar.Title, Standfirst: ar.Standfirst,
		Excerpt: ar.Excerpt, Lang: ar.Lang, Status: string(ar.Status), UpdatedAt: rfc3339(ar.UpdatedAt),
		ReadingMinutes: ar.ReadingMinutes, Sticky: ar.Sticky, Protected: ar.Password != "", Version: ar.Version,
		TranslationOf: ar.TranslationOf, Tags: []TagRef{}, Authors: []AuthorRef{}}
	if !ar.PublishedAt.IsZero() {
		s := rfc3339(ar.PublishedAt)
		out.PublishedAt = &s
	}
	if s, ok := secs[ar.SectionID]; ok {
		out.Section = &SectionRef{ID: s.ID, Slug: s.Slug, Name: s.Name, Path: s.Path}
	}
	for _, t := range ar.Tags {
		out.Tags = append(out.Tags, TagRef{t.ID, t.Slug, t.Name})
	}
	for _, au := range ar.Authors {
		out.Authors = append(out.Authors, AuthorRef{au.ID, au.Slug, au.Name})
	}
	if f := ar.Image; f != nil {
		out.Image = &Image{URL: links.Abs(a.cfg.SiteURL, f.URL), Alt: f.Alt, Caption: f.Caption, Credit: f.Credit, Width: f.Width, Height: f.Height}
	}
	if full && (staff || ar.Password == "") {
		body := absURLs(a.cfg.SiteURL, ar.BodyHTML)
		out.BodyHTML = &body
	}
	if staff {
		src := ar.BodySource
		out.BodySource, out.BodyFormat = &src, string(ar.BodyFormat)
	}
	return out
}

// absURLs makes the site-relative links and images of a body absolute,
// so that it reads the same in another app.
func absURLs(siteURL, html string) string {
	for _, attr := range []string{`src="/`, `href="/`} {
		var b strings.Builder
		rest := html
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i+len(attr)-1])
			if strings.HasPrefix(rest[i+len(attr):], "/") {
				b.WriteString("/")
			} else {
				b.WriteString(siteURL + "/")
			}
			rest = rest[i+len(attr):]
		}
		html = b.String()
	}
	return html
}

// paging reads page and per_page: 1-based, at most MaxPerPage a page.
func paging(r *http.Request, def int) (page, per int, param, msg string) {
	q := r.URL.Query()
	page, per = 1, def
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, "page", "must be a whole number from 1"
		}
		page = n
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPerPage {
			return 0, 0, "per_page", fmt.Sprintf("must be a whole number from 1 to %d", MaxPerPage)
		}
		per = n
	}
	if page > 1_000_000/per {
		return 0, 0, "page", "is too large"
	}
	return page, per, "", ""
}

func totalPages(total, per int) int { return (total + per - 1) / per }

// parseTime reads a date (YYYY-MM-DD, in the newsroom's zone) or an
// RFC 3339 time; a date as an upper bound means the end of that day.
func (a *API) parseTime(s string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, a.cfg.Location)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d.UTC(), nil
}

var staffStatuses = map[string]news.Status{"draft": news.StatusDraft, "pending": auth.StatusPending, "scheduled": news.StatusScheduled,
	"published": news.StatusPublished, "private": news.StatusPrivate, "trash": news.StatusTrash}

// listArticles is GET /api/v1/articles.
func (a *API) listArticles(w http.ResponseWriter, r *http.Request) {
	ctx, q, c := r.Context(), r.URL.Query(), callerOf(r)
	page, per, p, msg := paging(r, 20)
	if p != "" {
		badParam(w, p, msg)
		return
	}
	aq := store.APIQuery{Limit: per, Offset: (page - 1) * per, VisibleAt: a.now().UTC(), Search: q.Get("q")}
	if s := q.Get("section"); s != "" {
		sec, err := a.findSection(ctx, s)
		if err != nil {
			badParam(w, "section", fmt.Sprintf("there is no section %q", s))
			return
		}
		aq.SectionTree = sec.ID
	}
	if s := q.Get("tag"); s != "" {
		t, err := a.findTag(ctx, s, callerOf(r))
		if err != nil {
			badParam(w, "tag", fmt.Sprintf("there is no tag %q", s))
			return
		}
		aq.TagIDs = []int64{t.ID}
	}
	if s := q.Get("author"); s != "" {
		au, err := a.findAuthor(ctx, s, callerOf(r))
		if err != nil {
			badParam(w, "author", fmt.Sprintf("there is no author %q", s))
			return
		}
		aq.AuthorIDs = []int64{au.ID}
	}
	if s := q.Get("lang"); s != "" {
		if s != "en" && s != "ru" {
			badParam(w, "lang", "must be en or ru")
			return
		}
		aq.Lang = s
	}
	if s := q.Get("from"); s != "" {
		t, err := a.parseTime(s, false)
		if err != nil {
			badParam(w, "from", "want a date as YYYY-MM-DD or an RFC 3339 time")
			return
		}
		aq.After = t.Add(-time.Second) // from is inclusive
	}
	if s := q.Get("to"); s != "" {
		t, err := a.parseTime(s, true)
		if err != nil {
			badParam(w, "to", "want a date as YYYY-MM-DD or an RFC 3339 time")
			return
		}
		aq.Before = t
	}
	if s := q.Get("status"); s != "" {
		if !c.staff() {
			w.Header().Set("WWW-Authenticate", "Bearer")
			problem(w, http.StatusUnauthorized, "Token required", "Filtering by status is for the newsroom: send an API token.")
			return
		}
		for _, st := range strings.Split(s, ",") {
			v, ok := staffStatuses[strings.TrimSpace(st)]
			if !ok {
				badParam(w, "status", "each must be one of draft, pending, scheduled, published, private, trash")
				return
			}
			aq.Statuses = append(aq.Statuses, v)
		}
		aq.VisibleAt = time.Time{}
		// Contributors and authors see only their own unpublished work.
		if !auth.Can(c.user, auth.View, &auth.ArticleRef{Status: news.StatusDraft}) {
			aq.OwnerID = c.user.ID
		}
	}
	list, err := a.db.APIArticles(ctx, aq)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	secs, err := a.sectionMap(ctx)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	versions, err := a.db.TranslationsOfAll(ctx, list.Articles, a.now())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := ArticleList{Articles: []Article{}, Total: list.Total, Page: page, PerPage: per, TotalPages: totalPages(list.Total, per)}
	for _, ar := range list.Articles {
		art := a.toArticle(ar, secs, false, c.staff())
		art.Translations = a.translationRefs(ar, versions[ar.ID])
		out.Articles = append(out.Articles, art)
	}
	a.reply(w, r, http.StatusOK, out)
}

// getArticle is GET /api/v1/articles/{ref}: a number is an id, anything
// else a slug.
func (a *API) getArticle(w http.ResponseWriter, r *http.Request) {
	ctx, c, ref := r.Context(), callerOf(r), r.PathValue("ref")
	var ar news.Article
	var err error
	if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		ar, err = a.db.ArticleByID(ctx, id)
	} else {
		ar, err = a.db.ArticleBySlug(ctx, ref)
	}
	if err == nil {
		var ok bool
		ok, err = a.mayRead(ctx, c, ar)
		if err == nil && !ok {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	secs, err := a.sectionMap(ctx)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := a.toArticle(ar, secs, true, c.staff())
	if out.Translations, err = a.translations(ctx, ar); err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusOK, out)
}

// translations lists ar's other visible language versions.
func (a *API) translations(ctx context.Context, ar news.Article) ([]TranslationRef, error) {
	list, err := a.db.Translations(ctx, ar, a.now())
	if err != nil {
		return nil, err
	}
	return a.translationRefs(ar, list), nil
}

// translationRefs names the versions of list other than ar itself.
func (a *API) translationRefs(ar news.Article, list []store.Translation) []TranslationRef {
	var out []TranslationRef
	for _, t := range list {
		if t.ID != ar.ID {
			out = append(out, TranslationRef{Lang: t.Lang, ID: t.ID, URL: links.Abs(a.cfg.SiteURL, links.Article(t.Slug))})
		}
	}
	return out
}

// mayRead reports whether the caller may see ar: readers what is live,
// staff what their role may open in the newsroom.
func (a *API) mayRead(ctx context.Context, c caller, ar news.Article) (bool, error) {
	kind, err := a.db.ArticleKind(ctx, ar.ID)
	if err != nil || kind != store.KindArticle {
		return false, err
	}
	if c.staff() {
		owner, err := a.db.ArticleOwner(ctx, ar.ID)
		if err != nil {
			return false, err
		}
		if auth.Can(c.user, auth.View, &auth.ArticleRef{Owner: owner, Status: ar.Status}) {
			return true, nil
		}
	}
	return a.db.ArticleVisible(ctx, ar.ID, a.now().UTC())
}

// findSection finds a section by id or path.
func (a *API) findSection(ctx context.Context, s string) (news.Section, error) {
	list, err := a.db.Sections(ctx)
	if err != nil {
		return news.Section{}, err
	}
	id, _ := strconv.ParseInt(s, 10, 64)
	for _, sec := range list {
		if sec.ID == id || sec.Path == strings.Trim(s, "/") {
			return sec, nil
		}
	}
	return news.Section{}, store.ErrNotFound
}

// findTag finds a tag by id or slug. To a reader, a tag no visible
// article carries is not there: its name is not theirs to learn yet.
func (a *API) findTag(ctx context.Context, s string, c caller) (news.Tag, error) {
	var t news.Tag
	var err error
	if id, perr := strconv.ParseInt(s, 10, 64); perr == nil {
		t, err = a.db.TagByID(ctx, id)
	} else {
		t, err = a.db.TagBySlug(ctx, s)
	}
	if err == nil && !c.staff() {
		err = a.hidden(a.db.TagVisible(ctx, t.ID, a.now().UTC()))
	}
	return t, err
}

// hidden turns a visibility check into store.ErrNotFound for what
// readers may not see.
func (a *API) hidden(visible bool, err error) error {
	if err == nil && !visible {
		return store.ErrNotFound
	}
	return err
}

// findAuthor finds an author by id or slug; to a reader, as findTag, a
// byline on no visible article is not there.
func (a *API) findAuthor(ctx context.Context, s string, c caller) (news.Author, error) {
	au, err := a.findAnyAuthor(ctx, s)
	if err == nil && !c.staff() {
		err = a.hidden(a.db.AuthorVisible(ctx, au.ID, a.now().UTC()))
	}
	return au, err
}

func (a *API) findAnyAuthor(ctx context.Context, s string) (news.Author, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return a.db.AuthorBySlug(ctx, s)
	}
	all, err := a.db.Authors(ctx)
	if err != nil {
		return news.Author{}, err
	}
	for _, au := range all {
		if au.ID == id {
			return au, nil
		}
	}
	return news.Author{}, fmt.Errorf("api: author %d: %w", id, store.ErrNotFound)
}
