package news

// EmbedOrigins are the players a body may frame: the origins whose
// iframes the body sanitizer (newBodyPolicy) keeps. Pages that show
// bodies allow exactly these in their Content-Security-Policy's
// frame-src; a test holds the two together.
var EmbedOrigins = []string{
	"https://www.youtube.com",
	"https://youtube.com",
	"https://www.youtube-nocookie.com",
	"https://youtube-nocookie.com",
	"https://player.vimeo.com",
}
