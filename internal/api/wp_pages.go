package api

import (
	"net/http"
	"strconv"

	"dastan/internal/news"
	"dastan/internal/store"
)

// wpPageJSON is a page in WordPress's view context, members in its order
// (a post's, less sticky, format and terms, with parent and menu_order).
type wpPageJSON struct {
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
	Parent        int64       `json:"parent"`
	MenuOrder     int         `json:"menu_order"`
	CommentStatus string      `json:"comment_status"`
	PingStatus    string      `json:"ping_status"`
	Template      string      `json:"template"`
	Meta          []any       `json:"meta"`
	Links         wpLinks     `json:"_links"`
}

// toWPPage shapes a page: a post's fields where they are the same, and
// its links under /pages. Dastan's pages have no parents or menu order.
func (a *API) toWPPage(r *http.Request, ar news.Article, ids *wpIDs) wpPageJSON {
	p := a.toWPPost(r.Context(), ar, wpPostContext{ids: ids})
	id := strconv.FormatInt(p.ID, 10)
	out := wpPageJSON{ID: p.ID, Date: p.Date, DateGMT: p.DateGMT, GUID: wpRendered{a.cfg.SiteURL + "/?page_id=" + id},
		Modified: p.Modified, ModifiedGMT: p.ModifiedGMT, Slug: p.Slug, Status: p.Status, Type: "page", Link: p.Link,
		Title: p.Title, Content: p.Content, Excerpt: p.Excerpt, Author: p.Author, FeaturedMedia: p.FeaturedMedia,
		CommentStatus: p.CommentStatus, PingStatus: p.PingStatus, Meta: []any{}, Links: p.Links}
	delete(out.Links, "wp:term")
	out.Links["self"] = a.wpSelf("/pages/" + id)
	out.Links["collection"] = []wpLink{{Href: a.wpBase() + "/pages"}}
	out.Links["about"] = []wpLink{{Href: a.wpBase() + "/types/page"}}
	versions := ar.Version
	out.Links["version-history"] = []wpLink{{Count: &versions, Href: a.wpBase() + "/pages/" + id + "/revisions"}}
	return out
}

// wpPages is GET /wp-json/wp/v2/pages: the published pages, with
// WordPress's paging, slug, search, author and date filters.
func (a *API) wpPages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, per, ok := wpPaging(w, r)
	if !ok {
		return
	}
	ids, err := a.wpIDs(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	aq := store.APIQuery{Limit: per, Offset: (page - 1) * per, Search: q.Get("search"), Slugs: wpStrings(r, "slug")}
	authors, ok := wpIDList(w, r, "author")
	if !ok {
		return
	}
	if aq.AuthorIDs, err = ids.locals(r.Context(), wpAuthor, authors); err != nil {
		a.fail(w, r, err)
		return
	}
	if !a.wpDatesAndStatus(w, q, &aq) {
		return
	}
	if aq.OrderBy, aq.Asc, ok = wpOrder(w, r, []string{"date", "id", "title", "slug", "modified", "menu_order"}, "date", false); !ok {
		return
	}
	if aq.OrderBy == "menu_order" { // every page's is 0: WordPress then orders by id
		aq.OrderBy = "id"
	}
	list, err := a.db.APIPages(r.Context(), aq, a.now().UTC())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list.Total > 0 && page > totalPages(list.Total, per) {
		wpError(w, http.StatusBadRequest, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.", nil)
		return
	}
	if err := ids.load(r.Context(), a.db, list.Articles); err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]wpPageJSON, 0, len(list.Articles))
	for _, ar := range list.Articles {
		out = append(out, a.toWPPage(r, ar, ids))
	}
	wpTotals(w, r, a.wpBase()+"/pages", list.Total, page, per)
	a.reply(w, r, http.StatusOK, out)
}

// wpPage is GET /wp-json/wp/v2/pages/{id}: a published page, by its
// WordPress id when it was imported.
func (a *API) wpPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, ids, ok := a.wpAddressed(w, r, store.KindPage)
	if !ok {
		return
	}
	if ar.Status != news.StatusPublished || ar.PublishedAt.After(a.now()) {
		wpError(w, http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.", nil)
		return
	}
	if err := ids.load(ctx, a.db, []news.Article{ar}); err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusOK, a.toWPPage(r, ar, ids))
}
