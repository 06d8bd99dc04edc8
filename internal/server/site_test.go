package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"dastan/internal/config"
	"dastan/internal/demo"
	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// The shared fixtures under the names these tests use.
var must = fixtures.Must

type fixture struct {
	db    *store.DB
	srv   *httptest.Server
	clock *fixtures.Clock
	kz    news.Section
	a1    news.Author
}

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// testConfig is the default settings, with files in a temporary folder.
func testConfig(t *testing.T) config.Config { return fixtures.Config(t) }

// newFixture starts the full router over a real store with a small
// newsroom: News > Kazakhstan, an author, and 23 published articles.
func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	return newFixtureConfig(t, db, testConfig(t))
}

// newFixtureConfig is newFixture with the given settings.
func newFixtureConfig(t *testing.T, db *store.DB, cfg config.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, clock: fixtures.NewClock(testNow)}
	nw := news.Section{Name: "News"}
	must(t, db.SaveSection(ctx, &nw))
	f.kz = news.Section{Name: "Kazakhstan", ParentID: nw.ID}
	must(t, db.SaveSection(ctx, &f.kz))
	f.a1 = news.Author{Name: "Aigerim Sadykova", Bio: "Covers energy."}
	must(t, db.SaveAuthor(ctx, &f.a1))
	for i := 0; i < 23; i++ {
		f.save(t, &news.Article{Title: fmt.Sprintf("Pipeline story %d", i), BodySource: "Energy **pipelines** matter.",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Duration(i+1) * 24 * time.Hour), Tags: []news.Tag{{Name: "Energy"}}})
	}
	_, f.srv = fixtures.Serve(t, server.Options{Config: cfg, Store: db, Now: f.clock.Now})
	return f
}

func (f *fixture) save(t *testing.T, a *news.Article) {
	t.Helper()
	if a.Lang == "" {
		a.Lang = "en"
	}
	if a.BodyFormat == "" {
		a.BodyFormat = news.FormatMarkdown
	}
	if a.SectionID == 0 {
		a.SectionID = f.kz.ID
	}
	if a.Authors == nil {
		a.Authors = []news.Author{f.a1}
	}
	must(t, news.Prepare(a, 240, nil))
	must(t, f.db.SaveArticle(context.Background(), a, 0, ""))
}

// get fetches path without following redirects.
func (f *fixture) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func expect(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestPublicPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		resp, body := f.get(t, "/")
		if resp.StatusCode != 200 {
			t.Fatalf("home: %d", resp.StatusCode)
		}
		expect(t, body, "27 November 2026", "Pipeline story 0", `href="/category/news/kazakhstan/"`)

		resp, body = f.get(t, "/pipeline-story-3/")
		if resp.StatusCode != 200 {
			t.Fatalf("article: %d", resp.StatusCode)
		}
		expect(t, body, "<h1>Pipeline story 3</h1>", `href="/author/aigerim-sadykova/"`, `href="/tag/energy/"`,
			"<strong>pipelines</strong>", "min read", `class="related"`, "News</a> › <a")

		resp, body = f.get(t, "/category/news/kazakhstan/page/2/")
		if resp.StatusCode != 200 {
			t.Fatalf("section page 2: %d", resp.StatusCode)
		}
		expect(t, body, "Viewing results 11 - 20 of 23", "Pipeline story 10", `rel="prev"`, `rel="next"`)
		_, body = f.get(t, "/category/news/") // a parent shows its children's articles
		expect(t, body, "Viewing results 1 - 10 of 23")
		_, body = f.get(t, "/tag/energy/page/3/")
		expect(t, body, "Viewing results 21 - 23 of 23")
		_, body = f.get(t, "/author/aigerim-sadykova/")
		expect(t, body, "Aigerim Sadykova", "Covers energy.", "of 23")
		_, body = f.get(t, "/2026/11/")
		expect(t, body, "Archive: November 2026", "of 23") // one a day, 4 to 26 November
		_, body = f.get(t, "/2026/10/")
		expect(t, body, "Nothing has been published here yet.")
	})
}

func TestNotFoundAndRedirects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, path := range []string{"/no-such-story/", "/category/nowhere/", "/tag/nothing/", "/author/nobody/",
			"/category/news/kazakhstan/page/99/", "/2026/13/", "/2026/02/30/", "/%00/", "/page/x/", "/a/b/c/d/e/"} {
			resp, body := f.get(t, path)
			if resp.StatusCode != 404 {
				t.Errorf("%s: status %d", path, resp.StatusCode)
			}
			expect(t, body, `name="s"`)
			if strings.Contains(body, "goroutine") || strings.Contains(body, "sql:") {
				t.Errorf("%s leaks internals", path)
			}
		}
		resp, _ := f.get(t, "/pipeline-story-3")
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/pipeline-story-3/" {
			t.Errorf("no trailing slash: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, _ = f.get(t, "/2026/11/23/pipeline-story-3/")
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/pipeline-story-3/" {
			t.Errorf("dated permalink: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestConditionalGetAndCacheInvalidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		resp, _ := f.get(t, "/pipeline-story-1/")
		etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if etag == "" || lm == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
			t.Fatalf("validators: etag %q last-modified %q cache-control %q", etag, lm, resp.Header.Get("Cache-Control"))
		}
		if resp, _ := f.get(t, "/pipeline-story-1/", "If-None-Match", etag); resp.StatusCode != 304 {
			t.Fatalf("If-None-Match: %d", resp.StatusCode)
		}
		if resp, _ := f.get(t, "/pipeline-story-1/", "If-Modified-Since", lm); resp.StatusCode != 304 {
			t.Fatalf("If-Modified-Since: %d", resp.StatusCode)
		}
		a, err := db.ArticleBySlug(context.Background(), "pipeline-story-1")
		must(t, err)
		a.Title = "Pipeline story, corrected"
		f.save(t, &a)
		resp, body := f.get(t, "/pipeline-story-1/", "If-None-Match", etag)
		if resp.StatusCode != 200 || !strings.Contains(body, "Pipeline story, corrected") {
			t.Fatalf("after an edit the cached page stayed: %d", resp.StatusCode)
		}
		_, body = f.get(t, "/tag/energy/")
		expect(t, body, "Pipeline story, corrected")
	})
}

