package news

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

// ClickEmbedOrigins are the players a reader may load into a page by
// clicking a post's placeholder: they are framed by the site's script,
// never by the body, so pages allow them in frame-src beside
// EmbedOrigins.
var ClickEmbedOrigins = []string{
	"https://www.youtube-nocookie.com",
	"https://platform.twitter.com",
	"https://t.me",
	"https://www.instagram.com",
}

var (
	// reEmbedBlock is the visual editor's embed: a paragraph with the
	// post's address as its one link.
	reEmbedBlock = regexp.MustCompile(`<p class="embed"><a href="([^"<>]+)"[^>]*>[^<]*</a></p>`)
	reTweet      = regexp.MustCompile(`^https://(?:www\.|mobile\.)?(?:x|twitter)\.com/[A-Za-z0-9_]{1,15}/status/(\d{1,25})`)
	reTelegram   = regexp.MustCompile(`^https://t\.me/([A-Za-z0-9_]{3,64})/(\d{1,12})`)
	reInstagram  = regexp.MustCompile(`^https://(?:www\.)?instagram\.com/(p|reel)/([A-Za-z0-9_-]{4,40})`)
	// reClickPlayer is what a placeholder's data-embed may hold: the
	// players above, nothing else.
	reClickPlayer = regexp.MustCompile(`^(https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]+` +
		`|https://platform\.twitter\.com/embed/Tweet\.html\?id=\d+` +
		`|https://t\.me/[A-Za-z0-9_]+/\d+\?embed=1` +
		`|https://www\.instagram\.com/(p|reel)/[A-Za-z0-9_-]+/embed/)$`)
)

// ClickEmbed returns the service a post's address belongs to and the
// player that shows it, or "" for an address of none of them.
func ClickEmbed(raw string) (provider, player string) {
	u := strings.TrimSpace(html.UnescapeString(raw))
	if v := videoEmbedURL(u); v != "" && strings.Contains(v, "youtube") {
		if p, err := url.Parse(v); err == nil {
			return "YouTube", "https://www.youtube-nocookie.com" + p.Path
		}
	}
	if m := reTweet.FindStringSubmatch(u); m != nil {
		return "X", "https://platform.twitter.com/embed/Tweet.html?id=" + m[1]
	}
	if m := reTelegram.FindStringSubmatch(u); m != nil {
		return "Telegram", "https://t.me/" + m[1] + "/" + m[2] + "?embed=1"
	}
	if m := reInstagram.FindStringSubmatch(u); m != nil {
		return "Instagram", "https://www.instagram.com/" + m[1] + "/" + m[2] + "/embed/"
	}
	return "", ""
}

// clickEmbeds turns the visual editor's embeds into placeholders that
// load nothing from the other service: a link to the post, which the
// site's script replaces with the player when the reader clicks it.
// Without the script, the link opens the post at the service.
func clickEmbeds(s string) string {
	if !strings.Contains(s, `<p class="embed">`) {
		return s
	}
	return reEmbedBlock.ReplaceAllStringFunc(s, func(block string) string {
		addr := reEmbedBlock.FindStringSubmatch(block)[1]
		provider, player := ClickEmbed(addr)
		if provider == "" {
			return block
		}
		a := html.EscapeString(html.UnescapeString(addr))
		return `<figure class="embed embed-click"><a class="embed-load" href="` + a + `" data-embed="` + html.EscapeString(player) + `">` +
			provider + `: ` + a + `</a></figure>`
	})
}
