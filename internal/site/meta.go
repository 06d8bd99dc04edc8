package site

import (
	"context"
	"encoding/json"
	"html/template"
	"net/url"
	"strings"
	"time"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// The head of every page carries what search engines and social sites
// read: Open Graph and Twitter card tags, schema.org JSON-LD, feed links
// and, for translated articles, hreflang alternates. The layout already
// writes the canonical link and the meta description.

// headBuilder writes head tags with every value escaped for an attribute.
type headBuilder struct{ strings.Builder }

func (b *headBuilder) meta(attr, key, value string) {
	if value == "" {
		return
	}
	b.WriteString(`<meta ` + attr + `="` + key + `" content="` + template.HTMLEscapeString(value) + "\">\n")
}

func (b *headBuilder) link(rel, typ, title, href, hreflang string) {
	b.WriteString(`<link rel="` + rel + `"`)
	if typ != "" {
		b.WriteString(` type="` + typ + `"`)
	}
	if title != "" {
		b.WriteString(` title="` + template.HTMLEscapeString(title) + `"`)
	}
	if hreflang != "" {
		b.WriteString(` hreflang="` + hreflang + `"`)
	}
	b.WriteString(` href="` + template.HTMLEscapeString(href) + "\">\n")
}

// jsonLD writes v as a JSON-LD script. encoding/json escapes <, > and &,
// so no value can close the script element early.
func (b *headBuilder) jsonLD(v any) {
	j, err := json.Marshal(v)
	if err != nil {
		return
	}
	b.WriteString(`<script type="application/ld+json">`)
	b.Write(j)
	b.WriteString("</script>\n")
}

// feedLinks names a page's feeds (base is the listing's path: "/",
// "/tag/energy/" …) in all three formats.
func (b *headBuilder) feedLinks(siteURL, base, title string) {
	b.link("alternate", "application/rss+xml", title+" (RSS)", links.Abs(siteURL, links.Feed(base, links.FeedRSS)), "")
	b.link("alternate", "application/atom+xml", title+" (Atom)", links.Abs(siteURL, links.Feed(base, links.FeedAtom)), "")
	b.link("alternate", "application/feed+json", title+" (JSON Feed)", links.Abs(siteURL, links.Feed(base, links.FeedJSON)), "")
}

type ldThing = map[string]any

func (s *Site) ldPublisher() ldThing {
	return ldThing{"@type": "NewsMediaOrganization", "name": s.cfg.SiteName, "url": links.Abs(s.cfg.SiteURL, links.Home)}
}

// ldBreadcrumbs is a schema.org BreadcrumbList from Home through crumbs.
func (s *Site) ldBreadcrumbs(lang string, crumbs []NavItem) ldThing {
	items := []ldThing{{"@type": "ListItem", "position": 1, "name": s.t(lang, "site.crumbs.home"), "item": links.Abs(s.cfg.SiteURL, links.Edition(lang))}}
	for i, c := range crumbs {
		items = append(items, ldThing{"@type": "ListItem", "position": i + 2, "name": c.Name, "item": links.Abs(s.cfg.SiteURL, c.URL)})
	}
	return ldThing{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
}

func ogLocale(lang string) string {
	switch lang {
	case "en":
		return "en_US"
	case "ru":
		return "ru_RU"
	}
	return lang
}

// articleHead builds an article page's head tags. crumbs are its
// section's chain; desc is the page's meta description.
//
// tr are the article's language versions (store.Translations), named as
// hreflang alternates, the original as x-default.
func (s *Site) articleHead(a news.Article, tr []store.Translation, title, desc string, sec *news.Section, crumbs []NavItem) template.HTML {
	base := s.cfg.SiteURL
	canonical := links.Abs(base, links.Article(a.Slug))
	var b headBuilder
	b.Grow(6 << 10) // an article's head tags are 4–5 KB: one allocation, not eight doublings
	b.meta("property", "og:type", "article")
	b.meta("property", "og:site_name", s.cfg.SiteName)
	b.meta("property", "og:title", title)
	b.meta("property", "og:description", desc)
	b.meta("property", "og:url", canonical)
	b.meta("property", "og:locale", ogLocale(a.Lang))
	var image string
	if a.Image != nil && a.Image.URL != "" {
		image = links.Abs(base, a.Image.URL)
		b.meta("property", "og:image", image)
		b.meta("property", "og:image:alt", a.Image.Alt)
	}
	b.meta("property", "article:published_time", a.PublishedAt.UTC().Format(time.RFC3339))
	b.meta("property", "article:modified_time", a.UpdatedAt.UTC().Format(time.RFC3339))
	if sec != nil {
		b.meta("property", "article:section", sec.Name)
	}
	for _, t := range a.Tags {
		b.meta("property", "article:tag", t.Name)
	}
	for _, au := range a.Authors {
		b.meta("property", "article:author", links.Abs(base, links.Author(au.Slug)))
	}
	card := "summary"
	if image != "" {
		card = "summary_large_image"
	}
	b.meta("name", "twitter:card", card)
	b.meta("name", "twitter:title", title)
	b.meta("name", "twitter:description", desc)
	b.meta("name", "twitter:image", image)

	if len(tr) > 1 {
		for _, t := range tr {
			b.link("alternate", "", "", links.Abs(base, links.Article(t.Slug)), t.Lang)
		}
		b.link("alternate", "", "", links.Abs(base, links.Article(tr[0].Slug)), "x-default")
	}
	b.feedLinks(base, links.Edition(a.Lang), s.cfg.SiteName)
	// oEmbed discovery, as WordPress: other sites and messengers ask
	// the provider for the card.
	oembed := links.Abs(base, links.OEmbed) + "?url=" + url.QueryEscape(canonical)
	b.link("alternate", "application/json+oembed", "", oembed, "")
	b.link("alternate", "text/xml+oembed", "", oembed+"&format=xml", "")

	ld := ldThing{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"mainEntityOfPage": ldThing{"@type": "WebPage", "@id": canonical},
		"url":              canonical,
		"headline":         headline(a.Title),
		"datePublished":    a.PublishedAt.UTC().Format(time.RFC3339),
		"dateModified":     a.UpdatedAt.UTC().Format(time.RFC3339),
		"inLanguage":       a.Lang,
		"publisher":        s.ldPublisher(),
	}
	if desc != "" {
		ld["description"] = desc
	}
	if image != "" {
		ld["image"] = []string{image}
	}
	var authors []ldThing
	for _, au := range a.Authors {
		authors = append(authors, ldThing{"@type": "Person", "name": au.Name, "url": links.Abs(base, links.Author(au.Slug))})
	}
	if len(authors) == 0 {
		authors = append(authors, s.ldPublisher())
	}
	ld["author"] = authors
	if sec != nil {
		ld["articleSection"] = sec.Name
	}
	if len(a.Tags) > 0 {
		var kw []string
		for _, t := range a.Tags {
			kw = append(kw, t.Name)
		}
		ld["keywords"] = kw
	}
	if a.Password != "" {
		ld["isAccessibleForFree"] = false
	}
	b.jsonLD(ld)
	b.jsonLD(s.ldBreadcrumbs(a.Lang, append(crumbs, NavItem{Name: a.Title, URL: links.Article(a.Slug)})))
	return template.HTML(b.String())
}

// headline keeps a title within the 110 characters Google shows.
func headline(t string) string {
	r := []rune(t)
	if len(r) <= 110 {
		return t
	}
	return strings.TrimSpace(string(r[:109])) + "…"
}

// editionLinks names the same listing in every edition as hreflang
// alternates, for the pages every edition has: the front page and the
// sections.
func (s *Site) editionLinks(b *headBuilder, lang, base string) {
	if base != links.Home && !strings.HasPrefix(base, links.Section("")) {
		return
	}
	for _, l := range s.words.Languages() {
		if s.editions[l] {
			b.link("alternate", "", "", links.Abs(s.cfg.SiteURL, links.In(l, base)), l)
		}
	}
	b.link("alternate", "", "", links.Abs(s.cfg.SiteURL, base), "x-default")
}

// listingHead builds the head tags of the front page or a listing whose
// first page is base (in the default edition; the page's own edition is
// pg.Lang), and supplies a description where the page has none.
func (s *Site) listingHead(ctx context.Context, pg *Page, base, heading string) {
	var b headBuilder
	lang := pg.Lang
	if pg.Description == "" {
		if heading == "" {
			pg.Description = s.siteDescription(lang)
		} else {
			pg.Description = s.t(lang, "site.listing_description", "Heading", heading, "Site", s.cfg.SiteName)
		}
	}
	title := pg.Title
	if title == "" {
		title = s.cfg.SiteName
	}
	b.meta("property", "og:type", "website")
	b.meta("property", "og:site_name", s.cfg.SiteName)
	b.meta("property", "og:title", title)
	b.meta("property", "og:description", pg.Description)
	b.meta("property", "og:url", pg.Canonical)
	b.meta("name", "twitter:card", "summary")
	b.meta("name", "twitter:title", title)
	b.meta("name", "twitter:description", pg.Description)
	var crumbs []NavItem
	hasFeed := base == "/"
	switch {
	case strings.HasPrefix(base, "/category/"):
		hasFeed = true
		if tree, err := s.sections.get(ctx); err == nil {
			if sec, ok := tree.byPath[strings.Trim(strings.TrimPrefix(base, "/category/"), "/")]; ok {
				for _, c := range tree.chain(sec.ID) {
					crumbs = append(crumbs, NavItem{Name: s.sectionName(lang, c), URL: links.In(lang, links.Section(c.Path))})
				}
			}
		}
	case strings.HasPrefix(base, "/tag/"), strings.HasPrefix(base, "/author/"):
		hasFeed = true
		crumbs = []NavItem{{Name: heading, URL: links.In(lang, base)}}
	case base != "/":
		crumbs = []NavItem{{Name: heading, URL: links.In(lang, base)}}
	}
	if hasFeed {
		b.feedLinks(s.cfg.SiteURL, links.In(lang, base), title)
	}
	s.editionLinks(&b, lang, base)
	if base == "/" && heading == "" {
		b.jsonLD(ldThing{"@context": "https://schema.org", "@type": "WebSite", "name": s.cfg.SiteName, "url": links.Abs(s.cfg.SiteURL, links.Edition(lang)),
			"inLanguage": lang, "publisher": s.ldPublisher()})
	} else {
		b.jsonLD(s.ldBreadcrumbs(lang, crumbs))
	}
	pg.Head = template.HTML(b.String())
}
