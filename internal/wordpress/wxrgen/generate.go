// Package wxrgen writes synthetic WordPress exports shaped like a regional
// newsroom's archive, for import tests and benchmarks at archive scale.
package wxrgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"
)

const base = "https://timesca.example"

type category struct{ slug, parent, name string }

var categories = []category{
	{"news", "", "News"},
	{"kazakhstan", "news", "Kazakhstan"},
	{"kyrgyzstan", "news", "Kyrgyzstan"},
	{"tajikistan", "news", "Tajikistan"},
	{"turkmenistan", "news", "Turkmenistan"},
	{"uzbekistan", "news", "Uzbekistan"},
	{"opinion", "", "Opinion"},
	{"economy", "", "Economy"},
	{"energy", "economy", "Energy"},
	{"politics", "", "Politics"},
	{"society", "", "Society"},
	{"culture", "", "Culture"},
	{"%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8", "", "Новости"},
}

var tags = []string{
	"Tokayev", "Mirziyoyev", "Japarov", "Rahmon", "Berdimuhamedov", "Astana", "Almaty", "Tashkent",
	"Bishkek", "Dushanbe", "Ashgabat", "Caspian", "Aral Sea", "uranium", "oil", "gas", "cotton",
	"water", "China", "Russia", "EU", "elections", "press freedom", "tenge", "som", "sum",
	"migration", "tourism", "railways", "Middle Corridor", "climate", "gold", "wheat", "Baikonur",
	"Nowruz", "Silk Road", "remittances", "inflation", "central bank", "Afghanistan",
}

var authors = []struct{ login, first, last string }{
	{"editor", "Aigerim", "Nurlanova"}, {"dkim", "Daniyar", "Kim"}, {"sfarhod", "Shahlo", "Farhodova"},
	{"bakyt", "Bakyt", "Osmonov"}, {"guest", "Guest", "Contributor"},
}

var enWords = strings.Fields(`the government said on Tuesday that new rules for exporters would take effect
next month while analysts in Almaty and Tashkent expected the central bank to hold its rate as inflation
slowed and remittances from Russia fell water shortages along the Syr Darya and Amu Darya again dominated
talks between ministers who met in Dushanbe to discuss quotas for the coming irrigation season the railway
link across the Caspian carried more containers than a year earlier officials told reporters`)

var ruWords = strings.Fields(`правительство заявило во вторник что новые правила для экспортёров вступят
в силу в следующем месяце аналитики в Алматы и Ташкенте ожидают что центральный банк сохранит ставку
поскольку инфляция замедлилась а денежные переводы из России сократились нехватка воды вдоль Сырдарьи и
Амударьи снова стала главной темой переговоров министров в Душанбе`)

// GenerateExport writes a WXR 1.2 export of posts articles with their
// authors, nested categories, tags, featured-image attachments and comments.
// The same seed gives the same bytes.
func GenerateExport(w io.Writer, posts int, seed int64) error {
	return GenerateExportWith(w, posts, seed, Options{})
}

// Options shape a generated export beyond its size and seed.
type Options struct {
	// Galleries gives every post an id-less [gallery] of two or three
	// images uploaded to it, listed after the post (WordPress lists items
	// by id, and images uploaded while writing a post get later ids than
	// it); every other post takes the first of them as its featured image.
	// An importer meets the post before the images it shows.
	Galleries bool
	// News shapes posts as the WordPress news corpus of issue 17 is: 828
	// words a post on average, 30 % with a [caption]ed image, 10 % in
	// Russian, 4.5 tags a post, 25 % in two categories.
	News bool
}

// shape is how often a post has each feature: num in den.
type shape struct {
	ru, thumb, twoCats, blocks [2]int // num, den
	tagsMin, tagsSpan          int
	parasMin, parasSpan        int
	wordsMin, wordsSpan        int
}

