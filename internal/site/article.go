package site

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/ratelimit"
	"dastan/internal/store"
)

type articleContent struct {
	Article       news.Article
	Body          template.HTML
	Section       *news.Section
	Crumbs        []NavItem
	Related       template.HTML // the related stories' items, rendered (articleStories)
	Translations  []EditionLink // "Читать на русском": the article in the other languages
	Rail          template.HTML // the rail, rendered (railHTML)
	Read          string        // the read beacon's address, on the public page
	Updated       bool
	Locked        bool
	WrongPassword bool
	// StoryTop and StoryEnd are the story (the template "story") before
	// and after its body, as every reader of the article is shown it,
	// made with its related stories (articleStories); empty, the page
	// renders the story itself.
	StoryTop, StoryEnd template.HTML
}

// articlePage is /{slug}/: one story, if readers may see it now.
func (s *Site) articlePage(r *http.Request, p params) (*response, error) {
	resp, _, err := s.article(r, p.segs[0], "", false)
	return resp, err
}

// article renders the article slug, opened with password when tried, and
// says whether that was a wrong password for a protected article readers
// may see.
func (s *Site) article(r *http.Request, slug, password string, tried bool) (*response, bool, error) {
	ctx := r.Context()
	a, err := s.db.ArticleToShow(ctx, slug)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.VisibleAt(s.now())) {
		resp, err := s.notFound(r, params{})
		return resp, false, err
	}
	if err != nil {
		return nil, false, err
	}
	resp, err := s.articleResponse(r, a, password, tried, false)
	return resp, tried && a.Password != "" && !rightPassword(a, password), err
}

// articleResponse renders a as readers see it; the newsroom's preview
// uses it too (preview: marked noindex), so a preview is the page itself.
func (s *Site) articleResponse(r *http.Request, a news.Article, password string, tried, preview bool) (*response, error) {
	ctx := r.Context()
	tree, err := s.sections.get(ctx)
	if err != nil {
		return nil, err
	}
	c := articleContent{Article: a, Body: bodyHTML(a), Updated: a.UpdatedAt.Sub(a.PublishedAt) > 3600e9}
	if a.Password != "" {
		unlocked := tried && rightPassword(a, password)
		c.Locked, c.WrongPassword = !unlocked, tried && !unlocked
	}
	lang := a.Lang
	if !s.editions[lang] {
		lang = links.DefaultLang // an article in a language the site's interface does not speak
	}
	current := ""
	if sec, ok := tree.byID[a.SectionID]; ok {
		sec.Name = s.sectionName(lang, sec)
		c.Section = &sec
		for _, anc := range tree.chain(sec.ID) {
			c.Crumbs = append(c.Crumbs, NavItem{Name: s.sectionName(lang, anc), URL: links.In(lang, links.Section(anc.Path))})
		}
		current = sec.Path
	}
	title, desc := a.Title, a.SEODescription
	if a.SEOTitle != "" {
		title = a.SEOTitle
	}
	if desc == "" {
		desc = a.Excerpt
	}
	if !preview && r.URL.Path == links.Article(a.Slug) && a.VisibleAt(s.now()) && !c.Locked {
		c.Read = links.Read(a.ID)
	}
	// What every reader of a's page is shown, as opposed to a preview or
	// a protected article, is made once a minute with its related stories.
	shared := !preview && a.Password == "" && c.Read != ""
	story := c // as it stands now: a minute's remaking may run after this request
	made := func(st *articleStories) error {
		st.head = s.articleHead(a, st.translations, title, desc, story.Section, story.Crumbs)
		if !shared {
			return nil
		}
		sc := story
		sc.Translations = s.translationLinks(a, st.translations)
		var err error
		st.storyTop, st.storyEnd, err = s.renderStory(lang, sc)
		return err
	}
	stories, err := s.articleStories(ctx, a, lang, preview, made)
	if err != nil {
		return nil, err
	}
	c.Related = stories.related
	tr := stories.translations
	pg := s.newPage(ctx, lang, a.Title, links.Article(a.Slug), current)
	c.Translations = s.translationLinks(a, tr)
	s.switchToTranslations(&pg, c.Translations)
	if c.Rail, err = s.railHTML(ctx, lang, a.SectionID, a.ID); err != nil {
		return nil, err
	}
	if c.Read != "" {
		pg.ReadScript = s.readURL
	}
	if shared {
		c.StoryTop, c.StoryEnd = stories.storyTop, stories.storyEnd
	}
	pg.Title, pg.Description, pg.Head = title, desc, stories.head
	if preview {
		pg.Head = `<meta name="robots" content="noindex, nofollow">` + "\n" + pg.Head
	}
	pg.Content = c
	resp, err := s.render("article", http.StatusOK, pg)
	if err != nil {
		return nil, err
	}
	resp.lastMod = a.UpdatedAt
	resp.cacheable = !tried
	resp.about = aboutArticle(a.Slug)
	if len(tr) > 0 {
		// The page links its translations, whose changes a change of
		// this article does not name: any change drops it.
		resp.about = ""
	}
	return resp, nil
}

