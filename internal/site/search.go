package site

import (
	"context"
	"errors"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
)

// The search page: /?s= (WordPress's address) and /search/?q=, with
// filters as GET parameters so that every state is a link that works
// without JavaScript; /api/v1/search answers the same as JSON.

const (
	snippetRunes   = 240
	maxSearchPage  = 1000
	maxAPIPerPage  = 100     // as every paged endpoint of /api/v1
	searchCacheMax = 4 << 20 // bytes of search pages kept; queries are endless, memory is not
	// searchCountLimit is where a search stops counting: "of more than
	// 10,000" past it. Counting every match of a word in most of a
	// million articles would cost more than the page it heads.
	searchCountLimit = 10000
)

// searchParams are a search as the URL states it, already checked:
// unknown sections, tags or authors and malformed dates are dropped.
type searchParams struct {
	Q        string
	Section  news.Section // zero when not filtering
	Tag      news.Tag
	Author   news.Author
	Lang     string
	From, To string // YYYY-MM-DD, as typed
	from, to time.Time
	ByDate   bool
	Page     int
	PerPage  int  // results a page; 0 is the site's page size
	Literal  bool // search as typed, never for a correction
	// edition is the edition searched from: its language is the one
	// searched unless lang= says otherwise (lang=all: every language);
	// "" (the API) searches every language unless asked.
	edition string
}

// readSearch reads r's search parameters, made from edition (see
// searchParams); anything it cannot use it ignores.
func (s *Site) readSearch(ctx context.Context, r *http.Request, edition string) (searchParams, *sectionTree, error) {
	v := r.URL.Query()
	p := searchParams{Page: 1, edition: edition}
	p.Q = cleanParam(v.Get("q"), 2000)
	if p.Q == "" {
		p.Q = cleanParam(v.Get("s"), 2000)
	}
	tree, err := s.sections.get(ctx)
	if err != nil {
		return p, nil, err
	}
	if sec, ok := tree.byPath[cleanParam(v.Get("section"), 200)]; ok {
		p.Section = sec
	}
	if c := cleanParam(v.Get("country"), 100); c != "" {
		for _, sec := range tree.all {
			if sec.Slug == c && sec.ParentID != 0 {
				p.Section = sec
			}
		}
	}
	if slug := cleanParam(v.Get("tag"), 200); slug != "" {
		t, err := s.publicTag(ctx, slug)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return p, tree, err
		}
		p.Tag = t
	}
	if slug := cleanParam(v.Get("author"), 200); slug != "" {
		a, err := s.publicAuthor(ctx, slug)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return p, tree, err
		}
		p.Author = a
	}
	if l := v.Get("lang"); s.editions[l] {
		p.Lang = l
	} else if !v.Has("lang") {
		p.Lang = edition
	}
	if t, err := time.ParseInLocation("2006-01-02", v.Get("from"), s.cfg.Location); err == nil {
		p.From, p.from = v.Get("from"), t
	}
	if t, err := time.ParseInLocation("2006-01-02", v.Get("to"), s.cfg.Location); err == nil {
		p.To, p.to = v.Get("to"), t.AddDate(0, 0, 1) // "to" includes that day
	}
	p.ByDate = v.Get("sort") == "date"
	p.Literal = v.Get("literal") == "1"
	page := v.Get("page")
	if page == "" {
		page = v.Get("paged") // WordPress's /?s=…&paged=N
	}
	if n, err := strconv.Atoi(page); err == nil && n > 1 {
		p.Page = min(n, maxSearchPage)
	}
	return p, tree, nil
}

