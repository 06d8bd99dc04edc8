package newsroom

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

const listPageSize = 25

// countLimit is where the list stops counting matches: past it, an exact
// number costs more than it tells.
const countLimit = 2000

type listRow struct {
	news.Article
	SectionName string
}

type listContent struct {
	Rows       []listRow
	Total      int
	From, To   int
	Prev, Next string
	Q          store.NewsroomQuery
	Sections   []sectionOption
	Authors    []news.Author
	Statuses   []news.Status
	Trash      bool
	More       bool // more than Total match
}

// sectionOption is a section in a select, indented by its depth.
type sectionOption struct {
	news.Section
	Label string
}

func (n *Newsroom) sectionOptions(r *http.Request) ([]sectionOption, map[int64]string, error) {
	secs, err := n.db.Sections(r.Context())
	if err != nil {
		return nil, nil, err
	}
	out := make([]sectionOption, 0, len(secs))
	names := make(map[int64]string, len(secs))
	for _, s := range secs {
		depth := strings.Count(s.Path, "/")
		out = append(out, sectionOption{Section: s, Label: strings.Repeat("— ", depth) + s.Name})
		names[s.ID] = s.Name
	}
	return out, names, nil
}

// articleList is /newsroom/articles/: every article not in the trash,
// most recently changed first, filtered by status, section, author,
// language and words of the title.
func (n *Newsroom) articleList(w http.ResponseWriter, r *http.Request, u auth.User) {
	n.list(w, r, u, false)
}

func (n *Newsroom) list(w http.ResponseWriter, r *http.Request, u auth.User, trash bool) {
	v := r.URL.Query()
	q := store.NewsroomQuery{Status: news.Status(v.Get("status")), Lang: v.Get("lang"), Search: strings.TrimSpace(v.Get("q")), Trash: trash, Limit: listPageSize, CountLimit: countLimit}
	q.SectionID, _ = strconv.ParseInt(v.Get("section"), 10, 64)
	q.AuthorID, _ = strconv.ParseInt(v.Get("author"), 10, 64)
	page, _ := strconv.Atoi(v.Get("page"))
	page = max(page, 1)
	q.Offset = (page - 1) * listPageSize
	if len(q.Search) > 200 {
		q.Search = q.Search[:200]
	}
	lst, err := n.articles.List(r.Context(), u, q)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := listContent{Total: lst.Total, Q: q, Trash: trash, More: lst.Total > countLimit,
		Statuses: []news.Status{news.StatusDraft, auth.StatusPending, news.StatusScheduled, news.StatusPublished, news.StatusPrivate}}
	var names map[int64]string
	if c.Sections, names, err = n.sectionOptions(r); err != nil {
		n.fail(w, r, u, err)
		return
	}
	if c.Authors, err = n.db.Authors(r.Context()); err != nil {
		n.fail(w, r, u, err)
		return
	}
	for _, a := range lst.Articles {
		c.Rows = append(c.Rows, listRow{Article: a, SectionName: names[a.SectionID]})
	}
	if len(c.Rows) > 0 {
		c.From, c.To = q.Offset+1, q.Offset+len(c.Rows)
	}
	link := func(p int) string {
		vv := url.Values{}
		for k, x := range v {
			vv[k] = x
		}
		vv.Set("page", strconv.Itoa(p))
		return "?" + vv.Encode()
	}
	if page > 1 {
		c.Prev = link(page - 1)
	}
	if c.More {
		c.Total = countLimit
	}
	if q.Offset+listPageSize < lst.Total || c.More && len(lst.Articles) == listPageSize {
		c.Next = link(page + 1)
	}
	title, nav := n.t(u, "nr.nav.articles"), "articles"
	if trash {
		title, nav = n.t(u, "nr.nav.trash"), "trash"
	}
	n.render(w, http.StatusOK, map[bool]string{false: "articles", true: "trash"}[trash], Page{Title: title, User: u, Nav: nav, Flash: n.flash(r, u), Content: c})
}