var (
	// defaultShape: a third in Russian, with an image, in two categories;
	// a quarter in blocks; 0–4 tags; about 450 words.
	defaultShape = shape{ru: [2]int{1, 3}, thumb: [2]int{1, 3}, twoCats: [2]int{1, 3}, blocks: [2]int{1, 4},
		tagsSpan: 5, parasMin: 4, parasSpan: 8, wordsMin: 30, wordsSpan: 60}
	// newsShape is Options.News: 11.5 paragraphs of 72 words (828 in all),
	// images always in classic [caption]s, 2–7 tags.
	newsShape = shape{ru: [2]int{1, 10}, thumb: [2]int{3, 10}, twoCats: [2]int{1, 4}, blocks: [2]int{0, 4},
		tagsMin: 2, tagsSpan: 6, parasMin: 8, parasSpan: 8, wordsMin: 45, wordsSpan: 55}
)

// chance draws num in den.
func (g *gen) chance(p [2]int) bool { return g.rnd.IntN(p[1]) < p[0] }

// GenerateExportWith is GenerateExport shaped by opt.
func GenerateExportWith(w io.Writer, posts int, seed int64, opt Options) error {
	g := &gen{w: bufio.NewWriterSize(w, 256<<10), rnd: rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)), opt: opt, shape: defaultShape}
	if opt.News {
		g.shape = newsShape
	}
	g.header()
	start := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	span := time.Date(2025, 3, 26, 0, 0, 0, 0, time.UTC).Sub(start)
	id := int64(100)
	for i := 0; i < posts; i++ {
		when := start.Add(time.Duration(float64(span) * float64(i) / float64(max(posts, 1)))).
			Add(time.Duration(g.rnd.IntN(3600)) * time.Second).Truncate(time.Second)
		thumb := int64(0)
		if g.chance(g.shape.thumb) {
			id++
			thumb = id
			g.attachment(id, id+1, when)
		}
		id++
		post := id
		var gallery []int64
		if opt.Galleries {
			for n := 2 + g.rnd.IntN(2); n > 0; n-- {
				gallery = append(gallery, post+int64(len(gallery))+1)
			}
			if thumb == 0 && g.rnd.IntN(2) == 0 {
				thumb = gallery[0]
			}
		}
		g.post(post, thumb, when)
		for _, a := range gallery {
			g.attachment(a, post, when)
			id = a
		}
		if g.err != nil {
			return g.err
		}
	}
	g.s("</channel>\n</rss>\n")
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

type gen struct {
	w     *bufio.Writer
	rnd   *rand.Rand
	opt   Options
	shape shape
	err   error
}

func (g *gen) s(parts ...string) {
	for _, p := range parts {
		if g.err == nil {
			_, g.err = g.w.WriteString(p)
		}
	}
}

// cdata wraps text so that any "]]>" inside survives, as WordPress does.
func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

