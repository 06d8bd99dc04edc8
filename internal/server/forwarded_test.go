package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// Behind trusted proxies the reader's address comes from X-Forwarded-For,
// rightmost untrusted hop first; from anyone else the header is ignored,
// and what a client writes into it itself is never believed.
func TestForwardedFor(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	var seen string
	h := forwardedFor(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.RemoteAddr }))
	for _, c := range []struct {
		peer, xff, want string
	}{
		{"127.0.0.1:5000", "203.0.113.7", "203.0.113.7:0"},
		{"127.0.0.1:5000", "203.0.113.7, 10.1.2.3", "203.0.113.7:0"},     // CDN edge, then our balancer
		{"127.0.0.1:5000", "6.6.6.6, 203.0.113.7", "203.0.113.7:0"},      // the client's own claim stays left
		{"198.51.100.9:4000", "203.0.113.7", "198.51.100.9:4000"},        // not a proxy of ours: ignored
		{"127.0.0.1:5000", "", "127.0.0.1:5000"},                         // nothing forwarded
		{"127.0.0.1:5000", "not-an-address, 10.0.0.5", "127.0.0.1:5000"}, // garbled: believe nothing
		{"127.0.0.1:5000", "2001:db8::1", "[2001:db8::1]:0"},             // IPv6 readers
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if seen != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: reader %s, want %s", c.peer, c.xff, seen, c.want)
		}
	}
}
