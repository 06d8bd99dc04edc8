package api

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// wpPostJSON is a post in WordPress's view context, members in its order.
type wpPostJSON struct {
	ID            int64       `json:"id"`
	Date          string      `json:"date"`
	DateGMT       string      `json:"date_gmt"`
	GUID          wpRendered  `json:"guid"`
	Modified      string      `json:"modified"`
	ModifiedGMT   string      `json:"modified_gmt"`
	Slug          string      `json:"slug"`
	Status        string      `json:"status"`
	Type          string      `json:"type"`
	Link          string      `json:"link"`
	Title         wpRendered  `json:"title"`
	Content       wpProtected `json:"content"`
	Excerpt       wpProtected `json:"excerpt"`
	Author        int64       `json:"author"`
	FeaturedMedia int64       `json:"featured_media"`
	CommentStatus string      `json:"comment_status"`
	PingStatus    string      `json:"ping_status"`
	Sticky        bool        `json:"sticky"`
	Template      string      `json:"template"`
	Format        string      `json:"format"`
	Meta          []any       `json:"meta"`
	Categories    []int64     `json:"categories"`
	Tags          []int64     `json:"tags"`
	// Lang and Translations are what Polylang's REST integration adds:
	// the post's language and its language versions' ids, itself included.
	Lang         string           `json:"lang"`
	Translations map[string]int64 `json:"translations"`
	Links        wpLinks          `json:"_links"`
	Embedded     map[string]any   `json:"_embedded,omitempty"`
}

var wpStatus = map[news.Status]string{news.StatusPublished: "publish", news.StatusScheduled: "future", news.StatusDraft: "draft", news.StatusPrivate: "private", news.StatusTrash: "trash"}

// mediaKey finds the library item an image URL was made from: renditions
// are stored as "ab/cd/<sha256>-<width>.<ext>".
var mediaKey = regexp.MustCompile(`/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})-\d+\.[a-z]+$`)

func (a *API) featuredMedia(ctx context.Context, ar news.Article) (store.Media, bool) {
	if ar.Image == nil {
		return store.Media{}, false
	}
	m := mediaKey.FindStringSubmatch(ar.Image.URL)
	if m == nil {
		return store.Media{}, false
	}
	med, err := a.db.MediaBySHA(ctx, m[3])
	return med, err == nil
}

// wpPostContext is what shaping posts needs once per request.
type wpPostContext struct {
	secs  map[int64]news.Section
	embed func(string) bool
	cats  map[int64]int // counts, for embedded terms
	tags  map[int64]int
	ids   *wpIDs // WordPress's ids of imported rows
	// versions are a listing's articles' language versions, read for
	// the page at once (listed); one post looks its own up.
	versions map[int64][]store.Translation
	listed   bool
}

