package server_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"testing"

	"dastan/internal/fixtures"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
)

// An imported WordPress site's old addresses answer 301 to their new
// homes through the full router, and editors' redirects work the same way.
func TestWordPressRedirects(t *testing.T) {
	src, err := os.ReadFile("../wordpress/testdata/themeunittestdata.wordpress.xml")
	must(t, err)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := wordpress.Import(ctx, bytes.NewReader(src), wordpress.Options{Store: db})
		must(t, err)
		must(t, db.SaveRedirect(ctx, &store.Redirect{From: "/old-about/", To: "/about/"}))
		f := &fixture{db: db, clock: fixtures.NewClock(testNow)}
		_, f.srv = fixtures.Serve(t, server.Options{Config: testConfig(t), Store: db, Now: f.clock.Now})

		for from, to := range map[string]string{
			"/?p=1241":                          "/template-sticky/",
			"/?page_id=173":                     "/level-2/",
			"/level-1/level-2/":                 "/level-2/",
			"/about/page-with-comments/":        "/page-with-comments/",
			"/2018/10/20/keyboard-navigation/":  "/keyboard-navigation/",
			"/old-about/":                       "/about/",
			"/?p=1241&utm_source=newsletter":    "/template-sticky/",
			"/category/parent/child-1/child-2/": "",
		} {
			resp, _ := f.get(t, from)
			if to == "" {
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: %d, want 200 (same address as before)", from, resp.StatusCode)
				}
				continue
			}
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != to {
				t.Errorf("%s: %d to %q, want 301 to %s", from, resp.StatusCode, resp.Header.Get("Location"), to)
			}
		}
		for _, path := range []string{"/template-sticky/", "/about/", "/level-2/"} {
			if resp, _ := f.get(t, path); resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d, want 200", path, resp.StatusCode)
			}
		}
		if resp, _ := f.get(t, "/?p=999999"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown /?p=: %d, want 404", resp.StatusCode)
		}
		if resp, _ := f.get(t, "/"); resp.StatusCode != http.StatusOK {
			t.Errorf("front page: %d", resp.StatusCode)
		}
	})
}