// cleanParam makes a reader's parameter valid UTF-8 without control
// characters, at most n bytes.
func cleanParam(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// url returns the search page's address for p, changed by edit.
func (p searchParams) url(edit func(*searchParams)) string {
	if edit != nil {
		edit(&p)
	}
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if p.Section.ID != 0 {
		v.Set("section", p.Section.Path)
	}
	if p.Tag.ID != 0 {
		v.Set("tag", p.Tag.Slug)
	}
	if p.Author.ID != 0 {
		v.Set("author", p.Author.Slug)
	}
	switch {
	case p.Lang == p.edition:
	case p.Lang == "":
		v.Set("lang", "all")
	default:
		v.Set("lang", p.Lang)
	}
	if p.From != "" {
		v.Set("from", p.From)
	}
	if p.To != "" {
		v.Set("to", p.To)
	}
	if p.ByDate {
		v.Set("sort", "date")
	}
	if p.Page > 1 {
		v.Set("page", strconv.Itoa(p.Page))
	}
	if p.Literal {
		v.Set("literal", "1")
	}
	return links.In(p.edition, links.Search(v))
}

// searchResult is one result as both the page and the API show it.
type searchResult struct {
	Title      template.HTML
	URL        string
	Published  time.Time
	Lang       string
	Section    string
	SectionURL string
	Authors    []news.Author
	Snippet    template.HTML
}

// searchOutcome is one search's results and what the page says about them.
type searchOutcome struct {
	Params      searchParams
	Query       search.Query
	Results     []searchResult
	Total       int
	More        bool // more than Total match: counting stopped there
	First, Last int
	PerPage     int
	Pages       int
	Suggestion  string // a correction offered as "Did you mean"
	Corrected   string // the correction whose results these are, if the query as typed found too little
	full        int    // results that match every word: partial matches are no reason not to correct
}

// fewResults is "nothing or very little": below it, the search tries the
// speller's correction of the query.
const fewResults = 3

// runSearch runs p's query and, when it finds fewer than fewResults and
// the reader did not insist on it (literal), the speller's correction
// too — one more query at most. The correction's results are shown when
// it finds more; otherwise it is offered as "Did you mean".
func (s *Site) runSearch(ctx context.Context, p searchParams, tree *sectionTree) (searchOutcome, error) {
	out, err := s.searchOnce(ctx, p, tree, p.Q)
	if err != nil || out.Query.Empty() || out.full >= fewResults || p.Literal {
		return out, err
	}
	sp := s.speller.Load()
	if sp == nil {
		return out, nil
	}
	fix, ok := sp.Suggest(p.Q)
	if !ok {
		return out, nil
	}
	fixed, err := s.searchOnce(ctx, p, tree, fix)
	if err != nil {
		return out, err
	}
	if fixed.full <= out.full && fixed.Total <= out.Total {
		out.Suggestion = fix
		return out, nil
	}
	fixed.Corrected = fix
	return fixed, nil
}

// searchOnce asks the store for one page of q and prepares its results:
// only they are highlighted and snippeted.
func (s *Site) searchOnce(ctx context.Context, p searchParams, tree *sectionTree, q string) (searchOutcome, error) {
	out := searchOutcome{Params: p, Query: search.ParseQuery(q)}
	if out.Query.Empty() {
		return out, nil
	}
	size := s.cfg.PageSize
	if p.PerPage > 0 {
		size = p.PerPage
	}
	sq := store.SearchQuery{Query: out.Query, TagID: p.Tag.ID, AuthorID: p.Author.ID, Lang: p.Lang,
		From: p.from, To: p.to, SortByDate: p.ByDate, VisibleAt: s.now(), Limit: size, Offset: (p.Page - 1) * size, Partial: true,
		CountLimit: searchCountLimit}
	if p.Section.ID != 0 {
		sq.SectionIDs = tree.subtree(p.Section.ID)
	}
	res, err := s.db.SearchArticles(ctx, sq)
	if err != nil {
		return out, err
	}
	out.Total, out.full, out.PerPage = res.Total, res.Full, size
	if res.CountLimit > 0 && out.Total > res.CountLimit { // by relevance, the store may stop at its ranking window
		out.Total, out.More = res.CountLimit, true
	}
	out.Pages = (out.Total + size - 1) / size
	if len(res.Results) > 0 {
		out.First, out.Last = sq.Offset+1, sq.Offset+len(res.Results)
	}
	hl := search.NewHighlighter(out.Query) // one for the page: its texts share most words
	defer hl.Release()
	for _, r := range res.Results {
		a := r.Article
		item := searchResult{Title: hl.Title(a.Title), URL: links.Article(a.Slug), Published: a.PublishedAt,
			Lang: a.Lang, Authors: a.Authors, Snippet: hl.SnippetIn(r.BodyText, a.Lang, snippetRunes)}
		if sec, ok := tree.byID[a.SectionID]; ok {
			item.Section, item.SectionURL = sec.Name, links.Section(sec.Path)
		}
		out.Results = append(out.Results, item)
	}
	return out, nil
}

// option is one choice of a filter's <select>.
type option struct {
	Value, Label string
	Selected     bool
}

// options are the choices of one of the search form's <select>s.
type options []option

// HTML is the options' <option> elements. Each is written by optionHTML
// once and remembered: the form's three lists of up to a hundred
// choices, written by the page's template one action at a time, were a
// third of the template's work on every search, for the same few
// hundred elements.
func (os options) HTML() template.HTML {
	var b strings.Builder
	for _, o := range os {
		b.WriteString(string(o.html()))
	}
	return template.HTML(b.String())
}

// optionHTML is one <option> element, as the search form wrote each.
var optionHTML = template.Must(template.New("option").Parse(`<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>`))

// optionsWritten remembers each option's element, by the option (up to
// maxOptionsWritten, then it starts again: sections, tags and authors
// change, and old choices are left behind).
var (
	optionsWritten     sync.Map // option → template.HTML
	optionsWrittenSize atomic.Int64
)

const maxOptionsWritten = 10000

func (o option) html() template.HTML {
	if h, ok := optionsWritten.Load(o); ok {
		return h.(template.HTML)
	}
	var b strings.Builder
	if err := optionHTML.Execute(&b, o); err != nil {
		panic(err) // the template only reads o's fields
	}
	h := template.HTML(b.String())
	if optionsWrittenSize.Add(1) > maxOptionsWritten {
		optionsWritten.Clear()
		optionsWrittenSize.Store(1)
	}
	optionsWritten.Store(o, h)
	return h
}

// filterLink is an active filter with the address that removes it.
type filterLink struct {
	Label, Remove string
}

type searchContent struct {
	searchOutcome
	Heading       string
	Sections      options
	Tags          options
	Authors       options
	Filters       []filterLink
	LangLinks     []filterLink // Label, and the address that sets it
	SortRelevance string
	SortDate      string
	SuggestionURL string
	LiteralURL    string // the query as typed, when results are for a correction
	Pager         pager
}

// searchPage renders the search page. Whatever the input, it is a page
// that makes sense, with status 200.
func (s *Site) searchPage(r *http.Request, pp params) (*response, error) {
	ctx := r.Context()
	lang := pp.lang
	p, tree, err := s.readSearch(ctx, r, lang)
	if err != nil {
		return nil, err
	}
	out, err := s.runSearch(ctx, p, tree)
	if err != nil {
		return nil, err
	}
	c := searchContent{searchOutcome: out}
	shown := out.Query.String()
	if out.Corrected != "" {
		c.LiteralURL = p.url(func(q *searchParams) { q.Literal, q.Page = true, 1 })
	}
	switch {
	case out.Query.Empty():
		c.Heading = s.t(lang, "site.notfound.search")
	case out.Total == 0:
		c.Heading = s.t(lang, "site.search.none_for", "Query", shown)
	case out.More:
		c.Heading = s.t(lang, "site.search.results_for_more", "First", out.First, "Last", out.Last, "Total", out.Total, "Query", shown)
	default:
		c.Heading = s.t(lang, "site.search.results_for", "First", out.First, "Last", out.Last, "Total", out.Total, "Query", shown)
	}
	if out.Suggestion != "" {
		c.SuggestionURL = p.url(func(q *searchParams) { q.Q, q.Page = out.Suggestion, 1 })
	}
	c.Sections = append(c.Sections, option{Label: s.t(lang, "site.search.all_sections")})
	for _, top := range tree.top() {
		c.Sections = append(c.Sections, option{Value: top.Path, Label: s.sectionName(lang, top), Selected: top.ID == p.Section.ID})
		for _, k := range tree.kids(top.ID) {
			c.Sections = append(c.Sections, option{Value: k.Path, Label: "— " + s.sectionName(lang, k), Selected: k.ID == p.Section.ID})
		}
	}
	tags, authors := s.facets.get(ctx, s.db, s.now())
	c.Tags = append(c.Tags, option{Label: s.t(lang, "site.search.any_tag")})
	for _, t := range tags[:min(len(tags), 60)] {
		c.Tags = append(c.Tags, option{Value: t.Slug, Label: t.Name, Selected: t.ID == p.Tag.ID})
	}
	c.Authors = append(c.Authors, option{Label: s.t(lang, "site.search.any_author")})
	for _, a := range authors {
		c.Authors = append(c.Authors, option{Value: a.Slug, Label: a.Name, Selected: a.ID == p.Author.ID})
	}
	first := func(edit func(*searchParams)) string {
		return p.url(func(q *searchParams) { edit(q); q.Page = 1 })
	}
	if p.Section.ID != 0 {
		c.Filters = append(c.Filters, filterLink{s.t(lang, "site.search.filter_section", "Name", s.sectionName(lang, p.Section)), first(func(q *searchParams) { q.Section = news.Section{} })})
	}
	if p.Tag.ID != 0 {
		c.Filters = append(c.Filters, filterLink{s.t(lang, "site.search.filter_tag", "Name", p.Tag.Name), first(func(q *searchParams) { q.Tag = news.Tag{} })})
	}
	if p.Author.ID != 0 {
		c.Filters = append(c.Filters, filterLink{s.t(lang, "site.search.filter_author", "Name", p.Author.Name), first(func(q *searchParams) { q.Author = news.Author{} })})
	}
	if p.Lang != "" {
		c.Filters = append(c.Filters, filterLink{s.t(lang, "site.search.filter_language", "Name", s.langName(lang, p.Lang)), first(func(q *searchParams) { q.Lang = "" })})
	}
	if p.From != "" {
		c.Filters = append(c.Filters, filterLink{s.t(lang, "site.search.filter_from", "Date", p.From), first(func(q *searchParams) { q.From, q.from = "", time.Time{} })})
	}
	if p.To != "" {
		c.Filters = append(c.Filters, filterLink{s.t(lang, "site.search.filter_to", "Date", p.To), first(func(q *searchParams) { q.To, q.to = "", time.Time{} })})
	}
	for _, l := range s.words.Languages() {
		if l != p.Lang && s.editions[l] {
			c.LangLinks = append(c.LangLinks, filterLink{s.words.Value(lang, "site.search.only_in", l), first(func(q *searchParams) { q.Lang = l })})
		}
	}
	if p.Lang != "" {
		c.LangLinks = append(c.LangLinks, filterLink{s.t(lang, "site.search.all_languages"), first(func(q *searchParams) { q.Lang = "" })})
	}
	c.SortRelevance = first(func(q *searchParams) { q.ByDate = false })
	c.SortDate = first(func(q *searchParams) { q.ByDate = true })
	c.Pager = pager{Page: p.Page, Pages: out.Pages}
	if p.Page > 1 && out.Pages > 0 {
		c.Pager.Prev = p.url(func(q *searchParams) { q.Page = min(p.Page-1, out.Pages) })
	}
	if p.Page < out.Pages {
		c.Pager.Next = p.url(func(q *searchParams) { q.Page = p.Page + 1 })
	}
	title := s.t(lang, "site.search.label")
	if !out.Query.Empty() {
		title = s.t(lang, "site.search.title", "Query", shown)
	}
	pg := s.newPage(ctx, lang, title, p.url(nil), "")
	s.switchTo(&pg, links.SearchPage)
	for i, e := range pg.Switch {
		pg.Switch[i].URL = p.url(func(q *searchParams) {
			if q.Lang == q.edition {
				q.Lang = e.Lang
			}
			q.edition = e.Lang
		})
	}
	pg.Query = p.Q
	pg.Content = c
	pg.Head = `<meta name="robots" content="noindex, follow">`
	return s.render("search", http.StatusOK, pg)
}

// langName names language l in lang: "Russian", "Английский".
func (s *Site) langName(lang, l string) string { return s.words.Value(lang, "lang", l) }

// apiResult is one result in /api/v1/search.
type apiResult struct {
	Title     string   `json:"title"`
	TitleHTML string   `json:"title_html"`
	URL       string   `json:"url"`
	Date      string   `json:"date"`
	Lang      string   `json:"lang"`
	Section   string   `json:"section"`
	Authors   []string `json:"authors"`
	Snippet   string   `json:"snippet"`
}

type apiSearch struct {
	Query      string      `json:"query"`
	Total      int         `json:"total"`
	More       bool        `json:"more_than_total,omitempty"` // counting stopped at total
	Page       int         `json:"page"`
	PerPage    int         `json:"per_page"`
	Pages      int         `json:"pages"`
	Suggestion string      `json:"suggestion,omitempty"`
	Corrected  string      `json:"corrected_query,omitempty"`
	Results    []apiResult `json:"results"`
}

// SearchAPI is /api/v1/search: the search page's results as JSON, for
// search-as-you-type. It takes the page's parameters. The API package
// serves it, behind its rate limits.
func (s *Site) SearchAPI(w http.ResponseWriter, r *http.Request) {
	s.serveWith(s.searchCache, w, r, func(r *http.Request, _ params) (*response, error) {
		ctx := r.Context()
		p, tree, err := s.readSearch(ctx, r, "")
		if err != nil {
			return nil, err
		}
		p.PerPage = apiPerPage(r.URL.Query().Get("per_page"))
		out, err := s.runSearch(ctx, p, tree)
		if err != nil {
			return nil, err
		}
		query := out.Query.String()
		if out.Corrected != "" {
			query = search.ParseQuery(p.Q).String() // as typed; corrected_query says what was searched
		}
		body := apiSearch{Query: query, Total: out.Total, More: out.More, Page: p.Page, PerPage: out.PerPage, Pages: out.Pages,
			Suggestion: out.Suggestion, Corrected: out.Corrected, Results: []apiResult{}}
		for _, it := range out.Results {
			ar := apiResult{Title: stripMarks(it.Title), TitleHTML: string(it.Title), URL: s.cfg.SiteURL + it.URL,
				Date: it.Published.UTC().Format(time.RFC3339), Lang: it.Lang, Section: it.Section,
				Authors: []string{}, Snippet: string(it.Snippet)}
			for _, a := range it.Authors {
				ar.Authors = append(ar.Authors, a.Name)
			}
			body.Results = append(body.Results, ar)
		}
		return jsonResponse(body)
	}, params{})
}

// apiPerPage reads per_page as search reads everything, forgivingly:
// missing or not a number is the site's page size (0), and a number is
// kept within 1..maxAPIPerPage.
func apiPerPage(raw string) int {
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0
	}
	return max(1, min(n, maxAPIPerPage))
}

