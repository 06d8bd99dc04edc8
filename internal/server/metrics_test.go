package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dastan/internal/server"
	"dastan/internal/store/storetest"
)

// /metrics told anyone the site's traffic. Now it is served only where
// the settings say: nowhere by default, behind a bearer token on the
// main address, or on a separate address alone.
func TestMetricsAreNotPublic(t *testing.T) {
	scrape := func(t *testing.T, url, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	t.Run("default", func(t *testing.T) {
		f := newFixture(t, storetest.Open(t, "sqlite"))
		if code, body := scrape(t, f.srv.URL+"/metrics", ""); code != 404 || strings.Contains(body, "dastan_") {
			t.Fatalf("/metrics by default: %d", code)
		}
	})
	t.Run("token", func(t *testing.T) {
		cfg := testConfig(t)
		cfg.MetricsToken = "scrape-0123456789abcdef"
		db := storetest.Open(t, "sqlite")
		f := newFixtureConfig(t, db, cfg)
		for _, bad := range []string{"", "Bearer scrape-0123456789abcdeX", "Bearer scrape-0123456789abcde", "Basic c2NyYXBl", "scrape-0123456789abcdef"} {
			resp, err := http.DefaultClient.Do(withAuth(t, f.srv.URL+"/metrics", bad))
			must(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" || strings.Contains(string(b), "dastan_") {
				t.Errorf("Authorization %q: %d", bad, resp.StatusCode)
			}
		}
		if code, body := scrape(t, f.srv.URL+"/metrics", "bearer scrape-0123456789abcdef"); code != 200 || !strings.Contains(body, "dastan_http_requests_total") {
			t.Fatalf("the right token: %d", code)
		}
	})
	t.Run("own address", func(t *testing.T) {
		cfg := testConfig(t)
		cfg.MetricsAddr = "127.0.0.1:1" // only MetricsHandler serves it here
		db := storetest.Open(t, "sqlite")
		f := newFixtureConfig(t, db, cfg)
		if code, _ := scrape(t, f.srv.URL+"/metrics", ""); code != 404 {
			t.Fatalf("/metrics on the main address with a metrics address set: %d", code)
		}
		srv, err := server.New(server.Options{Config: cfg, Store: db})
		must(t, err)
		t.Cleanup(srv.Close)
		ms := httptest.NewServer(srv.MetricsHandler())
		defer ms.Close()
		if code, body := scrape(t, ms.URL+"/metrics", ""); code != 200 || !strings.Contains(body, "dastan_page_cache_bytes") {
			t.Fatalf("/metrics on its own address: %d", code)
		}
		if code, _ := scrape(t, ms.URL+"/", ""); code != 404 {
			t.Fatalf("the metrics address serves more than /metrics: %d", code)
		}
	})
}

func withAuth(t *testing.T, url, auth string) *http.Request {
	req, err := http.NewRequest("GET", url, nil)
	must(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

// Run opens the metrics address beside the main one and closes both on
// shutdown.
func TestRunServesMetricsOnTheirOwnAddress(t *testing.T) {
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		must(t, err)
		defer ln.Close()
		return ln.Addr().String()
	}
	cfg := testConfig(t)
	cfg.Addr, cfg.MetricsAddr, cfg.RatesOffline = "127.0.0.1:0", free(), true
	srv, err := server.New(server.Options{Config: cfg, Store: storetest.Open(t, "sqlite")})
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done, ready := make(chan error, 1), make(chan string, 1)
	go func() { done <- srv.Run(ctx, func(addr string) { ready <- addr }) }()
	var main string
	select {
	case main = <-ready:
	case err := <-done:
		t.Fatalf("Run stopped: %v", err)
	}
	for _, c := range []struct {
		url  string
		want int
	}{{"http://" + cfg.MetricsAddr + "/metrics", 200}, {"http://" + main + "/metrics", 404}} {
		resp, err := http.Get(c.url)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.url, resp.StatusCode, c.want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop within 20 s")
	}
	if _, err := net.Dial("tcp", cfg.MetricsAddr); err == nil {
		t.Error("the metrics address is still open after shutdown")
	}
}
