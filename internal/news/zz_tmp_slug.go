// Temporary stand-ins until the content functions land; removed with them.
package news

import "strings"

func Slugify(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "-") }

type MediaResolver func(id int64) (Figure, bool)

func Prepare(a *Article, excerptLimit int, r MediaResolver) error {
	a.BodyHTML = "<p>" + a.BodySource + "</p>"
	a.Excerpt = a.BodySource
	if len(a.Excerpt) > excerptLimit {
		a.Excerpt = a.Excerpt[:excerptLimit] + "…"
	}
	a.ReadingMinutes = 3
	if a.Slug == "" {
		a.Slug = Slugify(a.Title)
	}
	return nil
}
