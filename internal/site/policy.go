package site

import (
	"slices"
	"strings"

	"dastan/internal/news"
)

// contentSecurityPolicy is the public pages' policy. The site needs no
// script to read; its one script, the search box's suggestions, is a
// file of this site (its other <script> is JSON-LD, which browsers do not
// run), so only files from here run and an inline one is refused even if
// it got past the body sanitizer. Styles come from the stylesheet; images from here, from
// data: URLs and from any https address, as imported bodies may still
// point at the old site's files; audio and video likewise; frames only
// from the players bodies may embed, and those a reader loads by
// clicking a post's placeholder. Forms post here only, <base> cannot
// move links, and only this site may frame its pages. On an https site,
// http: references are upgraded rather than blocked as mixed content.
// embedPolicy is the embed card's: any site may frame it (that is what
// it is for), and it runs nothing, loads only images, and styles itself
// inline.
const embedPolicy = "default-src 'none'; img-src 'self' data: https:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *"

func contentSecurityPolicy(siteURL string) string {
	p := []string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data: https:",
		"media-src 'self' https:",
		"frame-src " + strings.Join(append(slices.Clone(news.EmbedOrigins), news.ClickEmbedOrigins...), " "),
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'self'",
	}
	if strings.HasPrefix(siteURL, "https://") {
		p = append(p, "upgrade-insecure-requests")
	}
	return strings.Join(p, "; ")
}