// translationLinks are the links to a's translations tr ("Читать на
// русском"), each in its own language.
func (s *Site) translationLinks(a news.Article, tr []store.Translation) []EditionLink {
	var out []EditionLink
	for _, t := range tr {
		if t.Lang != a.Lang {
			out = append(out, EditionLink{Lang: t.Lang, Name: s.t(t.Lang, "site.article.read_in"), URL: links.Article(t.Slug)})
		}
	}
	return out
}

// storyBody marks where the body goes in a story rendered by renderStory.
// The story's other text cannot hold a NUL byte (html/template and
// picture write one as U+FFFD); should it hold the mark anyway, the page
// renders the story itself.
const storyBody = "\x00body\x00"

// renderStory renders the story of c in lang's edition, as the article
// page would, in two parts: before the body and after it. The body is
// left out: it is the largest part and every page has it already, so
// the part kept for a minute (articleStories) stays small.
func (s *Site) renderStory(lang string, c articleContent) (top, end template.HTML, err error) {
	c.Body, c.StoryTop, c.StoryEnd = storyBody, "", ""
	var b strings.Builder
	if err := s.pages["article"].In(lang).ExecuteTemplate(&b, "story", Page{Lang: lang, Content: c}); err != nil {
		return "", "", fmt.Errorf("site: render the story: %w", err)
	}
	before, after, ok := strings.Cut(b.String(), storyBody)
	if !ok || strings.Contains(after, storyBody) {
		return "", "", nil // the page renders it itself
	}
	return template.HTML(before), template.HTML(after), nil
}

// relatedSize is how many related stories an article shows.
const relatedSize = 4

// articleStories is what an article's page shows of other articles: its
// related stories, rendered, and its language versions; and its head
// tags, which name those versions.
type articleStories struct {
	related      template.HTML
	translations []store.Translation
	head         template.HTML
	// storyTop and storyEnd are the article's story around its body
	// (renderStory), when the request that made them showed what every
	// reader is shown.
	storyTop, storyEnd template.HTML
}

// translationsFailed marks stories read without their translations: the
// page shows them, but they are not kept, so the next reader tries again.
type translationsFailed struct{ err error }

func (e translationsFailed) Error() string { return "translations: " + e.err.Error() }