// stripMarks turns a highlighted title back into plain text.
func stripMarks(h template.HTML) string {
	s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(string(h))
	return html.UnescapeString(s)
}

// facetCache holds the tags and authors the search form offers; they
// change with writes, and counting tags on every search would be waste.
type facetCache struct {
	mu      sync.Mutex
	tags    []news.Tag
	authors []news.Author
	stale   bool
	loaded  bool
}

func (c *facetCache) dirty() {
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}

// get returns the search form's choices: the tags of articles readers
// may see at now, most used first (the form offers the first 60, the
// search box's suggestions all), and the authors of such articles. A
// tag or byline only drafts have is not offered.
func (c *facetCache) get(ctx context.Context, db *store.DB, now time.Time) ([]news.Tag, []news.Author) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && !c.stale {
		return c.tags, c.authors
	}
	tags, _, err1 := db.PublicTags(ctx, now)
	authors, err2 := db.PublicAuthors(ctx, now)
	if err1 == nil && err2 == nil {
		c.tags, c.authors, c.loaded, c.stale = tags, authors, true, false
	}
	return c.tags, c.authors
}

// spellerHolder keeps the "Did you mean" speller, built from the words of
// the newest published titles: at start, then again a little after writes, in the
// background — never while a reader waits.
type spellerHolder struct {
	atomic.Pointer[search.Speller]
	stale chan struct{} // holds a token while a rebuild is due
}