func (a *API) toWPPost(ctx context.Context, ar news.Article, pc wpPostContext) wpPostJSON {
	pid := pc.ids.wp(wpArticle, ar.ID)
	id := strconv.FormatInt(pid, 10)
	date, dateGMT := a.wpDates(ar.PublishedAt)
	mod, modGMT := a.wpDates(ar.UpdatedAt)
	status := wpStatus[ar.Status]
	if status == "" {
		status = "pending"
	}
	p := wpPostJSON{ID: pid, Date: date, DateGMT: dateGMT, GUID: wpRendered{a.cfg.SiteURL + "/?p=" + id},
		Modified: mod, ModifiedGMT: modGMT, Slug: ar.Slug, Status: status, Type: "post",
		Link: links.Abs(a.cfg.SiteURL, links.Article(ar.Slug)), Title: wpRendered{html.EscapeString(ar.Title)},
		CommentStatus: "closed", PingStatus: "closed", Sticky: ar.Sticky, Format: "standard",
		Meta: []any{}, Categories: []int64{}, Tags: []int64{}}
	if ar.Password != "" {
		p.Content = wpProtected{"", true}
		p.Excerpt = wpProtected{"<p>There is no excerpt because this is a protected post.</p>\n", true}
	} else {
		p.Content = wpProtected{absURLs(a.cfg.SiteURL, ar.BodyHTML), false}
		p.Excerpt = wpProtected{"<p>" + html.EscapeString(ar.Excerpt) + "</p>\n", false}
	}
	if len(ar.Authors) > 0 {
		p.Author = pc.ids.wp(wpAuthor, ar.Authors[0].ID)
	}
	med, hasMedia := a.featuredMedia(ctx, ar)
	if hasMedia {
		p.FeaturedMedia = med.ID
	}
	if sec, ok := pc.secs[ar.SectionID]; ok {
		p.Categories = append(p.Categories, pc.ids.wp(wpCategory, sec.ID))
	}
	for _, t := range ar.Tags {
		p.Tags = append(p.Tags, pc.ids.wp(wpTag, t.ID))
	}
	p.Lang, p.Translations = ar.Lang, a.wpTranslations(ctx, ar, pc)
	versions := ar.Version
	p.Links = wpLinks{
		"self":            a.wpSelf("/posts/" + id),
		"collection":      {{Href: a.wpBase() + "/posts"}},
		"about":           {{Href: a.wpBase() + "/types/post"}},
		"author":          {{Embeddable: true, Href: a.wpBase() + "/users/" + strconv.FormatInt(p.Author, 10)}},
		"replies":         {{Embeddable: true, Href: a.wpBase() + "/comments?post=" + id}},
		"version-history": {{Count: &versions, Href: a.wpBase() + "/posts/" + id + "/revisions"}},
		"wp:attachment":   {{Href: a.wpBase() + "/media?parent=" + id}},
		"wp:term": {{Taxonomy: "category", Embeddable: true, Href: a.wpBase() + "/categories?post=" + id},
			{Taxonomy: "post_tag", Embeddable: true, Href: a.wpBase() + "/tags?post=" + id}},
		"curies": wpCuries,
	}
	if hasMedia {
		p.Links["wp:featuredmedia"] = []wpLink{{Embeddable: true, Href: a.wpBase() + "/media/" + strconv.FormatInt(med.ID, 10)}}
	}
	if pc.embed != nil {
		e := map[string]any{}
		if pc.embed("author") && len(ar.Authors) > 0 {
			e["author"] = []any{onlyKeys(a.toWPUser(ar.Authors[0], pc.ids), wpUserEmbedKeys...)}
		}
		if pc.embed("wp:featuredmedia") && hasMedia {
			e["wp:featuredmedia"] = []any{onlyKeys(a.toWPMedia(med, nil), wpMediaEmbedKeys...)}
		}
		if pc.embed("wp:term") {
			cats, tags := []any{}, []any{}
			if sec, ok := pc.secs[ar.SectionID]; ok {
				cats = append(cats, onlyKeys(a.toWPCategory(sec, pc.cats[sec.ID], pc.ids), wpTermEmbedKeys...))
			}
			for _, t := range ar.Tags {
				tags = append(tags, onlyKeys(a.toWPTag(t, pc.tags[t.ID], pc.ids), wpTermEmbedKeys...))
			}
			e["wp:term"] = []any{cats, tags}
		}
		if len(e) > 0 {
			p.Embedded = e
		}
	}
	return p
}

// wpTranslations maps the languages of ar's visible language versions
// to their WordPress ids, as Polylang does: ar alone when it has none (or
// when they cannot be read, like a featured image that cannot be).
func (a *API) wpTranslations(ctx context.Context, ar news.Article, pc wpPostContext) map[string]int64 {
	ids := pc.ids
	out := map[string]int64{ar.Lang: ids.wp(wpArticle, ar.ID)}
	list := pc.versions[ar.ID]
	if !pc.listed {
		var err error
		if list, err = a.db.Translations(ctx, ar, a.now()); err != nil || ids.learn(ctx, wpArticle, versionIDs(list)) != nil {
			return out
		}
	}
	for _, t := range list {
		out[t.Lang] = ids.wp(wpArticle, t.ID)
	}
	return out
}

// versionIDs are the ids of list's articles.
func versionIDs(list []store.Translation) []int64 {
	out := make([]int64, len(list))
	for i, t := range list {
		out[i] = t.ID
	}
	return out
}

// listVersions reads the language versions of a listing's articles, and
// their WordPress ids, for the page at once. Should that fail, the posts
// name themselves alone, as one post does when its versions cannot be
// read.
func (a *API) listVersions(ctx context.Context, pc *wpPostContext, list []news.Article) {
	pc.listed = true
	versions, err := a.db.TranslationsOfAll(ctx, list, a.now())
	if err != nil {
		return
	}
	var all []int64
	for _, vs := range versions {
		all = append(all, versionIDs(vs)...)
	}
	if pc.ids.learn(ctx, wpArticle, all) == nil {
		pc.versions = versions
	}
}

func toMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

func (a *API) wpPostContext(r *http.Request) (wpPostContext, error) {
	pc := wpPostContext{embed: wpEmbed(r)}
	var err error
	if pc.ids, err = a.wpIDs(r.Context()); err != nil {
		return pc, err
	}
	if pc.secs, err = a.sectionMap(r.Context()); err != nil {
		return pc, err
	}
	if pc.embed != nil && pc.embed("wp:term") {
		pc.cats, pc.tags, _, err = a.db.VisibleCounts(r.Context(), a.now().UTC())
	}
	return pc, err
}

