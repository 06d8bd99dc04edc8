package links

import (
	"net/url"
	"testing"
)

// Every path the site answers, as its routers read them.
func TestScheme(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Article("silk-road"), "/silk-road/"},
		{Section("news/kazakhstan"), "/category/news/kazakhstan/"},
		{Tag("energy"), "/tag/energy/"},
		{Author("aida"), "/author/aida/"},
		{Archive(2025, 0, 0), "/2025/"},
		{Archive(2025, 3, 0), "/2025/03/"},
		{Archive(2025, 3, 6), "/2025/03/06/"},
		{Dir(nil), "/"},
		{Dir([]string{"tag", "x"}), "/tag/x/"},
		{Page(Home, 1), "/"},
		{Page(Home, 3), "/page/3/"},
		{Page(Tag("energy"), 2), "/tag/energy/page/2/"},
		{Feed(Home, FeedRSS), "/feed/"},
		{Feed(Section("news"), FeedAtom), "/category/news/feed/atom/"},
		{Feed(Author("aida"), FeedJSON), "/author/aida/feed/json/"},
		{LangFeed("ru", FeedRSS), "/ru/feed/"},
		{Search(nil), "/search/"},
		{Search(url.Values{"q": {"oil gas"}}), "/search/?q=oil+gas"},
		{SitemapPage("articles", 2), "/sitemap-articles-2.xml"},
		{RatesRange(90), "/rates/?range=90#charts"},
		{RatesCurrency("KZT"), "/rates/#KZT"},
		{Static("site.css"), "/static/site.css"},
		{Abs("https://x.test", Tag("a")), "https://x.test/tag/a/"},
		{Abs("https://x.test", "//cdn/x.jpg"), "//cdn/x.jpg"},
		{NewsroomArticle(7), "/newsroom/articles/7/"},
		{NewsroomPreview(7), "/newsroom/articles/7/preview"},
		{NewsroomRevision(7, 9), "/newsroom/articles/7/revisions/9"},
		{NewsroomRestore(7), "/newsroom/articles/7/restore"},
		{NewsroomLock(7), "/newsroom/articles/7/lock"},
		{NewsroomShare(7), "/newsroom/articles/7/share"},
		{PreviewLink("b.x-Y_z"), "/preview/b.x-Y_z"},
		{NewsroomHeartbeat(7), "/newsroom/articles/7/heartbeat"},
		{NewsroomRelease(7), "/newsroom/articles/7/release"},
		{NewsroomMediaItem(4), "/newsroom/media/4"},
		{NewsroomReset("abc_-1"), "/newsroom/reset/abc_-1"},
		{NewsroomSigninNext("/newsroom/x/?a=1"), "/newsroom/signin?next=%2Fnewsroom%2Fx%2F%3Fa%3D1"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for path, want := range map[string]string{"/silk-road/": "silk-road", "/tag/x/": "", "/": "", "//": "", "silk-road/": "", "/silk-road": ""} {
		if got, ok := ArticleSlug(path); got != want || ok != (want != "") {
			t.Errorf("ArticleSlug(%q) = %q, %v", path, got, ok)
		}
	}
	if _, err := newsroomScreen("nowhere"); err == nil {
		t.Error("an unknown newsroom screen gave no error")
	}
}
