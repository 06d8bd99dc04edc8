package feeds

import (
	"strings"

	"dastan/internal/links"
)

// Robots builds robots.txt: the whole site open to crawlers except the
// newsroom and the API, the search results (endless, thin pages), and
// the sitemaps named.
func Robots(siteURL string, sitemaps ...string) []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range []string{"/newsroom/", "/api/", "/search/", "/?s=", "/*?s="} {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n\n")
	for _, s := range sitemaps {
		b.WriteString("Sitemap: " + links.Abs(siteURL, s) + "\n")
	}
	return []byte(b.String())
}