// wpPosts is GET /wp-json/wp/v2/posts.
func (a *API) wpPosts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, per, ok := wpPaging(w, r)
	if !ok {
		return
	}
	pc, err := a.wpPostContext(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	aq := store.APIQuery{Limit: per, Offset: (page - 1) * per, VisibleAt: a.now().UTC(), Search: q.Get("search"), Slugs: wpStrings(r, "slug")}
	for _, f := range []struct {
		param string
		kind  wpKind
		dst   *[]int64
	}{{"categories", wpCategory, &aq.SectionIDs}, {"tags", wpTag, &aq.TagIDs}, {"author", wpAuthor, &aq.AuthorIDs}} {
		list, ok := wpIDList(w, r, f.param)
		if !ok {
			return
		}
		if *f.dst, err = pc.ids.locals(r.Context(), f.kind, list); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	if !a.wpDatesAndStatus(w, q, &aq) {
		return
	}
	if s := q.Get("lang"); s != "" {
		aq.Lang = s
	}
	if aq.OrderBy, aq.Asc, ok = wpOrder(w, r, []string{"date", "id", "title", "slug", "modified"}, "date", false); !ok {
		return
	}
	list, err := a.db.APIArticles(r.Context(), aq)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list.Total > 0 && page > totalPages(list.Total, per) {
		wpError(w, http.StatusBadRequest, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.", nil)
		return
	}
	if err := pc.ids.load(r.Context(), a.db, list.Articles); err != nil {
		a.fail(w, r, err)
		return
	}
	a.listVersions(r.Context(), &pc, list.Articles)
	out := make([]wpPostJSON, 0, len(list.Articles))
	for _, ar := range list.Articles {
		out = append(out, a.toWPPost(r.Context(), ar, pc))
	}
	wpTotals(w, r, a.wpBase()+"/posts", list.Total, page, per)
	a.reply(w, r, http.StatusOK, out)
}

// wpPost is GET /wp-json/wp/v2/posts/{id}: an imported post answers at
// its WordPress id (see wp_ids.go).
func (a *API) wpPost(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pc, err := a.wpPostContext(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ar, err := a.wpArticle(r, pc.ids, store.KindArticle)
	visible := false
	if err == nil {
		visible, err = a.mayRead(ctx, caller{}, ar)
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && !visible) {
		wpError(w, http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.", nil)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := pc.ids.load(ctx, a.db, []news.Article{ar}); err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusOK, a.toWPPost(ctx, ar, pc))
}

// wpArticle reads the {id} of a post or page address: the article of
// that kind, or store.ErrNotFound.
// wpAddressed reads the id map and the post or page the path names,
// answering WordPress's 404 or a 500 itself; ok is false when it did.
func (a *API) wpAddressed(w http.ResponseWriter, r *http.Request, kind string) (ar news.Article, ids *wpIDs, ok bool) {
	ids, err := a.wpIDs(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return ar, nil, false
	}
	ar, err = a.wpArticle(r, ids, kind)
	if errors.Is(err, store.ErrNotFound) {
		wpError(w, http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.", nil)
		return ar, nil, false
	} else if err != nil {
		a.fail(w, r, err)
		return ar, nil, false
	}
	return ar, ids, true
}

// wpDatesAndStatus reads after, before and status, the filters posts
// and pages share; ok is false when it answered a bad value itself.
func (a *API) wpDatesAndStatus(w http.ResponseWriter, q url.Values, aq *store.APIQuery) bool {
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"after", &aq.After}, {"before", &aq.Before}} {
		if s := q.Get(p.name); s != "" {
			t, err := a.wpTime(s)
			if err != nil {
				wpInvalid(w, p.name, "Invalid date.")
				return false
			}
			*p.dst = t
		}
	}
	if s := q.Get("status"); s != "" && s != "publish" {
		wpInvalid(w, "status", "Status is forbidden.")
		return false
	}
	return true
}

func (a *API) wpArticle(r *http.Request, ids *wpIDs, kind string) (news.Article, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return news.Article{}, store.ErrNotFound
	}
	if id, err = ids.local(ctx, wpArticle, id); err != nil {
		return news.Article{}, err
	}
	if id == 0 {
		return news.Article{}, store.ErrNotFound
	}
	k, err := a.db.ArticleKind(ctx, id)
	if err != nil {
		return news.Article{}, err
	}
	if k != kind {
		return news.Article{}, store.ErrNotFound
	}
	return a.db.ArticleByID(ctx, id)
}
