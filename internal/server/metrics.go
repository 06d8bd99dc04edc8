package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
	"time"
)

// /metrics tells whoever reads it the site's traffic, its errors and its
// cache, so it is never public by default. It is served
//   - on DASTAN_METRICS_ADDR only, when that is set (a loopback or
//     private address the scraper reaches);
//   - else on the main address behind DASTAN_METRICS_TOKEN, when that is
//     set;
//   - else nowhere: the start-up log says how to turn it on.
//
// A token, when set, is asked for wherever /metrics is served.

// publicMetrics is /metrics on the main listener.
func (s *Server) publicMetrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.MetricsAddr != "" || s.cfg.MetricsToken == "" {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "There are no metrics here.", http.StatusNotFound)
		return
	}
	s.serveMetrics(w, r)
}

// MetricsHandler serves /metrics for the separate metrics listener.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	return mux
}

// serveMetrics writes the registry, after checking the bearer token when
// one is set.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.MetricsToken != "" && !bearerMatches(r, s.cfg.MetricsToken) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		http.Error(w, "Metrics need the metrics token (Authorization: Bearer …).", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.WriteTo(w)
}

// bearerMatches compares the request's bearer token with want in
// constant time: both are hashed first, so neither the content nor the
// length of the token leaks through timing.
func bearerMatches(r *http.Request, want string) bool {
	scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// startMetrics opens the separate metrics listener when one is set; its
// errors go to errc. stop shuts it down. Without one, both are no-ops.
func (s *Server) startMetrics(errc chan<- error) (stop func(context.Context), err error) {
	if s.cfg.MetricsAddr == "" {
		if s.cfg.MetricsToken == "" {
			s.log.Info("metrics are off; set DASTAN_METRICS_ADDR (such as 127.0.0.1:9464) or DASTAN_METRICS_TOKEN to serve /metrics")
		}
		return func(context.Context) {}, nil
	}
	ln, err := net.Listen("tcp", s.cfg.MetricsAddr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: s.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("metrics are served on their own address", "addr", ln.Addr().String())
	return func(ctx context.Context) { srv.Shutdown(ctx) }, nil
}