func TestDraftsHiddenAndSchedulingAppearsByItself(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.save(t, &news.Article{Title: "Unfinished draft", BodySource: "x", Status: news.StatusDraft})
		f.save(t, &news.Article{Title: "Embargoed budget", BodySource: "x", Status: news.StatusScheduled, PublishedAt: testNow.Add(time.Hour)})
		if resp, _ := f.get(t, "/unfinished-draft/"); resp.StatusCode != 404 {
			t.Errorf("draft: %d", resp.StatusCode)
		}
		if resp, _ := f.get(t, "/embargoed-budget/"); resp.StatusCode != 404 {
			t.Errorf("scheduled before its time: %d", resp.StatusCode)
		}
		_, body := f.get(t, "/")
		if strings.Contains(body, "Embargoed budget") {
			t.Error("front page shows an embargoed story")
		}
		f.clock.Set(testNow.Add(61 * time.Minute))
		// The page cache still holds the front page; the server's
		// scheduler purges it when the article comes due. Here we
		// skip the wait by asking the store directly, as the job does.
		if _, err := db.PublishDue(context.Background(), f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if resp, _ := f.get(t, "/embargoed-budget/"); resp.StatusCode != 200 {
			t.Errorf("scheduled after its time: %d", resp.StatusCode)
		}
		_, body = f.get(t, "/")
		expect(t, body, "Embargoed budget")
	})
}

func TestHostileBodiesAreSanitized(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.save(t, &news.Article{Title: "Hostile", BodyFormat: news.FormatHTML, Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour),
			BodySource: `<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)><div`})
		_, body := f.get(t, "/hostile/")
		main := body[strings.Index(body, `<div class="body">`):]
		for _, bad := range []string{"<script", "onclick", "javascript:", "onerror"} {
			if strings.Contains(main, bad) {
				t.Errorf("article body contains %q", bad)
			}
		}
	})
}

func TestPasswordProtected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.save(t, &news.Article{Title: "Members only", BodySource: "The secret paragraph.", Password: "open sesame", Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour)})
		_, body := f.get(t, "/members-only/")
		if strings.Contains(body, "secret paragraph") || !strings.Contains(body, `name="post_password"`) {
			t.Fatal("protected article shown without its password")
		}
		resp, err := http.PostForm(f.srv.URL+"/members-only/", map[string][]string{"post_password": {"wrong"}})
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "secret paragraph") || !strings.Contains(string(b), "not right") {
			t.Fatal("wrong password accepted")
		}
		resp, err = http.PostForm(f.srv.URL+"/members-only/", map[string][]string{"post_password": {"open sesame"}})
		must(t, err)
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), "secret paragraph") || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatal("right password did not unlock, or the unlocked page is cacheable")
		}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	cfg := testConfig(t)
	cfg.MetricsToken = "scrape-0123456789abcdef"
	f := newFixtureConfig(t, storetest.Open(t, "sqlite"), cfg)
	if resp, body := f.get(t, "/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Fatalf("healthz: %d %q", resp.StatusCode, body)
	}
	f.get(t, "/")
	f.get(t, "/")
	_, body := f.get(t, "/metrics", "Authorization", "Bearer "+cfg.MetricsToken)
	expect(t, body, `dastan_http_requests_total{route="home",code="2xx"} 2`, "dastan_page_cache_hits_total 1",
		`dastan_http_request_duration_seconds_bucket{route="home",le="+Inf"} 2`)
	if !regexp.MustCompile(`(?m)^dastan_page_cache_bytes \d+`).MatchString(body) {
		t.Error("no page cache size gauge")
	}
}

// The front page of a full demo newsroom stays light: HTML plus CSS
// under 60 KB, as the issue asks of a page readers load on slow links.
func TestHomePageWeight(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	must(t, demo.Fill(context.Background(), db, demo.Options{Articles: 1200, Seed: 1, End: testNow}))
	_, ts := fixtures.Serve(t, server.Options{Config: testConfig(t), Store: db, Now: func() time.Time { return testNow }})
	f := &fixture{srv: ts}
	resp, home := f.get(t, "/")
	if resp.StatusCode != 200 {
		t.Fatalf("home: %d", resp.StatusCode)
	}
	css := regexp.MustCompile(`href="(/static/site\.css[^"]*)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	_, sheet := f.get(t, strings.ReplaceAll(css[1], "&amp;", "&"))
	if total := len(home) + len(sheet); total > 60*1024 || len(sheet) < 1000 {
		t.Fatalf("home %d bytes + css %d bytes = %d, want under 61440", len(home), len(sheet), total)
	} else {
		t.Logf("home %d bytes + css %d bytes", len(home), len(sheet))
	}
	if strings.Count(home, "<section class=\"block\"") < 10 {
		t.Error("front page lacks the sections' and countries' blocks")
	}
}
