package server_test

import (
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// from fetches path as the reader at addr, through the trusted proxy.
func (f *fixture) from(t *testing.T, addr, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	must(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// proxiedFixture is newFixture with the test client (127.0.0.1) as a
// trusted proxy, so that X-Forwarded-For can play many readers.
func proxiedFixture(t *testing.T, db *store.DB, searchesPerMinute int) *fixture {
	cfg := testConfig(t)
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	cfg.SearchPerMinute = searchesPerMinute
	return newFixtureConfig(t, db, cfg)
}

// One reader flooding the search pages with new queries (64 connections
// of them kept two cores busy) is refused with 429 once its budget is
// spent, without a store query; pages from the cache stay free, other
// readers keep theirs, and the budget comes back with time.
func TestSearchPagesHaveABudget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := proxiedFixture(t, db, 3)
		const reader, other = "203.0.113.7", "198.51.100.20"
		// The speller is built beside serving at start and empties the
		// search cache when it is ready; wait for it (from an address of
		// its own), so that the cache below holds what it was given.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if _, body := f.from(t, "192.0.2.99", "GET", "/search/?q=pipelnie", nil); strings.Contains(body, "Showing results for") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no speller after 10 s")
			}
		}
		for _, q := range []string{"/?s=pipeline", "/search/?q=story", "/search/?q=energy"} {
			if resp, _ := f.from(t, reader, "GET", q, nil); resp.StatusCode != 200 {
				t.Fatalf("%s within the budget: %d", q, resp.StatusCode)
			}
		}
		resp, body := f.from(t, reader, "GET", "/?s=pipelines+matter", nil)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "20" ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !strings.Contains(body, "Too many searches") {
			t.Fatalf("a fourth search of three a minute: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if resp, _ := f.from(t, reader, "GET", "/search/?q=energy&page=2", nil); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("the other search address is not limited: %d", resp.StatusCode)
		}
		if resp, _ := f.from(t, reader, "GET", "/search/suggest?q=pipe", nil); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("suggestions are not limited: %d", resp.StatusCode)
		}
		if resp, body := f.from(t, reader, "GET", "/?s=pipeline", nil); resp.StatusCode != 200 || !strings.Contains(body, "Viewing results") {
			t.Fatalf("a cached search page counted against the budget: %d", resp.StatusCode)
		}
		if resp, _ := f.from(t, other, "GET", "/?s=pipelines+matter", nil); resp.StatusCode != 200 {
			t.Fatalf("another reader was refused: %d", resp.StatusCode)
		}
		// Other pages are not searches.
		if resp, _ := f.from(t, reader, "GET", "/category/news/", nil); resp.StatusCode != 200 {
			t.Fatalf("a section page was refused: %d", resp.StatusCode)
		}
		f.clock.Set(f.clock.Now().Add(20 * time.Second))
		if resp, _ := f.from(t, reader, "GET", "/search/?q=matter", nil); resp.StatusCode != 200 {
			t.Fatalf("the budget did not come back after Retry-After: %d", resp.StatusCode)
		}
	})
}

// Wrong post passwords were answered as fast as they came (about 600 a
// second). Now an address gets 5 tries at once and 5 a minute, an
// article 20 at once from everyone, and right passwords cost nothing.
func TestPostPasswordGuessesAreThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := proxiedFixture(t, db, 0)
		f.save(t, &news.Article{Title: "Members only", BodySource: "The secret paragraph.", Password: "open sesame",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour)})
		guess := func(addr, pw string) (*http.Response, string) {
			return f.from(t, addr, "POST", "/members-only/", url.Values{"post_password": {pw}})
		}
		const attacker = "203.0.113.7"
		for i := 0; i < 5; i++ {
			if resp, body := guess(attacker, "guess"); resp.StatusCode != 200 || !strings.Contains(body, "not right") {
				t.Fatalf("wrong password %d: %d", i+1, resp.StatusCode)
			}
		}
		resp, body := guess(attacker, "open sesame")
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "12" ||
			strings.Contains(body, "secret paragraph") || !strings.Contains(body, "Too many wrong passwords") {
			t.Fatalf("sixth try from one address: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		// A reader who knows it is not locked out, and right passwords
		// spend nothing.
		for i := 0; i < 8; i++ {
			if resp, body := guess("198.51.100.20", "open sesame"); resp.StatusCode != 200 || !strings.Contains(body, "secret paragraph") {
				t.Fatalf("right password %d from another reader: %d", i+1, resp.StatusCode)
			}
		}
		// Many addresses are no faster: the article has 20 wrong tries at
		// once in all, 5 of them spent above.
		for i := 0; i < 15; i++ {
			if resp, _ := guess(netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)}).String(), "guess"); resp.StatusCode != 200 {
				t.Fatalf("wrong try %d from a fresh address: %d", i+1, resp.StatusCode)
			}
		}
		if resp, _ := guess("192.0.2.200", "guess"); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "6" {
			t.Fatalf("21st wrong try at the article: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		// Time brings tries back.
		f.clock.Set(f.clock.Now().Add(12 * time.Second))
		if resp, body := guess(attacker, "open sesame"); resp.StatusCode != 200 || !strings.Contains(body, "secret paragraph") {
			t.Fatalf("after Retry-After: %d", resp.StatusCode)
		}
	})
}
