package site

import (
	"testing"

	"dastan/internal/i18n/i18ntest"
)

// The site's templates say nothing themselves: every word comes from the
// message catalogue, in every language it has.
func TestTemplatesUseTheCatalogue(t *testing.T) {
	i18ntest.CheckTemplates(t, templateFS, "templates/*.html")
}
