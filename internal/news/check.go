package news

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"dastan/internal/links"
)

// FieldError says which field of a form or request is wrong and why, in
// words fit to show next to that field.
type FieldError struct {
	Field   string // the form's and the API's name for it: "name", "slug", "alt"
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Invalid returns a *FieldError for field.
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
		return "", Invalid(field, "A name is needed.")
	case !utf8.ValidString(name):
		return "", Invalid(field, "The name is not valid text.")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", Invalid(field, "The name cannot contain line breaks, tabs or other control characters.")
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return "", Invalid(field, "The name is too long: at most %d characters.", MaxNameRunes)
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
			return "", Invalid(field, "A slug needs letters or digits.")
		}
	}
	if links.ReservedSlug(slug) {
		return "", Invalid(field, "%q ends the site's listing addresses (…/feed/, …/page/2/); choose another slug.", slug)
	}
	return slug, nil
}