// spellerDelay gathers a burst of writes into one rebuild.
const spellerDelay = 10 * time.Second

// spellerTitles is how many of the newest titles the speller learns its
// words from: years of a newsroom's stories, the names and words readers
// search for now. Every title of a million-article archive would cost
// seconds of reading at each rebuild, a little after every burst of
// writes, and add only words of stories few readers look for.
const spellerTitles = 20000

func (s *Site) buildSpeller(ctx context.Context) error {
	counts := map[string]int{}
	err := s.db.TitleWords(ctx, s.now(), spellerTitles, func(title string) {
		for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(w) >= 3 {
				counts[strings.ToLower(w)]++
			}
		}
	})
	if err != nil {
		return err
	}
	vocab := make([]search.WordFreq, 0, len(counts))
	for w, n := range counts {
		vocab = append(vocab, search.WordFreq{Word: w, Freq: n})
	}
	s.speller.Store(search.NewSpeller(vocab))
	s.searchCache.Purge() // pages cached without suggestions may now have one
	return nil
}

// refreshSpellerLater asks keepSpeller for a rebuild; asking again before
// it starts asks nothing more.
func (s *Site) refreshSpellerLater() {
	select {
	case s.speller.stale <- struct{}{}:
	default:
	}
}

// keepSpeller is the speller's job: it builds the speller at once, then
// again spellerDelay after each burst of writes, until ctx ends. A build
// reads spellerTitles titles, which on a cold disk takes a moment, so
// "Did you mean" starts a moment after the site does.
func (s *Site) keepSpeller(ctx context.Context) {
	if err := s.buildSpeller(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("no speller for search", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.speller.stale:
		}
		wait := time.NewTimer(spellerDelay)
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		}
		select { // writes during the wait are in this rebuild
		case <-s.speller.stale:
		default:
		}
		if err := s.buildSpeller(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("speller not rebuilt", "err", err)
		}
	}
}
