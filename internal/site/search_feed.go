package site

import (
	"net/http"
	"strings"

	"dastan/internal/links"
	"dastan/internal/search"
	"dastan/internal/store"
)

// Search feeds, at WordPress's two addresses: /?s=Tokayev&feed=rss2 and
// /search/Tokayev/feed/rss2/ (…/feed/, …/feed/atom/, …/feed/json/). They
// carry the newest matching articles, and like the search page they are
// kept in the search pages' cache and spend the reader's search budget.

// searchFeedRoute gives the handler of a search feed address; ok is
// false for any other address.
func (s *Site) searchFeedRoute(r *http.Request) (handlerFunc, bool) {
	q := r.URL.Query()
	if q.Has("s") && q.Has("feed") && r.URL.Path == links.Home {
		format, ok := queryFeedFormat(q.Get("feed"))
		if !ok {
			return nil, false
		}
		return s.searchFeed(cleanParam(q.Get("s"), 2000), format), true
	}
	segs, format, legacy, ok := feedPath(r.URL.Path)
	if !ok || len(segs) != 2 || segs[0] != strings.Trim(links.SearchPage, "/") {
		return nil, false
	}
	// WordPress writes a space in the path as "+" (urlencode).
	query := cleanParam(strings.ReplaceAll(segs[1], "+", " "), 2000)
	if legacy {
		to := links.SearchFeed(query, links.FeedRSS)
		return func(*http.Request, params) (*response, error) { return redirect(http.StatusMovedPermanently, to), nil }, true
	}
	return s.searchFeed(query, format), true
}

// searchFeed renders the feed of a query's results, newest first; ?lang=
// keeps one language, as on every feed.
func (s *Site) searchFeed(query, format string) handlerFunc {
	return func(r *http.Request, _ params) (*response, error) {
		ctx := r.Context()
		tree, err := s.sections.get(ctx)
		if err != nil {
			return nil, err
		}
		c := s.channel(tree, links.DefaultLang)
		c.Title = "Search results for “" + query + "” – " + s.cfg.SiteName
		c.Link = links.Abs(s.cfg.SiteURL, links.Search(map[string][]string{"q": {query}}))
		c.Description = c.Title
		c.Self = links.Abs(s.cfg.SiteURL, r.URL.RequestURI())
		// A feed shows no total: counting stops past its items.
		sq := store.SearchQuery{Query: search.ParseQuery(query), SortByDate: true, VisibleAt: s.now(), Limit: feedSize, CountLimit: feedSize}
		if l := r.URL.Query().Get("lang"); l != "" {
			if !isLang(l) {
				return s.notFound(r, params{})
			}
			sq.Lang, c.Lang = l, l
		}
		var ids []int64
		if !sq.Query.Empty() {
			res, err := s.db.SearchArticles(ctx, sq)
			if err != nil {
				return nil, err
			}
			for _, hit := range res.Results {
				ids = append(ids, hit.Article.ID)
			}
		}
		articles, err := s.db.FeedArticlesByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		return renderFeed(c, articles, format)
	}
}
