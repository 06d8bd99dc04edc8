package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestFrontPageLeadsWithPictures checks the image-led front page: the
// lead's picture with its renditions loads first, every other picture
// lazily at its size, the newest stories are listed across sections, a
// block opens with a picture and an excerpt, and the countries are in
// the navigation.
func TestFrontPageLeadsWithPictures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.save(t, &news.Article{Title: "Lead with a picture", BodySource: "Astana weighs the budget. Traders wait.", Sticky: true,
			Status: news.StatusPublished, PublishedAt: testNow.Add(-30 * time.Hour),
			Image: &news.Figure{URL: "/media/steppe-1600.jpg", Alt: "The steppe", Width: 1600, Height: 900,
				SrcSet: "/media/steppe-480.jpg 480w, /media/steppe-1600.jpg 1600w"}})
		f.save(t, &news.Article{Title: "Newest with a picture", BodySource: "Grain exports grew again in the autumn months of the year.",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour),
			Image: &news.Figure{URL: "/media/train-800.jpg", Alt: "A train", Width: 800, Height: 450}})
		_, body := f.get(t, "/")
		lead := regexp.MustCompile(`<article class="lead"[^>]*>\s*<figure>.*?<img ([^>]*)>`).FindStringSubmatch(body)
		if lead == nil {
			t.Fatalf("no lead picture on the front page:\n%s", body)
		}
		expectAttrs(t, "lead", lead[1], `src="/media/steppe-1600.jpg"`, `srcset="/media/steppe-480.jpg 480w, /media/steppe-1600.jpg 1600w"`,
			`sizes="`, `width="1600" height="900"`, `fetchpriority="high"`)
		if strings.Contains(lead[1], "lazy") {
			t.Errorf("the lead picture loads lazily: %s", lead[1])
		}
		others := regexp.MustCompile(`<img ([^>]*train-800[^>]*)>`).FindAllStringSubmatch(body, -1)
		if len(others) == 0 {
			t.Fatal("the newest story's picture is not on the front page")
		}
		for _, o := range others {
			expectAttrs(t, "other picture", o[1], `loading="lazy"`, `width="800" height="450"`)
		}
		expect(t, body, `id="latest-h"`, `<li class="sub"><a href="/category/news/kazakhstan/"`, `<article class="card first"`,
			`<p class="excerpt">Energy pipelines matter.`)
		if strings.Count(body, `href="/lead-with-a-picture/"`) > 2 {
			t.Error("the lead repeats in the blocks below it")
		}
	})
}

func expectAttrs(t *testing.T, what, attrs string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(attrs, w) {
			t.Errorf("%s <img %s> lacks %s", what, attrs, w)
		}
	}
}

// TestNumberedPager checks the pager's numbers, first and last links and
// the rel links in the head.
func TestNumberedPager(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	cfg := testConfig(t)
	cfg.PageSize = 2 // 23 articles make 12 pages
	f := newFixtureConfig(t, db, cfg)
	_, body := f.get(t, "/category/news/kazakhstan/page/6/")
	expect(t, body, `<link rel="prev" href="/category/news/kazakhstan/page/5/">`, `<link rel="next" href="/category/news/kazakhstan/page/7/">`,
		`href="/category/news/kazakhstan/" aria-label="First page"`, `href="/category/news/kazakhstan/page/12/" aria-label="Last page"`,
		`href="/category/news/kazakhstan/page/6/" aria-current="page"`, `aria-label="Page 4">4</a>`, `aria-label="Page 8">8</a>`,
		`aria-label="Page 1">1</a>`, `aria-label="Page 12">12</a>`, "Page 6 of 12")
	for _, absent := range []string{`aria-label="Page 3">`, `aria-label="Page 9">`} {
		if strings.Contains(body, absent) {
			t.Errorf("pager shows %s, outside its window", absent)
		}
	}
	if n := strings.Count(body, `class="gap"`); n != 2 {
		t.Errorf("pager has %d gaps, want 2", n)
	}
	_, body = f.get(t, "/category/news/kazakhstan/")
	if strings.Contains(body, `rel="prev"`) || strings.Contains(body, "First page") {
		t.Error("the first page links to a previous or first page")
	}
}

// TestArticleRailAndListingExcerpts checks the rail beside an article
// and that listings show the configured number of words, read from the
// body when the stored excerpt is shorter, ending cleanly.
func TestArticleRailAndListingExcerpts(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	cfg := testConfig(t)
	cfg.ListingExcerptWords = 60
	f := newFixtureConfig(t, db, cfg)
	long := strings.Repeat("Traders in Almaty watched the tenge closely all week. ", 20)
	f.save(t, &news.Article{Title: "Long story", BodySource: long, Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour)})
	_, body := f.get(t, "/pipeline-story-3/")
	expect(t, body, `<aside class="rail"`, `id="rail-latest"`, `More in <a href="/category/news/kazakhstan/">Kazakhstan</a>`,
		`href="/long-story/"`, `<span class="nowrap">1 min read</span>`)
	_, body = f.get(t, "/category/news/kazakhstan/")
	ex := regexp.MustCompile(`<p class="excerpt">([^<]*)</p>`).FindStringSubmatch(body)
	if ex == nil {
		t.Fatal("no excerpt in the listing")
	}
	if n := len(strings.Fields(ex[1])); n < 50 || n > 60 {
		t.Errorf("listing excerpt has %d words, want up to 60 ending at a sentence: %q", n, ex[1])
	}
	if !strings.HasSuffix(ex[1], "week.") {
		t.Errorf("listing excerpt does not end at a sentence: %q", ex[1])
	}
}

const browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

// TestMostReadFromBeacons checks that article pages report reads with a
// beacon, counted once an hour per reader, without crawlers, and that the
// most read show on the front page and beside articles.
func TestMostReadFromBeacons(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := testConfig(t)
		f := newFixtureConfig(t, db, cfg)
		srv, ts := fixtures.Serve(t, server.Options{Config: cfg, Store: db, Now: f.clock.Now})
		f.srv = ts
		resp, body := f.get(t, "/pipeline-story-5/")
		if resp.StatusCode != 200 {
			t.Fatalf("article: %d", resp.StatusCode)
		}
		beacon := regexp.MustCompile(`data-read="(/read/\d+)"`).FindStringSubmatch(body)
		if beacon == nil || !regexp.MustCompile(`<script src="/static/read\.js\?v=\w+" defer>`).MatchString(body) {
			t.Fatal("the article page has no read beacon")
		}
		post := func(path, ua string, header ...string) {
			t.Helper()
			req, _ := http.NewRequest("POST", ts.URL+path, nil)
			req.Header.Set("User-Agent", ua)
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("beacon: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
			}
		}
		post(beacon[1], browserUA)
		post(beacon[1], browserUA) // the same reader again: once an hour
		post(beacon[1], "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
		post(beacon[1], "curl/8.5.0")
		post(beacon[1], browserUA, "Origin", "https://elsewhere.example")
		srv.FlushReads(context.Background())
		day, err := db.MostRead(context.Background(), testNow.Add(-24*time.Hour), testNow, 5)
		must(t, err)
		if len(day) != 1 || day[0].Reads != 1 || day[0].Article.Slug != "pipeline-story-5" {
			t.Fatalf("most read = %+v, want pipeline-story-5 read once", day)
		}
		_, body = f.get(t, "/pipeline-story-2/")
		expect(t, body, `id="rail-read"`, `Most read today`)
		_, body = f.get(t, "/")
		expect(t, body, `id="read-h"`, `<ol class="headlines ranked"><li><a href="/pipeline-story-5/">`)
	})
}