// articleStories reads a's related stories and translations, and renders
// the related ones in lang's edition, and with made, given the
// translations, a's head tags and its story, once for every reader of a
// in a minute: they cost a page more than the rest of its reads and most
// of its rendering, and change only with a write (which empties
// s.stories) or with a scheduled story's time (the minute in the key).
// The head was a tenth of a page's CPU and a fifth of its garbage (its
// JSON-LD is marshalled from maps). A preview may show unsaved tags or
// section, so it reads them itself.
func (s *Site) articleStories(ctx context.Context, a news.Article, lang string, preview bool, made func(*articleStories) error) (articleStories, error) {
	now := s.now()
	build := func(ctx context.Context) (any, error) {
		var st articleStories
		related, err := s.db.Related(ctx, a, relatedSize, now)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		for _, r := range related {
			if err := s.pages["article"].In(lang).ExecuteTemplate(&b, "item", r); err != nil {
				return nil, fmt.Errorf("site: render a related story: %w", err)
			}
		}
		st.related = template.HTML(b.String())
		st.translations, err = s.db.Translations(ctx, a, now)
		if merr := made(&st); merr != nil {
			return nil, merr
		}
		if err != nil {
			return st, translationsFailed{err}
		}
		return st, nil
	}
	var v any
	var err error
	if preview {
		v, err = build(ctx)
	} else {
		v, err = s.stories.get(ctx, fmt.Sprintf("article %d %d %s", a.ID, a.Version, lang), now, build)
	}
	if tf := (translationsFailed{}); errors.As(err, &tf) {
		s.log.Warn("translations unavailable", "article", a.ID, "err", tf.err)
		err = nil
	}
	if err != nil {
		return articleStories{}, err
	}
	return v.(articleStories), nil
}

// switchToTranslations points the masthead's switch at the article's
// translation where it has one in that edition's language, else at that
// edition's front page.
func (s *Site) switchToTranslations(pg *Page, tr []EditionLink) {
	for i, e := range pg.Switch {
		for _, t := range tr {
			if t.Lang == e.Lang {
				pg.Switch[i].URL = t.URL
			}
		}
	}
}

// Budgets of wrong post passwords. WordPress post passwords are short
// and shared; without these, one client could try hundreds a second. An
// address may try 5 at once and 5 a minute after; an article, from all
// addresses together, 20 at once and 10 a minute, so that many addresses
// are no faster than a few. Right passwords cost nothing.
var (
	passwordsPerAddress = ratelimit.Budget{Rate: 5.0 / 60, Burst: 5}
	passwordsPerArticle = ratelimit.Budget{Rate: 10.0 / 60, Burst: 20}
)

// articleUnlock answers the password form of a protected article. The
// unlocked page is never cached. An attempt is taken from both budgets
// before the password is compared, so concurrent guesses cannot slip past
// them, and given back when it was right or there was nothing to unlock.
func (s *Site) articleUnlock(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	slug := r.PathValue("slug")
	addrKey, articleKey := "address:"+ratelimit.Address(auth.ClientIP(r)), "article:"+slug
	ok, wait := s.passwords.Allow(addrKey, passwordsPerAddress)
	if ok {
		if ok, wait = s.passwords.Allow(articleKey, passwordsPerArticle); !ok {
			s.passwords.Refund(addrKey)
		}
	}
	if !ok {
		ratelimit.TooMany(w, wait, "Too many wrong passwords. Please wait a little and try again.")
		return
	}
	pw := r.PostFormValue("post_password")
	resp, wrong, err := s.article(r, slug, pw, true)
	if !wrong {
		s.passwords.Refund(addrKey)
		s.passwords.Refund(articleKey)
	}
	if err != nil {
		s.log.Error("article unlock failed", "err", err)
		resp = s.errorPage(r)
	}
	resp.cacheable = false
	finish(resp)
	s.write(w, r, resp)
	s.release(resp)
}

// rightPassword compares in constant time, so timing tells nothing of
// how much of a guess was right.
func rightPassword(a news.Article, pw string) bool {
	return subtle.ConstantTimeCompare([]byte(pw), []byte(a.Password)) == 1
}

// datedPermalink sends WordPress's /2025/03/26/slug/ to /slug/ when
// readers may see that article; for a draft, a private or an embargoed
// one it answers exactly as for a slug that does not exist, so that
// unpublished slugs cannot be probed.
func (s *Site) datedPermalink(r *http.Request, p params) (*response, error) {
	a, err := s.db.ArticleBySlug(r.Context(), p.segs[0])
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.VisibleAt(s.now())) {
		return s.notFound(r, p)
	}
	if err != nil {
		return nil, err
	}
	return redirect(http.StatusMovedPermanently, links.Article(p.segs[0])), nil
}
