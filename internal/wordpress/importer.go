package wordpress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"dastan/internal/articles"
	"dastan/internal/links"
	"dastan/internal/media"
	"dastan/internal/news"
	"dastan/internal/sections"
	"dastan/internal/store"
	"dastan/internal/tags"
	"dastan/internal/users"
)

// Options are what an import needs besides the export itself.
type Options struct {
	Store *store.DB
	// Articles prepares and writes the posts; nil makes one over Store
	// with ExcerptLen.
	Articles *articles.Service
	// Media brings files over; nil records attachments without files.
	Media *Media
	// ExcerptLen is the length of generated excerpts, in characters.
	ExcerptLen int
	// BatchSize is how many items are written per transaction.
	BatchSize int
	// Workers prepare (render) items in parallel; 0 means one per CPU.
	Workers int
	// Progress, when set, is told how far the import has come.
	Progress func(Progress)
	// MaxItemSize bounds one item of the export, in bytes; a bigger one is
	// reported and skipped. 0 means DefaultMaxItemSize, less is no limit.
	MaxItemSize int64
}

// Progress is how far an import has read.
type Progress struct {
	Items  int   // items read
	Offset int64 // bytes of the export read
}

// importer is one run of Import.
type importer struct {
	ctx    context.Context // for lookups that have no context of their own
	opt    Options
	db     *store.DB
	arts   *articles.Service
	report *Report
	site   Site
	lang   string

	// maps holds earlier imports' categories, tags and authors: a few
	// thousand at most, and every item names some. Posts, pages and
	// attachments are looked up a batch at a time (lookUp).
	maps map[string]map[int64]store.WPMapEntry

	cats          []*Category
	tagRecs       []*TagRec
	termsOK       bool
	sections      *sections.Service
	sectionIDs    map[string]int64 // WordPress category slug → section id
	catNames      map[string]string
	tags          map[string]news.Tag // WordPress tag slug → tag
	authMu        sync.RWMutex        // authors grows while workers read it (WXR 1.0)
	listedAuthors bool                // the export lists its authors (WXR 1.1 and later)
	authors       map[string]news.Author
	seen          map[int64]bool

	book *attachmentBook // this run's attachments until they are written

	deferred []deferredFix // written by the writer goroutine only

	translations []translationGroup // Polylang's, linked after the posts are in
}

// deferredFix is an article to finish once every attachment is known:
// its featured image or gallery named attachments that came later. Until
// it is finished, the article's map row carries a pending checksum, so an
// import that stops before finish (killed, cancelled, a cut-off file)
// prepares it again when resumed rather than taking it for done.
type deferredFix struct {
	wpID, articleID, thumb int64
	kind, checksum         string // the map row's kind and its real checksum
}

// batch is a run of consecutive items, prepared by one worker and written
// in one transaction.
type batch struct {
	seq   int
	items []*Item
	out   []*store.WPItem
	atts  []store.WPAttachment
	fixes []deferredFix
	err   error

	// mapped is what earlier imports made of the batch's posts, pages and
	// attachments, by kind and WordPress id.
	mapped map[string]map[int64]store.WPMapEntry
	// view is the attachments the batch names, while it is prepared.
	view *attView
}