func (g *gen) header() {
	g.s(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>The Times of Central Asia</title>
	<link>`, base, `</link>
	<description>News from Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan</description>
	<pubDate>Wed, 26 Mar 2025 09:00:00 +0000</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>`, base, `</wp:base_site_url>
	<wp:base_blog_url>`, base, `</wp:base_blog_url>
`)
	for i, a := range authors {
		g.s(fmt.Sprintf("\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login>"+
			"<wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name>"+
			"<wp:author_first_name>%s</wp:author_first_name><wp:author_last_name>%s</wp:author_last_name></wp:author>\n",
			i+1, cdata(a.login), cdata(a.login+"@timesca.example"), cdata(a.first+" "+a.last), cdata(a.first), cdata(a.last)))
	}
	for i, c := range categories {
		g.s(fmt.Sprintf("\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename>%s</wp:category_nicename>"+
			"<wp:category_parent>%s</wp:category_parent><wp:cat_name>%s</wp:cat_name></wp:category>\n",
			i+2, cdata(c.slug), cdata(c.parent), cdata(c.name)))
	}
	for i, t := range tags {
		g.s(fmt.Sprintf("\t<wp:tag><wp:term_id>%d</wp:term_id><wp:tag_slug>%s</wp:tag_slug><wp:tag_name>%s</wp:tag_name></wp:tag>\n",
			i+100, cdata(slugify(t)), cdata(t)))
	}
	g.s("\t<generator>https://wordpress.org/?v=6.7.2</generator>\n")
}

func slugify(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "-") }

func (g *gen) words(ru bool, n int) string {
	list := enWords
	if ru {
		list = ruWords
	}
	out := make([]string, n)
	for i := range out {
		out[i] = list[g.rnd.IntN(len(list))]
	}
	s := strings.Join(out, " ")
	if s != "" {
		r := []rune(s)
		s = strings.ToUpper(string(r[0])) + string(r[1:])
	}
	return s
}

// The site's clock: Almaty, UTC+5.
var local = time.FixedZone("+05", 5*3600)

func wpDate(t time.Time) string { return t.Format("2006-01-02 15:04:05") }

func (g *gen) attachment(id, parent int64, when time.Time) {
	file := fmt.Sprintf("%d/%02d/photo-%d.jpg", when.Year(), when.Month(), id)
	u := base + "/wp-content/uploads/" + file
	g.s("\t<item>\n\t\t<title>", cdata(fmt.Sprintf("photo-%d", id)), "</title>\n",
		"\t\t<link>", base, fmt.Sprintf("/?attachment_id=%d", id), "</link>\n",
		"\t\t<pubDate>", when.Format(time.RFC1123Z), "</pubDate>\n",
		"\t\t<dc:creator>", cdata("editor"), "</dc:creator>\n",
		"\t\t<guid isPermaLink=\"false\">", u, "</guid>\n\t\t<description></description>\n",
		"\t\t<content:encoded>", cdata(""), "</content:encoded>\n\t\t<excerpt:encoded>", cdata(g.words(false, 8)), "</excerpt:encoded>\n",
		fmt.Sprintf("\t\t<wp:post_id>%d</wp:post_id>\n", id),
		"\t\t<wp:post_date>", cdata(wpDate(when.In(local))), "</wp:post_date>\n",
		"\t\t<wp:post_date_gmt>", cdata(wpDate(when)), "</wp:post_date_gmt>\n",
		"\t\t<wp:comment_status>", cdata("closed"), "</wp:comment_status>\n",
		"\t\t<wp:post_name>", cdata(fmt.Sprintf("photo-%d", id)), "</wp:post_name>\n",
		"\t\t<wp:status>", cdata("inherit"), "</wp:status>\n",
		fmt.Sprintf("\t\t<wp:post_parent>%d</wp:post_parent>\n", parent),
		"\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type>", cdata("attachment"), "</wp:post_type>\n",
		"\t\t<wp:post_password>", cdata(""), "</wp:post_password>\n\t\t<wp:is_sticky>0</wp:is_sticky>\n",
		"\t\t<wp:attachment_url>", cdata(u), "</wp:attachment_url>\n")
	g.meta("_wp_attached_file", file)
	g.meta("_wp_attachment_image_alt", g.words(false, 5))
	g.s("\t</item>\n")
}

func (g *gen) meta(k, v string) {
	g.s("\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>", cdata(k), "</wp:meta_key>\n\t\t\t<wp:meta_value>", cdata(v), "</wp:meta_value>\n\t\t</wp:postmeta>\n")
}

func (g *gen) body(ru bool, thumb int64) string {
	var b strings.Builder
	blocks := g.chance(g.shape.blocks)
	paras := g.shape.parasMin + g.rnd.IntN(g.shape.parasSpan)
	for p := 0; p < paras; p++ {
		text := g.words(ru, g.shape.wordsMin+g.rnd.IntN(g.shape.wordsSpan)) + "."
		if g.rnd.IntN(5) == 0 {
			text += " <strong>" + g.words(ru, 3) + "</strong> &amp; <a href=\"" + base + "/tag/oil/\">" + g.words(ru, 2) + "</a>."
		}
		if blocks {
			b.WriteString("<!-- wp:paragraph -->\n<p>" + text + "</p>\n<!-- /wp:paragraph -->\n\n")
		} else {
			b.WriteString(text + "\n\n")
		}
		if p == 0 {
			if blocks {
				b.WriteString("<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n")
			} else {
				b.WriteString("<!--more-->\n\n")
			}
		}
		if p == 2 && g.opt.Galleries {
			if blocks {
				b.WriteString("<!-- wp:shortcode -->\n[gallery columns=\"3\" size=\"medium\"]\n<!-- /wp:shortcode -->\n\n")
			} else {
				b.WriteString("[gallery columns=\"3\" size=\"medium\"]\n\n")
			}
		}
		if p == 1 && thumb != 0 {
			img := fmt.Sprintf(`<img class="size-large wp-image-%d" src="%s/wp-content/uploads/photo-%d-1024x683.jpg" alt="" width="683" height="455" />`, thumb, base, thumb)
			caption := g.words(ru, 9)
			if blocks {
				b.WriteString(fmt.Sprintf("<!-- wp:image {\"id\":%d,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image size-large\">%s<figcaption>%s</figcaption></figure>\n<!-- /wp:image -->\n\n", thumb, img, caption))
			} else {
				b.WriteString(fmt.Sprintf("[caption id=\"attachment_%d\" align=\"aligncenter\" width=\"683\"]%s %s[/caption]\n\n", thumb, img, caption))
			}
		}
	}
	return b.String()
}

func (g *gen) post(id, thumb int64, when time.Time) {
	ru := g.chance(g.shape.ru)
	title := g.words(ru, 5+g.rnd.IntN(8))
	slug := slugify(title)
	if r := []rune(slug); len(r) > 50 {
		slug = strings.TrimRight(string(r[:50]), "-")
	}
	if ru {
		slug = strings.ToLower(url.PathEscape(slug))
	}
	slug = fmt.Sprintf("%s-%d", slug, id)
	status := "publish"
	switch n := g.rnd.IntN(200); {
	case n == 0:
		status = "draft"
	case n == 1:
		status = "private"
	case n == 2:
		status = "pending"
	}
	link := fmt.Sprintf("%s/%s/%s/", base, when.In(local).Format("2006/01/02"), slug)
	pubDate, gmt := when.Format(time.RFC1123Z), wpDate(when)
	if status == "draft" || status == "pending" {
		link = fmt.Sprintf("%s/?p=%d", base, id)
		pubDate, gmt = "Mon, 30 Nov -0001 00:00:00 +0000", "0000-00-00 00:00:00"
	}
	a := authors[g.rnd.IntN(len(authors))]
	sticky := "0"
	if g.rnd.IntN(500) == 0 {
		sticky = "1"
	}
	excerpt := ""
	if g.rnd.IntN(4) == 0 {
		excerpt = g.words(ru, 25)
	}
	g.s("\t<item>\n\t\t<title>", cdata(title), "</title>\n",
		"\t\t<link>", link, "</link>\n",
		"\t\t<pubDate>", pubDate, "</pubDate>\n",
		"\t\t<dc:creator>", cdata(a.login), "</dc:creator>\n",
		"\t\t<guid isPermaLink=\"false\">", fmt.Sprintf("%s/?p=%d", base, id), "</guid>\n\t\t<description></description>\n",
		"\t\t<content:encoded>", cdata(g.body(ru, thumb)), "</content:encoded>\n",
		"\t\t<excerpt:encoded>", cdata(excerpt), "</excerpt:encoded>\n",
		fmt.Sprintf("\t\t<wp:post_id>%d</wp:post_id>\n", id),
		"\t\t<wp:post_date>", cdata(wpDate(when.In(local))), "</wp:post_date>\n",
		"\t\t<wp:post_date_gmt>", cdata(gmt), "</wp:post_date_gmt>\n",
		"\t\t<wp:post_modified>", cdata(wpDate(when.In(local).Add(time.Hour))), "</wp:post_modified>\n",
		"\t\t<wp:post_modified_gmt>", cdata(wpDate(when.Add(time.Hour))), "</wp:post_modified_gmt>\n",
		"\t\t<wp:comment_status>", cdata("open"), "</wp:comment_status>\n",
		"\t\t<wp:ping_status>", cdata("closed"), "</wp:ping_status>\n",
		"\t\t<wp:post_name>", cdata(slug), "</wp:post_name>\n",
		"\t\t<wp:status>", cdata(status), "</wp:status>\n",
		"\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n",
		"\t\t<wp:post_type>", cdata("post"), "</wp:post_type>\n",
		"\t\t<wp:post_password>", cdata(""), "</wp:post_password>\n",
		"\t\t<wp:is_sticky>", sticky, "</wp:is_sticky>\n")
	// A country under News, sometimes a second section.
	c := categories[1+g.rnd.IntN(5)]
	if ru {
		c = categories[len(categories)-1]
	}
	g.s("\t\t<category domain=\"category\" nicename=\"", c.slug, "\">", cdata(c.name), "</category>\n")
	if g.chance(g.shape.twoCats) {
		c2 := categories[6+g.rnd.IntN(6)]
		g.s("\t\t<category domain=\"category\" nicename=\"", c2.slug, "\">", cdata(c2.name), "</category>\n")
	}
	seen := map[string]bool{}
	for n := g.shape.tagsMin + g.rnd.IntN(g.shape.tagsSpan); n > 0; n-- {
		t := tags[g.rnd.IntN(len(tags))]
		if g.opt.News && seen[t] { // as many distinct tags as drawn
			n++
			continue
		}
		seen[t] = true
		g.s("\t\t<category domain=\"post_tag\" nicename=\"", slugify(t), "\">", cdata(t), "</category>\n")
	}
	if thumb != 0 {
		g.meta("_thumbnail_id", fmt.Sprint(thumb))
	}
	switch g.rnd.IntN(4) {
	case 0:
		g.meta("_yoast_wpseo_title", "%%title%% %%sep%% %%sitename%%")
		g.meta("_yoast_wpseo_metadesc", g.words(ru, 20))
	case 1:
		g.meta("rank_math_title", g.words(ru, 6))
		g.meta("rank_math_description", g.words(ru, 20))
	}
	if status == "publish" {
		for n, parent := g.rnd.IntN(4), int64(0); n > 0; n-- {
			cid := id*10 + int64(n)
			ct := when.Add(time.Duration(1+g.rnd.IntN(48)) * time.Hour)
			g.s(fmt.Sprintf("\t\t<wp:comment>\n\t\t\t<wp:comment_id>%d</wp:comment_id>\n", cid),
				"\t\t\t<wp:comment_author>", cdata("Reader "+fmt.Sprint(g.rnd.IntN(1000))), "</wp:comment_author>\n",
				"\t\t\t<wp:comment_author_email>", cdata("reader@example.com"), "</wp:comment_author_email>\n",
				"\t\t\t<wp:comment_author_url>", cdata(""), "</wp:comment_author_url>\n",
				"\t\t\t<wp:comment_author_IP>", cdata("203.0.113.7"), "</wp:comment_author_IP>\n",
				"\t\t\t<wp:comment_date>", cdata(wpDate(ct.In(local))), "</wp:comment_date>\n",
				"\t\t\t<wp:comment_date_gmt>", cdata(wpDate(ct)), "</wp:comment_date_gmt>\n",
				"\t\t\t<wp:comment_content>", cdata(g.words(ru, 15+g.rnd.IntN(30))), "</wp:comment_content>\n",
				"\t\t\t<wp:comment_approved>", cdata("1"), "</wp:comment_approved>\n",
				"\t\t\t<wp:comment_type>", cdata("comment"), "</wp:comment_type>\n",
				fmt.Sprintf("\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t</wp:comment>\n", parent))
			parent = cid
		}
	}
	g.s("\t</item>\n")
}
