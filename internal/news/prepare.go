package news

import (
	"errors"
	"fmt"
	"strings"
)

// ProtectedExcerpt stands in for the excerpt of a password-protected article.
const ProtectedExcerpt = "This article is protected by a password."

// DefaultExcerptRunes is the excerpt length listings use when the caller
// has no preference.
const DefaultExcerptRunes = 300

// Errors Prepare returns; their text is fit to show an editor.
var (
	ErrTitleRequired = errors.New("news: title is required")
	ErrLangUnknown   = errors.New("news: language must be en or ru")
	ErrFormatUnknown = errors.New("news: body format must be markdown, html or visual")
)

// Prepare checks an article and fills what is made at write time: BodyHTML,
// Excerpt, ReadingMinutes, and Slug when the editor left it empty. An
// excerptLimit of 0 or less means DefaultExcerptRunes.
func Prepare(a *Article, excerptLimit int, r MediaResolver) error {
	_, err := prepare(a, excerptLimit, r, false)
	return err
}

// PrepareForSearch is Prepare that also returns the body's SearchText,
// read from the HTML in the same pass as its plain text: an import
// indexes every article it prepares.
func PrepareForSearch(a *Article, excerptLimit int, r MediaResolver) (searchText string, err error) {
	return prepare(a, excerptLimit, r, true)
}

// prepare is Prepare, returning the body's SearchText when search is set.
func prepare(a *Article, excerptLimit int, r MediaResolver, search bool) (string, error) {
	if a == nil {
		return "", errors.New("news: no article")
	}
	a.Title = strings.TrimSpace(a.Title)
	if a.Title == "" {
		return "", ErrTitleRequired
	}
	switch a.Lang {
	case "en", "ru":
	default:
		return "", ErrLangUnknown
	}
	switch a.BodyFormat {
	case FormatMarkdown, FormatHTML, FormatVisual:
	default:
		return "", ErrFormatUnknown
	}
	if excerptLimit <= 0 {
		excerptLimit = DefaultExcerptRunes
	}
	body, err := RenderBodyWith(a.BodySource, a.BodyFormat, r)
	if err != nil {
		return "", fmt.Errorf("news: article %q: %w", a.Title, err)
	}
	a.BodyHTML = body
	// The body's words serve both the excerpt and the reading time: the
	// HTML is reduced to text once.
	var text, searchText string
	if search {
		text, searchText = BodyTexts(body)
	} else {
		text = PlainText(body)
	}
	a.Excerpt = makeExcerpt(a.ManualExcerpt, a.BodySource, a.BodyFormat, body, func() string { return text }, excerptLimit)
	if a.Password != "" {
		// A protected article's words stay behind its password: listings,
		// feeds and meta descriptions show this instead of its text.
		a.Excerpt = ProtectedExcerpt
	}
	a.ReadingMinutes = readingMinutesOf(text)
	if strings.TrimSpace(a.Slug) == "" {
		a.Slug = Slugify(a.Title)
	}
	return searchText, nil
}
