package articles

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"dastan/internal/i18n"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/tags"
)

// Limits on what an article may hold. They are checked on every write,
// whatever the way in (newsroom form, API, import), so a 100,000-character
// title or a NUL byte is refused with a message naming the field rather
// than stored, or failed on by one engine and not the other.
const (
	MaxTitle          = 300     // characters; the form's maxlength
	MaxSlug           = 200     // characters as typed, before cleaning
	MaxStandfirst     = 1000    // characters
	MaxExcerpt        = 2000    // characters
	MaxSEOTitle       = 300     // characters
	MaxSEODescription = 1000    // characters
	MaxTags           = 100     // tags on one article
	MaxAuthors        = 20      // bylines on one article
	MaxBody           = 2 << 20 // bytes of body source
	MaxImageURL       = 2000    // characters
	MaxImageText      = 1000    // characters of alt text, caption or credit
	MaxImageSrcSet    = 10000   // characters
)

// textField is one limited field of an article.
type textField struct {
	name  string // as the JSON API names it
	label string // the catalogue key of its name in a sentence (invalid.label.*)
	value string
	max   int  // characters, or bytes when bytes is set
	bytes bool // max counts bytes
}

// normalize trims what editors type around their words and turns the
// browser's CRLF line ends into LF, the same for every way in.
func normalize(a *news.Article) {
	a.Title = strings.TrimSpace(a.Title)
	a.Standfirst = strings.TrimSpace(a.Standfirst)
	a.ManualExcerpt = strings.TrimSpace(a.ManualExcerpt)
	a.SEOTitle = strings.TrimSpace(a.SEOTitle)
	a.SEODescription = strings.TrimSpace(a.SEODescription)
	if strings.Contains(a.BodySource, "\r") {
		a.BodySource = strings.ReplaceAll(a.BodySource, "\r\n", "\n")
	}
	if strings.TrimSpace(a.Slug) == "" {
		a.Slug = "" // made from the title
	}
	var tags []news.Tag
	for _, t := range a.Tags {
		t.Name = strings.TrimSpace(t.Name)
		if t.Name != "" || t.ID != 0 {
			tags = append(tags, t)
		}
	}
	a.Tags = tags
	if img := a.Image; img != nil {
		img.URL, img.Alt = strings.TrimSpace(img.URL), strings.TrimSpace(img.Alt)
		img.Caption, img.Credit, img.SrcSet = strings.TrimSpace(img.Caption), strings.TrimSpace(img.Credit), strings.TrimSpace(img.SrcSet)
	}
}

// check applies the limits and the image rule to a normalized article.
func check(a *news.Article) error {
	fields := []textField{
		{"title", "invalid.label.title", a.Title, MaxTitle, false},
		{"slug", "invalid.label.slug", a.Slug, MaxSlug, false},
		{"standfirst", "invalid.label.standfirst", a.Standfirst, MaxStandfirst, false},
		{"body", "invalid.label.body", a.BodySource, MaxBody, true},
		{"excerpt", "invalid.label.excerpt", a.ManualExcerpt, MaxExcerpt, false},
		{"seo_title", "invalid.label.seo_title", a.SEOTitle, MaxSEOTitle, false},
		{"seo_description", "invalid.label.seo_description", a.SEODescription, MaxSEODescription, false},
	}
	if img := a.Image; img != nil {
		fields = append(fields,
			textField{"image", "invalid.label.image_url", img.URL, MaxImageURL, false},
			textField{"image", "invalid.label.image_alt", img.Alt, MaxImageText, false},
			textField{"image", "invalid.label.image_caption", img.Caption, MaxImageText, false},
			textField{"image", "invalid.label.image_credit", img.Credit, MaxImageText, false},
			textField{"image", "invalid.label.image_srcset", img.SrcSet, MaxImageSrcSet, false})
	}
	for _, f := range fields {
		if err := f.check(); err != nil {
			return err
		}
	}
	if len(a.Tags) > MaxTags {
		return refuse("tags", "invalid.too_many_tags", "Max", MaxTags, "Has", len(a.Tags))
	}
	for _, t := range a.Tags {
		if t.Name == "" {
			continue // a tag given by id keeps the name it has
		}
		if _, err := tags.Check("tags", t.Name, t.Slug); err != nil {
			return err
		}
	}
	if len(a.Authors) > MaxAuthors {
		return refuse("author_ids", "invalid.too_many_authors", "Max", MaxAuthors, "Has", len(a.Authors))
	}
	if img := a.Image; img != nil {
		if !strings.HasPrefix(img.URL, "/") && !strings.HasPrefix(img.URL, "https://") && !strings.HasPrefix(img.URL, "http://") {
			return refuse("image", "invalid.image_link")
		}
	}
	return nil
}