// Import reads a WordPress export from r and writes what it holds to the
// store. Items are written in batches, each in one transaction, so an
// article is either wholly there (with its tags, byline, comments and
// redirects) or not at all. When the export turns out to be broken or cut
// off, every complete item before the break is kept, and the error names
// the line: importing the mended file again finishes the job, skipping
// what is already there.
func Import(ctx context.Context, src io.Reader, opt Options) (*Report, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 250
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	if opt.ExcerptLen <= 0 {
		opt.ExcerptLen = news.DefaultExcerptRunes
	}
	if opt.Articles == nil {
		opt.Articles = articles.New(articles.Options{Store: opt.Store, ExcerptLength: opt.ExcerptLen})
	}
	im := &importer{
		ctx: ctx, opt: opt, db: opt.Store, arts: opt.Articles, report: newReport(), lang: "en", sections: sections.New(sections.Options{Store: opt.Store}),
		maps: map[string]map[int64]store.WPMapEntry{}, sectionIDs: map[string]int64{}, catNames: map[string]string{},
		tags: map[string]news.Tag{}, authors: map[string]news.Author{}, seen: map[int64]bool{},
		book: newAttachmentBook(opt.Store),
	}
	for _, k := range []string{"category", "tag", "author"} {
		m, err := im.db.WPImportMap(ctx, k)
		if err != nil {
			return nil, err
		}
		im.maps[k] = m
	}
	endLong, err := im.db.LongImport(ctx)
	if err != nil {
		return nil, err
	}
	defer endLong()
	err = im.run(ctx, src)
	if ferr := im.finish(ctx, err == nil); ferr != nil && err == nil {
		err = ferr
	}
	if err == nil {
		err = im.linkTranslations(ctx)
	}
	if _, werr := im.db.WPMediaWords(context.WithoutCancel(ctx)); werr != nil && err == nil {
		err = werr
	}
	if im.report.written() > 0 {
		// Even a failed run may have written thousands of rows.
		if oerr := im.db.Optimize(context.WithoutCancel(ctx)); oerr != nil && err == nil {
			err = oerr
		}
	}
	im.report.MissingMedia = opt.Media.Missing()
	if err != nil {
		var pe *PositionError
		if errors.As(err, &pe) {
			im.report.StoppedAt = pe.Line
			err = fmt.Errorf("%w\n%d items were imported and kept; mend the file and run the import again to finish (what is already imported is skipped)", err, im.report.written())
		}
		return im.report, err
	}
	return im.report, nil
}

// run reads the export and feeds batches through the workers to the writer.
func (im *importer) run(ctx context.Context, src io.Reader) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A batch of news posts, prepared, holds tens of megabytes: the
	// queues hold a batch a worker, enough for the reader, the workers
	// and the writer never to wait on each other for long, and memory
	// stays flat however long the export.
	todo := make(chan *batch, im.opt.Workers)
	done := make(chan *batch, im.opt.Workers)
	var wg sync.WaitGroup
	for range im.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range todo {
				im.prepare(ctx, b)
				done <- b
			}
		}()
	}
	writeErr := make(chan error, 1)
	go func() { writeErr <- im.writeInOrder(ctx, done, cancel) }()

	readErr := im.read(ctx, src, todo)
	close(todo)
	wg.Wait()
	close(done)
	if werr := <-writeErr; werr != nil {
		return werr
	}
	return readErr
}

// read parses the export, writing its terms and authors as they come and
// sending items on in batches.
func (im *importer) read(ctx context.Context, src io.Reader, todo chan<- *batch) error {
	rd := NewReader(src)
	if im.opt.MaxItemSize != 0 {
		rd.MaxItemSize = im.opt.MaxItemSize
	}
	cur := &batch{}
	seq := 0
	items := 0
	send := func() error {
		if len(cur.items) == 0 {
			return nil
		}
		cur.seq = seq
		seq++
		select {
		case todo <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur = &batch{}
		return nil
	}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if serr := send(); serr != nil {
				return serr
			}
			return err
		}
		switch v := rec.(type) {
		case *Site:
			im.site = *v
			if l := strings.ToLower(v.Language); strings.HasPrefix(l, "ru") {
				im.lang = "ru"
			}
		case *AuthorRec:
			im.listedAuthors = true
			if err := im.author(ctx, v); err != nil {
				return err
			}
		case *Category:
			im.cats = append(im.cats, v)
		case *TagRec:
			im.tagRecs = append(im.tagRecs, v)
		case *Term:
			switch v.Taxonomy {
			case taxTranslations:
				im.addTranslations(v)
				continue
			case taxLanguage:
				continue // each item names its language
			}
			im.report.skip("term", v.TermID, v.Name, "terms of the "+v.Taxonomy+" taxonomy are not imported")
		case *TooLarge:
			items++
			if v.ID != 0 {
				im.seen[v.ID] = true
			}
			im.report.tooLarge(v)
		case *Item:
			if err := im.terms(ctx); err != nil {
				return err
			}
			items++
			if im.seen[v.ID] {
				im.report.skip(v.Type, v.ID, v.Title, "listed twice in the export; the first was imported")
				continue
			}
			im.seen[v.ID] = true
			if !im.wanted(v) {
				continue
			}
			if err := im.bylineFor(ctx, v.Creator); err != nil {
				return err
			}
			cur.items = append(cur.items, v)
			if len(cur.items) >= im.opt.BatchSize {
				if err := send(); err != nil {
					return err
				}
			}
			if im.opt.Progress != nil {
				im.opt.Progress(Progress{Items: items, Offset: v.Offset})
			}
		}
	}
	if err := im.terms(ctx); err != nil {
		return err
	}
	im.report.Replaced = rd.Replaced()
	return send()
}

