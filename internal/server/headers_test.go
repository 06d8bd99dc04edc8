package server_test

import (
	"strings"
	"testing"

	"dastan/internal/store/storetest"
)

// Pages carry a Content-Security-Policy that lets no script but the
// site's own files run (the search box's suggestions on the public site,
// the newsroom's file there) and none inline, with nosniff, a
// referrer policy, and no framing of the newsroom.
func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	for path, want := range map[string][]string{
		"/":                   {"default-src 'self'", "script-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'self'", "frame-src https://www.youtube.com"},
		"/pipeline-story-1/":  {"script-src 'self'"},
		"/?s=pipeline":        {"script-src 'self'"},
		"/no-such-page/":      {"script-src 'self'"},
		"/newsroom/signin":    {"script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'", "base-uri 'none'"},
		"/newsroom/articles/": {"frame-ancestors 'none'"}, // the redirect to sign in
	} {
		resp, _ := f.get(t, path)
		csp := resp.Header.Get("Content-Security-Policy")
		for _, w := range want {
			if !strings.Contains(csp, w) {
				t.Errorf("%s: Content-Security-Policy %q lacks %q", path, csp, w)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: Content-Security-Policy allows inline code: %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff %q, Referrer-Policy %q", path, resp.Header.Get("X-Content-Type-Options"), resp.Header.Get("Referrer-Policy"))
		}
		if strings.HasPrefix(path, "/newsroom/") && resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", path, resp.Header.Get("X-Frame-Options"))
		}
	}
}
