package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

func TestSearchPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.save(t, &news.Article{Title: "Токаев открыл газопровод", Lang: "ru", BodySource: "Президент Токаев открыл новый газопровод в степи.",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-2 * time.Hour)})

		resp, body := f.get(t, "/?s=pipelines")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		expect(t, body, "Viewing results 1 - 10 of 23 for “pipelines”", "<mark>Pipeline</mark> story", "<mark>pipelines</mark>",
			`href="/category/news/kazakhstan/"`, `rel="author"`, "Aigerim Sadykova", `rel="next" href="/search/?page=2&amp;q=pipelines"`)

		_, body = f.get(t, "/search/?q=pipelines&page=3")
		expect(t, body, "Viewing results 21 - 23 of 23 for “pipelines”", `rel="prev"`)
		// WordPress's paged is a page too.
		_, body = f.get(t, "/?s=pipelines&paged=3")
		expect(t, body, "Viewing results 21 - 23 of 23 for “pipelines”")

		// Filters are kept across pages and can be removed one by one.
		_, body = f.get(t, "/search/?q=pipeline&tag=energy&lang=en&section=news/kazakhstan&author=aigerim-sadykova")
		expect(t, body, "of 23 for", "Tag: Energy", "Language: English", "Section: Kazakhstan", "Author: Aigerim Sadykova",
			"page=2&amp;q=pipeline&amp;section=news%2Fkazakhstan&amp;tag=energy")
		_, body = f.get(t, "/search/?q=pipeline&lang=ru")
		expect(t, body, "No results for “pipeline”")
		_, body = f.get(t, "/search/?q=pipeline&from=2026-11-20&to=2026-11-24")
		expect(t, body, "Viewing results 1 - 5 of 5")

		// Names across scripts, marked in the snippet as written, in all
		// languages (the English edition searches English by default).
		_, body = f.get(t, "/search/?q=Tokayev")
		expect(t, body, "No results for “Tokayev”", "Only in Russian", "All languages")
		_, body = f.get(t, "/search/?q=Tokayev&lang=all")
		expect(t, body, "of 1 for “Tokayev”", "<mark>Токаев</mark> открыл", `<span class="result-lang" lang="en">Russian</span>`)

		// A misspelling that matches nothing is searched as the speller
		// corrects it, once the speller (built beside serving at start) is
		// ready, with a link to search as typed.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			_, body = f.get(t, "/search/?q=pipelnie")
			if strings.Contains(body, "Showing results for") || time.Now().After(deadline) {
				break
			}
		}
		expect(t, body, "Showing results for <strong>pipeline</strong> — search instead for <a href=\"/search/?literal=1&amp;q=pipelnie\">pipelnie</a>",
			"Viewing results 1 - 10 of 23 for “pipeline”", "<mark>pipelines</mark>")
		_, body = f.get(t, "/search/?q=pipelnie&literal=1")
		expect(t, body, "No results for “pipelnie”")
		if strings.Contains(body, "Showing results for") || strings.Contains(body, "Did you mean") {
			t.Error("literal=1 still corrects")
		}
		// Partial matches (story) are no reason not to correct pipelnie.
		_, body = f.get(t, "/search/?q=pipelnie+story")
		expect(t, body, "Showing results for <strong>pipeline story</strong>")
		// WordPress's address is corrected alike, and so is a misspelt name,
		// by its key, across scripts.
		// The speller learns Токаев spellerDelay after it was saved.
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			_, body = f.get(t, "/?s=Tokayv&lang=all")
			if strings.Contains(body, "Showing results for") || time.Now().After(deadline) {
				break
			}
		}
		expect(t, body, "Showing results for <strong>Токаев</strong>", "of 1 for “Токаев”", "<mark>Токаев</mark> открыл")

		// By date, newest first.
		_, body = f.get(t, "/search/?q=story&sort=date")
		if strings.Index(body, "Pipeline story 0") > strings.Index(body, "Pipeline story 1<") {
			t.Error("sort=date is not newest first")
		}
	})
}

func TestSearchHostileInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		inputs := []string{"", "   ", "!!!", `"`, `"""`, "-", "OR", "- OR -", strings.Repeat("pipeline ", 1200),
			`'; DROP TABLE articles;--`, `NEAR(a b)`, `title:x*`, `pipeline AND OR NOT`, "a\x00b", "\xff\xfe", `\`, `%`, `{}`, "((("}
		for _, in := range inputs {
			for _, path := range []string{"/?s=", "/search/?q=", "/api/v1/search?q="} {
				raw := path + url.QueryEscape(in)
				resp, body := f.get(t, raw)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d", raw[:min(len(raw), 60)], resp.StatusCode)
				}
				for _, bad := range []string{"Something went wrong", "SQL", "syntax error", "fts5", "tsquery"} {
					if strings.Contains(body, bad) {
						t.Errorf("%s: page says %q", raw[:min(len(raw), 60)], bad)
					}
				}
			}
		}
		// Raw bytes the browser would not encode.
		for _, raw := range []string{"/?s=%ff", "/search/?q=%00", "/search/?q=pipeline&page=-1", "/search/?q=pipeline&page=99999999999",
			"/search/?q=pipeline&from=yesterday&tag=%ff&section=..%2f&author=%00", "/search/?q=pipeline&page=50"} {
			resp, body := f.get(t, raw)
			if resp.StatusCode != http.StatusOK || strings.Contains(body, "Something went wrong") {
				t.Errorf("%s: status %d", raw, resp.StatusCode)
			}
		}
	})
}

func TestSearchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		resp, body := f.get(t, "/api/v1/search?q=pipelines&page=2")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("content type %q", ct)
		}
		var got struct {
			Total, Page, Pages int
			Results            []struct {
				Title, TitleHTML, URL, Date, Section, Snippet string
				Authors                                       []string
			}
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got.Total != 23 || got.Page != 2 || got.Pages != 3 || len(got.Results) != 10 {
			t.Fatalf("got %+v", got)
		}
		// per_page sets the page's size, within 1..100 as every paged endpoint.
		for _, c := range []struct {
			query             string
			perPage, pages, n int
		}{{"per_page=5&page=2", 5, 5, 5}, {"per_page=20&page=2", 20, 2, 3}, {"per_page=0", 1, 23, 1}, {"per_page=500", 100, 1, 23}, {"per_page=x", 10, 3, 10}} {
			var pg struct {
				PerPage int `json:"per_page"`
				Pages   int
				Results []struct{ Title string }
			}
			_, body := f.get(t, "/api/v1/search?q=pipelines&"+c.query)
			if err := json.Unmarshal([]byte(body), &pg); err != nil {
				t.Fatal(err)
			}
			if pg.PerPage != c.perPage || pg.Pages != c.pages || len(pg.Results) != c.n {
				t.Errorf("%s: per_page %d, %d pages, %d results; want %d, %d, %d", c.query, pg.PerPage, pg.Pages, len(pg.Results), c.perPage, c.pages, c.n)
			}
		}
		// A correction searched instead of the query as typed is named.
		var fixed struct {
			Query     string
			Corrected string `json:"corrected_query"`
			Total     int
		}
		for deadline := time.Now().Add(10 * time.Second); fixed.Corrected == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			_, body := f.get(t, "/api/v1/search?q=pipelnies")
			if err := json.Unmarshal([]byte(body), &fixed); err != nil {
				t.Fatal(err)
			}
		}
		if fixed.Query != "pipelnies" || fixed.Corrected != "pipeline" || fixed.Total != 23 {
			t.Errorf("corrected search: %+v", fixed)
		}
		r := got.Results[0]
		if !strings.HasPrefix(r.Title, "Pipeline story") || !strings.Contains(r.Snippet, "<mark>pipelines</mark>") ||
			r.Section != "Kazakhstan" || len(r.Authors) != 1 || !strings.HasSuffix(r.URL, "/") {
			t.Errorf("result %+v", r)
		}
	})
}