// wanted says whether an item is imported, reporting it if not.
func (im *importer) wanted(it *Item) bool {
	switch it.Type {
	case "post", "page":
		switch it.Status {
		case "inherit", "auto-draft":
			im.report.skip(it.Type, it.ID, it.Title, "an automatic revision or draft, not a story")
			return false
		}
		return true
	case "attachment":
		return true
	case "nav_menu_item":
		im.report.skip(it.Type, it.ID, it.Title, "menus are not imported; the sections bar follows the sections")
	case "revision":
		im.report.skip(it.Type, it.ID, it.Title, "revisions of a post are not imported; the post is")
	default:
		im.report.skip(it.Type, it.ID, it.Title, "content of type "+strconv.Quote(it.Type)+" is not imported")
	}
	return false
}

// writeInOrder writes prepared batches in the order they were read, so
// that the same export always gives the same slugs.
func (im *importer) writeInOrder(ctx context.Context, done <-chan *batch, cancel func()) error {
	next := 0
	waiting := map[int]*batch{}
	var failed error
	for b := range done {
		if failed != nil {
			continue
		}
		waiting[b.seq] = b
		for {
			b, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			next++
			if err := im.write(ctx, b); err != nil {
				failed = err
				cancel()
				break
			}
		}
	}
	return failed
}

func (im *importer) write(ctx context.Context, b *batch) error {
	if b.err != nil {
		return b.err
	}
	if len(b.atts) > 0 {
		if err := im.db.SaveWPAttachments(ctx, b.atts); err != nil {
			return err
		}
		im.book.written(b.atts)
		for _, a := range b.atts {
			im.report.count("attachment", !b.hadMap("attachment", a.WPID))
		}
	}
	var changed []*store.WPItem
	for _, it := range b.out {
		if it.Unchanged {
			im.report.addUnchanged(it.MapKind)
			continue
		}
		changed = append(changed, it)
	}
	if len(changed) > 0 {
		if err := im.arts.WriteWordPress(ctx, changed); err != nil {
			return err
		}
	}
	for _, it := range changed {
		im.report.count(it.MapKind, !b.hadMap(it.MapKind, it.WPID))
		im.report.addComments(len(it.Comments))
	}
	for _, f := range b.fixes {
		for _, it := range changed {
			if it.WPID == f.wpID && it.MapKind != "" {
				f.articleID = it.Article.ID
				im.deferred = append(im.deferred, f)
			}
		}
	}
	return nil
}

// hadMap says whether an earlier import made something of the batch's
// WordPress object of kind with that id.
func (b *batch) hadMap(kind string, id int64) bool {
	_, ok := b.mapped[kind][id]
	return ok
}

// lookUp reads what earlier imports made of the batch's items, and the
// attachments they name (their featured images and galleries, and the
// batch's own attachments).
func (im *importer) lookUp(ctx context.Context, b *batch) error {
	ids := map[string][]int64{}
	var atts []int64
	for _, it := range b.items {
		ids[it.Type] = append(ids[it.Type], it.ID)
		if it.Type == "attachment" {
			atts = append(atts, it.ID)
			continue
		}
		if thumb := it.ThumbnailID(); thumb != 0 {
			atts = append(atts, thumb)
		}
		if strings.Contains(it.Content, "[gallery") {
			atts = append(atts, galleryIDs(it.Content)...)
		}
	}
	b.mapped = map[string]map[int64]store.WPMapEntry{}
	for kind, list := range ids {
		m, err := im.db.WPImportMapOf(ctx, kind, list)
		if err != nil {
			return err
		}
		b.mapped[kind] = m
	}
	v, err := im.book.view(ctx, atts)
	b.view = v
	return err
}

