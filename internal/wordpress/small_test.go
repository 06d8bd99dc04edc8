package wordpress_test

import (
	"fmt"
	"strings"
)

// Small exports written for one test each: wxrDoc wraps items in a
// channel of the given WXR version, its namespace under scheme ("http" or
// "https"); WordPress wrote http until 4.x and https since.
func wxrDoc(scheme, version string, authors bool, items ...string) string {
	ns := scheme + "://wordpress.org/export/" + version + "/"
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="%sexcerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="%s">
<channel>
	<title>The Times of Central Asia</title>
	<link>https://timesca.example</link>
	<language>en-US</language>
	<wp:wxr_version>%s</wp:wxr_version>
	<wp:base_site_url>https://timesca.example</wp:base_site_url>
	<wp:base_blog_url>https://timesca.example</wp:base_blog_url>
`, ns, ns, version)
	if authors {
		// WXR 1.1 lists authors without ids; 1.2 adds them.
		id := ""
		if version == "1.2" {
			id = "<wp:author_id>2</wp:author_id>"
		}
		fmt.Fprintf(&b, "\t<wp:author>%s<wp:author_login><![CDATA[aigerim]]></wp:author_login><wp:author_email>a@example.com</wp:author_email><wp:author_display_name><![CDATA[Aigerim Sadykova]]></wp:author_display_name></wp:author>\n", id)
	}
	b.WriteString("\t<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[news]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>\n")
	b.WriteString("\t<wp:tag><wp:term_id>4</wp:term_id><wp:tag_slug><![CDATA[tenge]]></wp:tag_slug><wp:tag_name><![CDATA[Tenge]]></wp:tag_name></wp:tag>\n")
	for _, it := range items {
		b.WriteString(it)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.String()
}

// wxrPost is a published post of 2025-03-26 by aigerim in News, tagged
// tenge; meta are extra <wp:postmeta> key, value pairs.
func wxrPost(id int, slug, title, body string, meta ...string) string {
	var m strings.Builder
	for i := 0; i+1 < len(meta); i += 2 {
		fmt.Fprintf(&m, "\t\t<wp:postmeta><wp:meta_key><![CDATA[%s]]></wp:meta_key><wp:meta_value><![CDATA[%s]]></wp:meta_value></wp:postmeta>\n", meta[i], meta[i+1])
	}
	return fmt.Sprintf(`	<item>
		<title>%s</title>
		<link>https://timesca.example/2025/03/26/%s/</link>
		<pubDate>Wed, 26 Mar 2025 04:30:00 +0000</pubDate>
		<dc:creator><![CDATA[aigerim]]></dc:creator>
		<guid isPermaLink="false">https://timesca.example/?p=%d</guid>
		<content:encoded><![CDATA[%s]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>%d</wp:post_id>
		<wp:post_date><![CDATA[2025-03-26 09:30:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2025-03-26 04:30:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[%s]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="news"><![CDATA[News]]></category>
		<category domain="post_tag" nicename="tenge"><![CDATA[Tenge]]></category>
%s		<wp:comment>
			<wp:comment_id>%d</wp:comment_id>
			<wp:comment_author><![CDATA[Reader]]></wp:comment_author>
			<wp:comment_date_gmt><![CDATA[2025-03-26 05:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Thank you]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_parent>0</wp:comment_parent>
		</wp:comment>
	</item>
`, title, slug, id, body, id, slug, m.String(), id*10)
}

// wxrAttachment is an upload attached to post parent.
func wxrAttachment(id, parent int, url, alt string) string {
	return fmt.Sprintf(`	<item>
		<title>Attachment %d</title>
		<link>https://timesca.example/?attachment_id=%d</link>
		<pubDate>Wed, 26 Mar 2025 04:00:00 +0000</pubDate>
		<dc:creator><![CDATA[aigerim]]></dc:creator>
		<guid isPermaLink="false">%s</guid>
		<content:encoded><![CDATA[]]></content:encoded>
		<excerpt:encoded><![CDATA[Caption %d]]></excerpt:encoded>
		<wp:post_id>%d</wp:post_id>
		<wp:post_date_gmt><![CDATA[2025-03-26 04:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[attachment-%d]]></wp:post_name>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_parent>%d</wp:post_parent>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[%s]]></wp:attachment_url>
		<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[%s]]></wp:meta_value></wp:postmeta>
	</item>
`, id, id, url, id, id, id, parent, url, alt)
}
