package server_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// The feed addresses WordPress answers besides /feed/: search feeds in
// both shapes, dated archives' feeds, ?feed= on listings and the legacy
// RSS 0.92 and RDF addresses.
func TestWordPressFeedAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		addTranslated(t, f)

		for _, path := range []string{"/?s=pipeline&feed=rss2", "/search/pipeline/feed/rss2/", "/search/pipeline/feed/"} {
			feed, _ := parseFeed(t, f, path)
			if feed.FeedType != "rss" || len(feed.Items) != 20 || feed.Items[0].Title != "Pipeline story 0" {
				t.Errorf("%s: %s with %d items", path, feed.FeedType, len(feed.Items))
			}
			for _, it := range feed.Items {
				if !strings.HasPrefix(it.Title, "Pipeline story") {
					t.Errorf("%s: %q does not match the search", path, it.Title)
				}
			}
		}
		if feed, _ := parseFeed(t, f, "/search/water+talks/feed/atom/"); feed.FeedType != "atom" || len(feed.Items) != 1 || feed.Items[0].Title != "Water talks in Tashkent" {
			t.Errorf("search feed with a space: %s %+v", feed.FeedType, feed.Items)
		}
		if feed, _ := parseFeed(t, f, "/?s=nothing-matches-this&feed=atom"); len(feed.Items) != 0 {
			t.Errorf("a search that finds nothing: %d items", len(feed.Items))
		}

		// testNow is 27 November 2026; the fixture's stories go back a day each.
		month, _ := parseFeed(t, f, "/2026/11/feed/")
		day, _ := parseFeed(t, f, "/2026/11/20/feed/json/")
		year, _ := parseFeed(t, f, "/2026/feed/atom/")
		if len(month.Items) != 20 || len(day.Items) != 1 || day.Items[0].Title != "Pipeline story 6" || len(year.Items) != 20 {
			t.Errorf("archive feeds: month %d, day %d, year %d items", len(month.Items), len(day.Items), len(year.Items))
		}
		for _, it := range month.Items {
			if it.PublishedParsed.Month() != 11 {
				t.Errorf("/2026/11/feed/ carries %q of %s", it.Title, it.Published)
			}
		}
		if resp, _ := f.get(t, "/2026/02/30/feed/"); resp.StatusCode != 404 {
			t.Errorf("a day that does not exist: %d", resp.StatusCode)
		}

		for from, to := range map[string]string{
			"/?feed=rss2":                        "/feed/",
			"/?feed=atom":                        "/feed/atom/",
			"/category/news/?feed=rss2":          "/category/news/feed/",
			"/tag/energy/?feed=atom&lang=en":     "/tag/energy/feed/atom/?lang=en",
			"/author/aigerim-sadykova/?feed=rdf": "/author/aigerim-sadykova/feed/",
			"/2026/11/?feed=json":                "/2026/11/feed/json/",
			"/feed/rdf/":                         "/feed/",
			"/feed/rss/":                         "/feed/",
			"/tag/energy/feed/rdf/":              "/tag/energy/feed/",
			"/search/pipeline/feed/rss/":         "/search/pipeline/feed/",
		} {
			resp, _ := f.get(t, from)
			if resp.StatusCode != 301 || resp.Header.Get("Location") != to {
				t.Errorf("%s: %d to %q, want 301 to %q", from, resp.StatusCode, resp.Header.Get("Location"), to)
			}
		}
		// ?feed= where there is no such feed leaves the page as it was.
		if resp, body := f.get(t, "/water-talks-in-tashkent/?feed=rss2"); resp.StatusCode != 200 || !strings.Contains(body, "Water talks in Tashkent") {
			t.Errorf("an article with ?feed=: %d", resp.StatusCode)
		}
	})
}