// prepare turns a batch's items into what the store writes: attachments
// first (their files fetched concurrently), then posts and pages.
func (im *importer) prepare(ctx context.Context, b *batch) {
	if err := im.lookUp(ctx, b); err != nil {
		b.err, b.items = err, nil
		return
	}
	im.prepareItems(ctx, b)
	if b.view.err != nil && b.err == nil {
		b.err = b.view.err
	}
	b.items, b.view = nil, nil
}

// prepareItems prepares the items of a looked-up batch.
func (im *importer) prepareItems(ctx context.Context, b *batch) {
	var wg sync.WaitGroup
	atts := make([]*store.WPAttachment, len(b.items))
	for i, it := range b.items {
		if it.Type != "attachment" {
			continue
		}
		sum := checksum(it)
		if e, ok := b.mapped["attachment"][it.ID]; ok && e.Checksum == sum {
			if _, have := b.view.get(it.ID); have {
				im.report.addUnchanged("attachment")
				continue
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := im.attachment(ctx, it)
			a.Checksum = sum
			atts[i] = &a
		}()
	}
	wg.Wait()
	for _, a := range atts {
		if a != nil {
			b.view.add(*a)
			b.atts = append(b.atts, *a)
		}
	}
	im.book.prepared(b.atts)
	for _, it := range b.items {
		if it.Type == "attachment" {
			continue
		}
		w, fix, err := im.item(ctx, b, it)
		// The one writer is the import's serial stage, and Go's
		// scheduler is fair: with two workers and the writer on two
		// cores, the writer waited for a core 27-30 % of its time,
		// 4-10 ms after each preemption. A worker steps aside after
		// each item (about 0.4 ms) so the writer runs as soon as it
		// can; when nothing else waits, this returns at once.
		runtime.Gosched()
		if err != nil {
			im.report.skip(it.Type, it.ID, it.Title, err.Error())
			continue
		}
		b.out = append(b.out, w)
		if fix != nil {
			b.fixes = append(b.fixes, *fix)
		}
	}
}

func (im *importer) attachment(ctx context.Context, it *Item) store.WPAttachment {
	a := store.WPAttachment{
		WPID: it.ID, ParentWP: it.Parent, Title: it.Title, URL: it.AttachmentURL,
		Alt: it.Meta("_wp_attachment_image_alt"), Caption: it.Excerpt, Description: it.Content, UploadedAt: it.PublishedGMT(),
	}
	if a.URL == "" {
		a.URL = it.GUID
	}
	if a.URL != "" && news.SafeURL(a.URL) == "" {
		// A javascript: or data: address would reach the API, feeds and
		// og:image as a featured image: it is reported and dropped.
		im.report.refuseAddress(it.Type, it.ID, it.Title, a.URL)
		a.URL = ""
	}
	if im.opt.Media != nil && a.URL != "" {
		if st, ok := im.opt.Media.Resolve(ctx, a.URL); ok {
			a.LocalURL, a.SHA256 = st.URL, st.SHA256
		}
	}
	return a
}

// pendingChecksum marks an item's map row while its deferred fix is not
// done: it never equals a real checksum, so the item is prepared again.
func pendingChecksum(sum string) string { return "pending:" + sum }

// figure is an attachment as an article's image; ok is false when it is
// not (yet) known, or has no address a reader may be sent to.
func (im *importer) figure(v *attView, id int64) (news.Figure, bool) {
	a, ok := v.get(id)
	if !ok {
		return news.Figure{}, false
	}
	return media.AttachmentFigure(a, func(sha string) (news.Figure, bool) { return im.opt.Media.Image(im.ctx, sha) })
}

var reGallery = regexp.MustCompile(`\[gallery\b[^\]]*\]`)

// item turns a post or page into an article. fix is set when it names
// attachments not yet seen.
func (im *importer) item(ctx context.Context, b *batch, it *Item) (*store.WPItem, *deferredFix, error) {
	kind := it.Type
	sum := checksum(it)
	w := &store.WPItem{WPID: it.ID, MapKind: kind, Checksum: sum, Kind: store.KindArticle}
	if kind == "page" {
		w.Kind = store.KindPage
	}
	if e, ok := b.mapped[kind][it.ID]; ok && e.Checksum == sum {
		w.Unchanged = true
		w.Article = &news.Article{ID: e.LocalID}
		return w, nil, nil
	}
	a := &news.Article{
		Title: strings.TrimSpace(it.Title), BodyFormat: news.FormatHTML, ManualExcerpt: strings.TrimSpace(it.Excerpt),
		Lang: im.lang, Status: status(it.Status), PublishedAt: it.PublishedGMT(), UpdatedAt: it.ModifiedGMT,
		Sticky: it.Sticky, Password: it.Password,
	}
	if e, ok := b.mapped[kind][it.ID]; ok {
		a.ID = e.LocalID
	}
	if a.Title == "" {
		a.Title = "(no title)"
		im.report.note(fmt.Sprintf("%s %d has no title; it was given \"(no title)\"", kind, it.ID))
	}
	if isCyrillic(a.Title) {
		a.Lang = "ru"
	}
	if lang, unknown := itemLang(it); lang != "" {
		a.Lang = lang // Polylang's word beats a guess
	} else if unknown != "" {
		im.report.note(fmt.Sprintf("%s %d is in Polylang's language %q, which Dastan does not publish in; it was imported as %q", kind, it.ID, unknown, a.Lang))
	}
	if a.UpdatedAt.IsZero() || a.UpdatedAt.Before(a.PublishedAt) {
		a.UpdatedAt = a.PublishedAt
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = time.Now().UTC()
	}
	a.CreatedAt = a.PublishedAt
	if it.Name != "" {
		a.Slug = news.Slugify(DecodeSlug(it.Name))
	}
	a.SEOTitle, a.SEODescription = it.SEO()
	// Sections and tags.
	for i, slug := range it.CategorySlugs() {
		if id, ok := im.sectionIDs[slug]; ok && a.SectionID == 0 && i == 0 {
			a.SectionID = id
			continue
		}
		name := oneLine(im.catNames[slug])
		if name == "" {
			name = DecodeSlug(slug)
		}
		// A tag the rules refuse was reported with the export's terms.
		if tag, err := tags.Check("tag", name, news.Slugify(DecodeSlug(slug))); err == nil {
			a.Tags = append(a.Tags, tag)
		}
	}
	for _, t := range it.Terms {
		if t.Domain != "post_tag" {
			continue
		}
		if tag, ok := im.tags[t.Nicename]; ok {
			a.Tags = append(a.Tags, tag)
		} else if tag, err := tags.Check("tag", oneLine(t.Name), news.Slugify(DecodeSlug(t.Nicename))); err == nil {
			a.Tags = append(a.Tags, tag)
		}
	}
	im.authMu.RLock()
	au, ok := im.authors[it.Creator]
	im.authMu.RUnlock()
	if ok {
		a.Authors = []news.Author{au}
	}
	// The body: upload URLs point at the imported files, id-less galleries
	// name the post's attachments as WordPress would show them.
	body := it.Content
	if im.opt.Media != nil {
		im.opt.Media.Prefetch(ctx, body)
		body = RewriteUploads(body, func(u string) (string, bool) {
			st, ok := im.opt.Media.Resolve(ctx, u)
			return st.URL, ok
		})
	}
	var fix *deferredFix
	missed := false
	knows := func(id int64) bool {
		_, ok := b.view.get(id)
		return ok
	}
	resolver := func(id int64) (news.Figure, bool) {
		f, ok := im.figure(b.view, id)
		if !ok && !knows(id) {
			missed = true
		}
		return f, ok
	}
	if strings.Contains(body, "[gallery") && hasIDLessGallery(body) {
		missed = true // the post's attachments may come later in the export
	}
	a.BodySource = body
	if thumb := it.ThumbnailID(); thumb != 0 {
		if f, ok := im.figure(b.view, thumb); ok {
			a.Image = &f
		} else if !knows(thumb) {
			missed = true
		}
	}
	searchText, err := im.arts.PrepareImportForSearch(a, resolver)
	if err != nil {
		return nil, nil, err
	}
	if a.ID == 0 {
		// Analyzed here, on every core, rather than by the one writer.
		w.Search = im.db.PrepareSearchOf(a, searchText)
	}
	if missed {
		fix = &deferredFix{wpID: it.ID, thumb: it.ThumbnailID(), kind: kind, checksum: sum}
		w.Checksum = pendingChecksum(sum)
	}
	im.report.shortcodes(body)
	for _, c := range it.Comments {
		w.Comments = append(w.Comments, store.Comment{
			WPID: c.ID, ParentWP: c.Parent, Author: c.Author, Email: c.AuthorEmail, URL: c.AuthorURL, IP: c.AuthorIP,
			Body: c.Content, Status: commentStatus(c.Approved), Kind: commentKind(c.Type), CreatedAt: c.DateGMT,
		})
	}
	for _, p := range OldPaths(it, im.site.BaseBlogURL) {
		w.OldPaths = append(w.OldPaths, decodePath(p))
	}
	w.Article = a
	return w, fix, nil
}

// hasIDLessGallery reports a [gallery] that shows the post's own
// attachments rather than a list of ids.
func hasIDLessGallery(body string) bool {
	for _, g := range reGallery.FindAllString(body, -1) {
		if !strings.Contains(g, "ids=") && !strings.Contains(g, "include=") {
			return true
		}
	}
	return false
}

// fillGalleries gives id-less galleries the ids of the post's attachments.
func fillGalleries(body string, ids []int64) string {
	if len(ids) == 0 {
		return body
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	return reGallery.ReplaceAllStringFunc(body, func(g string) string {
		if strings.Contains(g, "ids=") || strings.Contains(g, "include=") {
			return g
		}
		return g[:len("[gallery")] + ` ids="` + strings.Join(list, ",") + `"` + g[len("[gallery"):]
	})
}

// finish completes the articles that named attachments the export listed
// after them, a batch at a time. Only when the whole export was read
// (complete) are their map rows marked done; after a broken or
// interrupted run they stay pending, so the run that resumes it finishes
// them with every attachment.
func (im *importer) finish(ctx context.Context, complete bool) error {
	for len(im.deferred) > 0 {
		n := min(len(im.deferred), im.opt.BatchSize)
		if err := im.finishBatch(ctx, im.deferred[:n], complete); err != nil {
			return err
		}
		im.deferred = im.deferred[n:]
	}
	im.deferred = nil
	return nil
}

// finishBatch renders again the articles of fixes, with their galleries'
// attachments and featured images as they now are.
func (im *importer) finishBatch(ctx context.Context, fixes []deferredFix, complete bool) error {
	list := make([]news.Article, len(fixes))
	parents := make([]int64, len(fixes))
	for i, f := range fixes {
		a, err := im.db.ArticleByID(ctx, f.articleID)
		if err != nil {
			return err
		}
		list[i], parents[i] = a, f.wpID
	}
	kids, err := im.book.children(ctx, parents)
	if err != nil {
		return err
	}
	var want []int64
	for i, f := range fixes {
		list[i].BodySource = fillGalleries(list[i].BodySource, kids[f.wpID])
		want = append(want, f.thumb)
		want = append(want, galleryIDs(list[i].BodySource)...)
	}
	v, err := im.book.view(ctx, want)
	if err != nil {
		return err
	}
	done := make([]store.WPMapRow, len(fixes))
	for i, f := range fixes {
		if f.thumb != 0 {
			if fig, ok := im.figure(v, f.thumb); ok {
				list[i].Image = &fig
			} else if _, known := v.get(f.thumb); complete && !known {
				im.report.note(fmt.Sprintf("post %d: its featured image (attachment %d) is not in the export", f.wpID, f.thumb))
			}
		}
		done[i] = store.WPMapRow{Kind: f.kind, WPID: f.wpID, LocalID: f.articleID, Checksum: f.checksum}
	}
	err = im.arts.Rerender(ctx, list, func(id int64) (news.Figure, bool) { return im.figure(v, id) })
	if err == nil {
		err = v.err
	}
	if err == nil && complete {
		err = im.db.PutWPMaps(ctx, done)
	}
	return err
}

// terms writes the export's categories and tags, once, before its first
// item.
func (im *importer) terms(ctx context.Context) error {
	if im.termsOK {
		return nil
	}
	im.termsOK = true
	parentOf := map[string]string{}
	for _, c := range im.cats {
		parentOf[c.Slug] = c.Parent
		im.catNames[c.Slug] = c.Name
	}
	// Parents before children, whatever order the export lists them in.
	depth := func(c *Category) int { return len(CategoryChain(c.Slug, parentOf)) }
	cats := slices.Clone(im.cats)
	slices.SortStableFunc(cats, func(a, b *Category) int { return depth(a) - depth(b) })
	var redirects []store.Redirect
	for _, c := range cats {
		chain := CategoryChain(c.Slug, parentOf)
		parts := make([]string, len(chain))
		for i, s := range chain {
			parts[i] = news.Slugify(DecodeSlug(s))
		}
		sec := sections.Input{Slug: parts[len(parts)-1], Name: oneLine(c.Name)}
		if sec.Name == "" {
			sec.Name = DecodeSlug(c.Slug)
		}
		if len(chain) > 1 {
			sec.ParentID = im.sectionIDs[chain[len(chain)-2]]
		}
		sum := checksumOf(c.Slug, c.Parent, c.Name, c.Description)
		e, mapped := im.maps["category"][c.TermID]
		if mapped && e.Checksum == sum {
			im.sectionIDs[c.Slug] = e.LocalID
			im.report.addUnchanged("category")
			continue
		}
		if mapped {
			sec.ID = e.LocalID
		} else if old, err := im.db.SectionByPath(ctx, strings.Join(parts, "/")); err == nil {
			sec.ID = old.ID
		}
		saved, err := im.sections.Save(ctx, operator, sec)
		var fe *news.FieldError
		if errors.As(err, &fe) {
			im.report.skip("category", c.TermID, c.Name, fe.Message)
			continue
		}
		if err != nil {
			return err
		}
		if err := im.db.PutWPMap(ctx, "category", c.TermID, saved.ID, sum); err != nil {
			return err
		}
		im.sectionIDs[c.Slug] = saved.ID
		im.report.count("category", !mapped)
		redirects = append(redirects, store.Redirect{From: decodePath(OldCategoryPath(chain)), To: links.Section(saved.Path)})
	}
	for _, t := range im.tagRecs {
		name := oneLine(t.Name)
		if name == "" {
			name = DecodeSlug(t.Slug)
		}
		checked, err := tags.Check("tag", name, news.Slugify(DecodeSlug(t.Slug)))
		var fe *news.FieldError
		if errors.As(err, &fe) {
			im.report.skip("tag", t.TermID, t.Name, fe.Message)
			continue
		}
		sum := checksumOf(t.Slug, t.Name, t.Description)
		e, mapped := im.maps["tag"][t.TermID]
		if mapped && e.Checksum == sum {
			im.tags[t.Slug] = news.Tag{ID: e.LocalID, Slug: checked.Slug, Name: checked.Name}
			im.report.addUnchanged("tag")
			continue
		}
		tag, err := im.db.ImportTag(ctx, checked.Slug, checked.Name)
		if err != nil {
			return err
		}
		if err := im.db.PutWPMap(ctx, "tag", t.TermID, tag.ID, sum); err != nil {
			return err
		}
		im.tags[t.Slug] = tag
		im.report.count("tag", !mapped)
		redirects = append(redirects, store.Redirect{From: decodePath(OldTagPath(t.Slug)), To: links.Tag(checked.Slug)})
	}
	return im.db.ImportRedirects(ctx, redirects)
}

// operator is who an import acts as when the library's and the sections'
// rules ask: the command line's user, with an admin's rights.
var operator = users.System

// oneLine folds the runs of spaces, tabs and line breaks that hand-edited
// exports leave in names into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// bylineFor makes sure an item's author is known. WXR 1.0 exports list
// no authors, only each item's login: it becomes a byline of that name.
// Where the export does list them, a login with stray markup around it
// ("themereviewteam>", as hand-edited exports have) is the listed author.
func (im *importer) bylineFor(ctx context.Context, login string) error {
	if strings.TrimSpace(login) == "" {
		return nil
	}
	im.authMu.RLock()
	_, ok := im.authors[login]
	clean, cleanOK := im.authors[strings.Trim(login, "<>\"' \t\r\n")]
	im.authMu.RUnlock()
	switch {
	case ok:
		return nil
	case cleanOK:
		im.setAuthor(login, clean)
		return nil
	case im.listedAuthors:
		return nil // not one of the export's authors: no byline, as before
	}
	return im.author(ctx, &AuthorRec{Login: login})
}

// author makes a WordPress user a byline. Dastan has no newsroom accounts
// to attach them to yet, so every author arrives as a byline-only author.
func (im *importer) author(ctx context.Context, r *AuthorRec) error {
	name := strings.TrimSpace(r.DisplayName)
	if name == "" {
		name = strings.TrimSpace(r.FirstName + " " + r.LastName)
	}
	if name == "" {
		name = r.Login
	}
	au := news.Author{Slug: news.Slugify(DecodeSlug(r.Login)), Name: name}
	sum := checksumOf(r.Login, r.DisplayName, r.FirstName, r.LastName)
	key := r.ID
	if key == 0 {
		// Some exports (WordPress.com's) leave out author ids: the login,
		// which WordPress keeps unique, stands in.
		h := fnv.New64a()
		h.Write([]byte(r.Login))
		key = -int64(h.Sum64() >> 1)
	}
	e, mapped := im.maps["author"][key]
	if mapped && e.Checksum == sum {
		au.ID = e.LocalID
		im.setAuthor(r.Login, au)
		im.report.addUnchanged("author")
		return nil
	}
	if mapped {
		au.ID = e.LocalID
	} else if old, err := im.db.AuthorBySlug(ctx, au.Slug); err == nil {
		au = old
		au.Name = name
	}
	if err := im.db.SaveAuthor(ctx, &au); err != nil {
		return err
	}
	if err := im.db.PutWPMap(ctx, "author", key, au.ID, sum); err != nil {
		return err
	}
	im.setAuthor(r.Login, au)
	im.report.count("author", !mapped)
	return im.db.ImportRedirects(ctx, []store.Redirect{{From: OldAuthorPath(r.Login), To: links.Author(au.Slug)}})
}

func (im *importer) setAuthor(login string, au news.Author) {
	im.authMu.Lock()
	im.authors[login] = au
	im.authMu.Unlock()
}

func status(s string) news.Status {
	switch s {
	case "publish":
		return news.StatusPublished
	case "future":
		return news.StatusScheduled
	case "private":
		return news.StatusPrivate
	case "trash":
		return news.StatusTrash
	}
	return news.StatusDraft // draft, pending and anything unknown stay out of sight
}

func commentStatus(approved string) string {
	switch approved {
	case "1":
		return "approved"
	case "spam", "trash":
		return approved
	}
	return "pending"
}

func commentKind(t string) string {
	if t == "" {
		return "comment"
	}
	return t
}

// isCyrillic reports a title written mostly in Cyrillic letters.
func isCyrillic(s string) bool {
	cyr, lat := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.IsLetter(r):
			lat++
		}
	}
	return cyr > lat
}

// decodePath percent-decodes a path for comparison with a request's
// URL.Path; WordPress's query addresses (/?p=123) stay as they are.
func decodePath(p string) string {
	if strings.Contains(p, "?") {
		return p
	}
	if d, err := url.PathUnescape(p); err == nil {
		return d
	}
	return p
}

// checksum fingerprints what an item says, so a second import can tell
// whether it changed.
func checksum(it *Item) string {
	c := *it
	c.Offset, c.Line = 0, 0
	b, _ := json.Marshal(&c)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:16])
}

func checksumOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
