package news

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"dastan/internal/i18n"
	"dastan/internal/links"
)

// FieldError says which field of a form or request is wrong and why, in
// words fit to show next to that field.
type FieldError struct {
	Field   string // the form's and the API's name for it: "name", "slug", "alt"
	Message string // in English, as the JSON API answers
	// Key is the message's id in the catalogue (internal/i18n), from
	// which the newsroom says it in each editor's language; Args are its
	// arguments as name, value pairs. "" when it has none yet.
	Key  string
	Args []any
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Refuse returns a *FieldError for field whose words are the catalogue's
// message key (internal/i18n/locales, "invalid.*"), filled from args
// given as name, value pairs: its Message is the English one.
func Refuse(field, key string, args ...any) error {
	return &FieldError{Field: field, Message: i18n.English(key, args...), Key: key, Args: args}
}

// Invalid returns a *FieldError for field, in English only; Refuse's
// refusals are said in each editor's language.
func Invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// MaxNameRunes is the longest name of a section or tag, as WordPress
// allows for its terms.
const MaxNameRunes = 200

// CheckName trims a section's or tag's name and checks it: present, valid
// UTF-8, one line without control characters (NUL included), and at most
// MaxNameRunes characters. The error names field.
func CheckName(field, name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Refuse(field, "invalid.name_needed")
	case !utf8.ValidString(name):
		return "", Refuse(field, "invalid.name_text")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", Refuse(field, "invalid.name_control")
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return "", Refuse(field, "invalid.name_long", "Max", MaxNameRunes)
	}
	return name, nil
}

// CheckSlug gives the slug a section or tag will have: typed, cleaned as
// Slugify cleans it, or made from name when typed is empty. A typed slug
// with nothing to spell, or one the site's addresses reserve (see
// links.ReservedSlug), is refused; the error names field.
func CheckSlug(field, typed, name string) (string, error) {
	slug := ""
	if strings.TrimSpace(typed) == "" {
		slug = Slugify(name)
	} else {
		slug = Slugify(typed)
		if slug == "untitled" && !strings.Contains(strings.ToLower(typed), "untitled") {
			return "", Refuse(field, "invalid.slug_letters")
		}
	}
	if links.ReservedSlug(slug) {
		return "", Refuse(field, "invalid.slug_reserved", "Slug", slug)
	}
	return slug, nil
}
