package wordpress

import (
	"net/url"
	"strconv"
	"strings"
)

// OldPaths returns the paths under which WordPress served an item, for 301
// redirects: its permalink (/2025/03/26/slug/, /slug/ or /?p=123), its
// shortlink (/?p=123, /?page_id=…, /?attachment_id=…) and its GUID when that
// was a URL on the same site. baseBlogURL is the export's base_blog_url; a
// blog in a subdirectory keeps its prefix (/blog/?p=123). Paths are as
// WordPress wrote them: non-Latin slugs stay percent-encoded.
func OldPaths(it *Item, baseBlogURL string) []string {
	base, _ := url.Parse(strings.TrimSpace(baseBlogURL))
	prefix := ""
	if base != nil {
		prefix = strings.TrimSuffix(base.EscapedPath(), "/")
	}
	var out []string
	add := func(p string) {
		if p == "" {
			return
		}
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	sameSite := func(raw string) bool {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || base == nil || base.Host == "" || u.Host == "" {
			return err == nil
		}
		return strings.EqualFold(strings.TrimPrefix(u.Host, "www."), strings.TrimPrefix(base.Host, "www."))
	}
	if sameSite(it.Link) {
		add(PathOf(it.Link))
	}
	if it.ID > 0 {
		param := "p"
		switch it.Type {
		case "page":
			param = "page_id"
		case "attachment":
			param = "attachment_id"
		}
		add(prefix + "/?" + param + "=" + strconv.FormatInt(it.ID, 10))
	}
	if strings.Contains(it.GUID, "://") && sameSite(it.GUID) {
		add(PathOf(it.GUID))
	}
	return out
}

// PathOf returns the path and query of a URL, "/" for a bare host, "" for
// something that is not a URL. Fragments are dropped: browsers never send them.
func PathOf(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Host == "" && !strings.HasPrefix(u.Path, "/")) {
		return ""
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// OldCategoryPath returns a category archive's path from its slugs, root
// first: {"news", "kazakhstan"} → /category/news/kazakhstan/. WordPress lets
// a site rename the "category" base; this is the default.
func OldCategoryPath(slugChain []string) string {
	if len(slugChain) == 0 {
		return ""
	}
	return "/category/" + strings.Join(slugChain, "/") + "/"
}

// OldTagPath returns a tag archive's path: /tag/slug/.
func OldTagPath(slug string) string {
	if slug == "" {
		return ""
	}
	return "/tag/" + slug + "/"
}

// OldAuthorPath returns an author archive's path: /author/login/. WordPress
// uses the user's nicename, which is the login for most sites.
func OldAuthorPath(login string) string {
	if login == "" {
		return ""
	}
	return "/author/" + url.PathEscape(strings.ToLower(login)) + "/"
}

// CategoryChain returns the slugs from the root category down to slug,
// given each category's parent slug. It stops at a missing parent or a loop.
func CategoryChain(slug string, parentOf map[string]string) []string {
	var chain []string
	seen := map[string]bool{}
	for slug != "" && !seen[slug] {
		seen[slug] = true
		chain = append(chain, slug)
		slug = parentOf[slug]
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// DecodeSlug turns a percent-encoded slug (%d0%bd%d0%be…) into text (но…);
// a slug that is not validly encoded is returned as it is.
func DecodeSlug(slug string) string {
	s, err := url.PathUnescape(slug)
	if err != nil {
		return slug
	}
	return s
}
