package articles

import (
	"testing"

	"dastan/internal/news"
)

// isSlug must never skip a slug that Slugify would change.
func TestIsSlugAgreesWithSlugify(t *testing.T) {
	for _, s := range []string{"budget-passes", "budget-passes-2", "a", "2025", "a--b", "-a", "a-", "A", "a b", "a_b",
		"ozbekiston", "o‘zbekiston", "привет", "café", "untitled", "x-y-z-1-2-3"} {
		if isSlug(s) && news.Slugify(s) != s {
			t.Errorf("isSlug(%q) but Slugify gives %q", s, news.Slugify(s))
		}
		if !isSlug(s) && news.Slugify(s) == s && s != "" {
			t.Logf("%q is left to Slugify, which keeps it", s)
		}
	}
}

func FuzzIsSlug(f *testing.F) {
	for _, s := range []string{"budget-passes", "a--b", "-a", "Ab", "a1-b2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isSlug(s) && news.Slugify(s) != s {
			t.Fatalf("isSlug(%q) but Slugify gives %q", s, news.Slugify(s))
		}
	})
}