// check refuses text that is too long, is not UTF-8, or holds control
// characters other than tab and line ends (NUL above all: PostgreSQL
// refuses it where SQLite would store it).
func (f textField) check() error {
	if !utf8.ValidString(f.value) {
		return refuse(f.name, "invalid.text_utf8", "Field", i18n.Key(f.label))
	}
	if f.bytes && len(f.value) > f.max {
		return refuse(f.name, "invalid.text_bytes", "Field", i18n.Key(f.label), "Count", f.max)
	}
	if !f.bytes && len(f.value) > f.max && utf8.RuneCountInString(f.value) > f.max {
		return refuse(f.name, "invalid.text_chars", "Field", i18n.Key(f.label), "Count", f.max)
	}
	// Bytes suffice: in UTF-8 no byte of a longer character is below 0x80.
	for i := 0; i < len(f.value); i++ {
		if c := f.value[i]; (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return refuse(f.name, "invalid.text_control", "Field", i18n.Key(f.label), "Code", fmt.Sprintf("%04X", c))
		}
	}
	return nil
}

// isSlug reports a slug Slugify would leave as it is, so that it need not
// run again (importers slugify what they read). Slugify cuts slugs at
// MaxSlug bytes.
func isSlug(s string) bool {
	if s == "" || len(s) > MaxSlug || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && s[i-1] != '-') {
			return false
		}
	}
	return true
}

// prepare normalizes and checks a, makes what is made at write time
// (news.Prepare) and, when refs is set, checks that its section and
// authors exist. Errors are *ValidationError.
func (s *Service) prepare(ctx context.Context, a *news.Article, r news.MediaResolver, refs bool) error {
	if err := s.ready(ctx, a, refs); err != nil {
		return err
	}
	if err := news.Prepare(a, s.excerptLen, r); err != nil {
		return reword(err)
	}
	return nil
}

// ready normalizes and checks a, and its references when refs is set:
// what comes before news.Prepare.
func (s *Service) ready(ctx context.Context, a *news.Article, refs bool) error {
	normalize(a)
	if err := check(a); err != nil {
		return err
	}
	if a.Slug != "" && !isSlug(a.Slug) {
		a.Slug = news.Slugify(a.Slug)
	}
	if refs {
		return s.checkRefs(ctx, a)
	}
	return nil
}

// checkTranslation checks the article a translates: it exists, is not
// a, and is in another language. A translation of a translation is
// linked to the first one's original, so that a story's language
// versions all point at one article (store.Translations reads them so).
func (s *Service) checkTranslation(ctx context.Context, a *news.Article) error {
	if a.TranslationOf == 0 {
		return nil
	}
	if a.TranslationOf == a.ID {
		return refuse("translation_of", "invalid.self_translation")
	}
	orig, err := s.db.ArticleByID(ctx, a.TranslationOf)
	if errors.Is(err, store.ErrNotFound) || (err == nil && orig.Status == news.StatusTrash) {
		return refuse("translation_of", "invalid.no_original", "ID", a.TranslationOf)
	}
	if err != nil {
		return err
	}
	if orig.TranslationOf == a.ID && a.ID != 0 {
		// a is the original the chosen article translates: the link is
		// already there, the other way round.
		a.TranslationOf = 0
		return nil
	}
	if orig.TranslationOf != 0 {
		a.TranslationOf = orig.TranslationOf
		if orig, err = s.db.ArticleByID(ctx, a.TranslationOf); err != nil {
			return err
		}
	}
	if orig.Lang == a.Lang {
		return refuse("translation_of", "invalid.same_lang", "Lang", a.Lang)
	}
	return nil
}

// checkRefs checks that a's section, authors and original (when it is a
// translation) exist, and fills the authors' names.
func (s *Service) checkRefs(ctx context.Context, a *news.Article) error {
	if err := s.checkTranslation(ctx, a); err != nil {
		return err
	}
	if a.SectionID != 0 {
		secs, err := s.db.Sections(ctx)
		if err != nil {
			return err
		}
		found := false
		for _, sec := range secs {
			found = found || sec.ID == a.SectionID
		}
		if !found {
			return refuse("section_id", "invalid.no_section", "ID", a.SectionID)
		}
	}
	if len(a.Authors) == 0 {
		return nil
	}
	all, err := s.db.Authors(ctx)
	if err != nil {
		return err
	}
	byID := make(map[int64]news.Author, len(all))
	for _, au := range all {
		byID[au.ID] = au
	}
	for i, au := range a.Authors {
		full, ok := byID[au.ID]
		if !ok {
			return refuse("author_ids", "invalid.no_author", "ID", au.ID)
		}
		a.Authors[i] = full
	}
	return nil
}

// reword turns news.Prepare's errors into validation errors, in the
// words an editor reads: "Title is required."
func reword(err error) error {
	field := "body"
	switch {
	case errors.Is(err, news.ErrTitleRequired):
		return refuse("title", "invalid.title_required")
	case errors.Is(err, news.ErrLangUnknown):
		return refuse("lang", "invalid.lang_unknown")
	case errors.Is(err, news.ErrFormatUnknown):
		return refuse("format", "invalid.format_unknown")
	}
	msg := strings.TrimPrefix(err.Error(), "news: ")
	return &ValidationError{Field: field, Message: strings.ToUpper(msg[:1]) + msg[1:] + "."}
}
