package newsroom

import (
	"strings"

	"dastan/internal/news"
)

// contentSecurityPolicy is the newsroom's: its own script file and
// stylesheet and nothing inline, requests (autosave, live preview) to
// this site only, images and players as the site shows them (previews
// are the site's pages), forms posted here only, and no framing at all —
// a framed newsroom could be clicked on by a page the editor cannot see.
var contentSecurityPolicy = strings.Join([]string{
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data: https:",
	"media-src 'self' https:",
	"frame-src " + strings.Join(news.EmbedOrigins, " "),
	"connect-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'",
}, "; ")