// Every public page announces the REST API as WordPress does, in a Link
// header and in the head, so WordPress clients can discover it.
func TestAPIAnnouncedOnPages(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	addTranslated(t, f)
	want := `<` + site + `/wp-json/>; rel="https://api.w.org/"`
	for _, path := range []string{"/", "/water-talks-in-tashkent/", "/tag/energy/", "/2026/11/", "/?s=pipeline", "/no-such-page/"} {
		resp, body := f.get(t, path)
		if got := resp.Header.Values("Link"); !containsString(got, want) {
			t.Errorf("%s: Link %q", path, got)
		}
		expect(t, body, `<link rel="https://api.w.org/" href="`+site+`/wp-json/">`)
	}
	if resp, _ := f.get(t, "/feed/"); len(resp.Header.Values("Link")) != 0 {
		t.Errorf("a feed announces the API: %q", resp.Header.Values("Link"))
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The feeds Dastan serves, at every address WordPress gives them, parse
// cleanly in Python's feedparser, as the feed readers built on it see them.
func TestFeedsInFeedparser(t *testing.T) {
	python := "/usr/bin/python3" // Debian's, which python3-feedparser is installed for
	if err := exec.Command(python, "-c", "import feedparser").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3-feedparser is missing (.ci/run installs it): %v", err)
		}
		t.Skipf("python3-feedparser is not installed (apt-get install python3-feedparser): %v", err)
	}
	f := newFixture(t, storetest.Open(t, "sqlite"))
	addTranslated(t, f)
	paths := []string{"/feed/", "/feed/rss2/", "/feed/atom/", "/feed/rdf/", "/feed/rss/", "/?feed=rss2", "/?feed=atom",
		"/category/news/kazakhstan/feed/", "/tag/energy/feed/atom/", "/author/aigerim-sadykova/feed/", "/ru/feed/",
		"/2026/11/feed/", "/2026/11/20/feed/atom/", "/?s=pipeline&feed=rss2", "/search/pipeline/feed/rss2/", "/search/water+talks/feed/atom/"}
	args := []string{"testdata/feedparse.py"}
	for _, p := range paths {
		args = append(args, f.srv.URL+p)
	}
	out, err := exec.Command(python, args...).Output()
	if err != nil {
		t.Fatalf("feedparse.py: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var got struct {
			URL     string
			Status  int
			Version string
			Bozo    int
			Error   string
			Title   string
			Entries []string
		}
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		path := strings.TrimPrefix(got.URL, f.srv.URL)
		// feedparser follows WordPress's 301s (legacy and ?feed= addresses)
		// and reports the redirect's status.
		if (got.Status != 200 && got.Status != 301) || got.Bozo != 0 || got.Version == "" || got.Title == "" || len(got.Entries) == 0 {
			t.Errorf("%s: status %d, %q, bozo %d %s, %d entries", path, got.Status, got.Version, got.Bozo, got.Error, len(got.Entries))
		}
		n++
	}
	if n != len(paths) {
		t.Fatalf("feedparser answered %d of %d feeds:\n%s", n, len(paths), out)
	}
}

// Articles announce their oEmbed card, and the card's page may be framed
// by any site while it runs nothing.
func TestOEmbedDiscoveryAndCard(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	addTranslated(t, f)
	_, body := f.get(t, "/water-talks-in-tashkent/")
	expect(t, body, `<link rel="alternate" type="application/json+oembed" href="`+site+`/wp-json/oembed/1.0/embed?url=http%3A%2F%2Flocalhost%3A8080%2Fwater-talks-in-tashkent%2F">`,
		`type="text/xml+oembed"`)
	resp, card := f.get(t, "/water-talks-in-tashkent/embed/")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") ||
		strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src") {
		t.Errorf("card: %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	expect(t, card, `<h1><a href="`+site+`/water-talks-in-tashkent/" target="_top">Water talks in Tashkent</a></h1>`, "Read the article", `alt="The river"`)
	if strings.Contains(card, "<script") {
		t.Error("the card runs a script")
	}
	if resp, _ := f.get(t, "/no-such-story/embed/"); resp.StatusCode != 404 {
		t.Errorf("card of nothing: %d", resp.StatusCode)
	}
}
