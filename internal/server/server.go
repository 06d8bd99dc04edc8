// Package server puts Dastan's parts behind one http.Handler and runs it:
// the public site, health and metrics, and the background jobs.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"dastan/internal/api"
	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/config"
	"dastan/internal/jobs"
	"dastan/internal/links"
	"dastan/internal/media"
	"dastan/internal/metrics"
	"dastan/internal/newsroom"
	"dastan/internal/ratelimit"
	"dastan/internal/rates"
	"dastan/internal/site"
	"dastan/internal/store"
	"dastan/internal/users"
)

// Server is one running Dastan instance.
type Server struct {
	cfg     config.Config
	db      *store.DB
	log     *slog.Logger
	metrics *metrics.Registry
	site    *site.Site
	news    *newsroom.Newsroom
	mux     *http.ServeMux
	now     func() time.Time
	poll    time.Duration // of the store's generation
	// leaderRetry is LeaderRetry; leading is whether this instance runs
	// the jobs only one instance runs (leader.go).
	leaderRetry time.Duration
	leading     atomic.Bool
	draining    atomic.Bool // told to stop: /readyz answers 503
	board       *rates.Board
	fetcher     *rates.Fetcher
	jobs        *jobs.Runner // every goroutine that outlives a request
	// Media is the upload service over the configured storage (local disk
	// under the data directory, or a bucket), shared by the newsroom and
	// importers.
	Media *media.Service
}

// Options are what a Server is built from.
type Options struct {
	Config config.Config
	Store  *store.DB
	Logger *slog.Logger
	Now    func() time.Time // the clock; tests set it, nil means time.Now
	// AuthParams are argon2id's costs for new passwords; zero means
	// auth.DefaultParams. Tests lower them.
	AuthParams auth.Params
	// APILimits are the API's request budgets per client; zero means
	// api.DefaultLimits. Tests make them tiny or large.
	APILimits api.Limits
	// SigninBudget is the sign-in attempts per client address; zero means
	// auth.DefaultAddressBudget. Tests that sign in often raise it.
	SigninBudget ratelimit.Budget
	// ChangePoll is how often the store's generation is polled, the
	// fallback of change notifications; zero means 2 s. Tests make it
	// long to see the notifications alone at work.
	ChangePoll time.Duration
	// LeaderRetry is how often an instance that does not run the
	// background jobs tries to take them over, and the leader checks it
	// still holds them; zero means 5 s.
	LeaderRetry time.Duration
}

// New wires the handlers over the store.
func New(o Options) (*Server, error) {
	cfg, db, log := o.Config, o.Store, o.Logger
	if log == nil {
		log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	m := metrics.New()
	if o.ChangePoll == 0 {
		o.ChangePoll = 2 * time.Second
	}
	if o.LeaderRetry == 0 {
		o.LeaderRetry = 5 * time.Second
	}
	s := &Server{cfg: cfg, db: db, log: log, metrics: m, mux: http.NewServeMux(), now: o.Now, poll: o.ChangePoll,
		leaderRetry: o.LeaderRetry, jobs: jobs.New(log)}
	rcfg, err := rates.ParseConfig(cfg.Rates)
	if err != nil {
		return nil, err
	}
	orient, err := rates.ParseOrientation(cfg.RatesView)
	if err != nil {
		return nil, err
	}
	// The ticker is built when rates change and read from memory by every
	// page; a change empties the page cache so no page shows an old one.
	s.board = rates.NewBoard(rates.BoardOptions{Load: db.LatestRates, Orientation: orient, Order: cfg.TickerOrder, Location: cfg.Location, Now: o.Now, Logger: log,
		OnChange: func() {
			if s.site != nil {
				s.site.Invalidate(store.ChangeAll)
			}
		}})
	m.Gauge("dastan_leader", func() float64 {
		if s.leading.Load() {
			return 1
		}
		return 0
	})
	// Rates another instance saved come with a change to everything.
	db.OnChange(func(ch store.Change) {
		if ch.All {
			s.board.Stale()
		}
	})
	if err := s.board.Refresh(context.Background()); err != nil {
		log.Error("reading the latest rates", "err", err)
	}
	providers, err := rcfg.Providers()
	if err != nil {
		return nil, err
	}
	s.fetcher = rates.NewFetcher(providers, s.board.Sink(db), rates.FetcherConfig{SiteURL: cfg.SiteURL, Location: cfg.Location, Logger: log,
		Now: o.Now, MaxJump: cfg.RatesMaxJump, Holds: db, Metrics: m})
	st, err := site.New(site.Options{Config: cfg, Store: db, Metrics: m, Logger: log, Now: o.Now, Ticker: s.board.Ticker, Rates: s.board, Jobs: s.jobs})
	if err != nil {
		return nil, err
	}
	s.site = st
	storage, err := media.Configured(cfg)
	if err != nil {
		return nil, err
	}
	checkStorage(log, storage)
	s.Media = &media.Service{Store: db, Storage: storage, Now: o.Now}
	// One article workflow for every way in, on the server's clock.
	arts := articles.New(articles.Options{Store: db, Now: o.Now, ExcerptLength: cfg.ExcerptLength, Media: s.Media})
	au := auth.New(auth.Options{Store: db, SiteURL: cfg.SiteURL, Params: o.AuthParams, Now: o.Now,
		SessionLifetime: cfg.SessionLifetime, SessionIdle: cfg.SessionIdle, AddressBudget: o.SigninBudget})
	api.New(api.Options{Config: cfg, Store: db, Articles: arts, Media: s.Media, Auth: au, Limits: o.APILimits, Now: o.Now, Logger: log, Search: st.SearchAPI,
		Rates: api.NewRates(s.board, db.RateHistory, rcfg.Codes(), o.Now, cfg.Location, log)}).Routes(s.mux)
	s.mux.Handle("GET /media/{key...}", media.FileServer(storage))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /metrics", s.publicMetrics)
	st.Routes(s.mux)
	us := users.New(users.Options{Store: db, Auth: au, Now: o.Now})
	if s.news, err = newsroom.New(newsroom.Options{Config: cfg, Store: db, Articles: arts, Auth: au, Users: us, Site: st, Media: s.Media, Logger: log, Now: o.Now}); err != nil {
		s.Close() // the site's speller has started
		return nil, err
	}
	s.mux.HandleFunc(links.PreviewLinkPattern, s.news.OpenPreviewLink)
	nh := s.news.Handler()
	s.mux.Handle("GET "+newsroom.Prefix, nh)
	// Two POST patterns, so they stay apart from the site's POST /{slug}/.
	s.mux.Handle("POST "+newsroom.Prefix+"{p}", nh)
	s.mux.Handle("POST "+newsroom.Prefix+"{p}/{rest...}", nh)
	return s, nil
}

// checkStorage asks a bucket, once at start, whether it answers, so a
// wrong setting shows in the log at once. Serving goes on either way:
// pages do not need the bucket, and it may be back by the first upload.
func checkStorage(log *slog.Logger, st media.Storage) {
	c, ok := st.(interface{ Check(context.Context) error })
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Check(ctx); err != nil {
		log.Error("the media bucket does not answer; uploads and media will fail until it does", "err", err)
	}
}

// Close stops the background jobs (the speller from New on, the rest
// from Run) and returns once all have ended. Call it before closing the
// store; Run calls it as it returns.
func (s *Server) Close() {
	s.jobs.Stop()
	s.jobs.Wait()
}

// FlushReads writes the reads counted so far to the store and reads the
// most read back, as the reads job does every half minute.
func (s *Server) FlushReads(ctx context.Context) { s.site.FlushReads(ctx) }

// FetchRates asks every bank once and saves the good answers; the
// ticker and rates page show them at once.
func (s *Server) FetchRates(ctx context.Context) (rates.Result, error) { return s.fetcher.Once(ctx) }

// Handler returns the whole site with logging, metrics and recovery.
func (s *Server) Handler() http.Handler {
	return forwardedFor(s.cfg.TrustedProxies, s.observe(restRoute(s.mux)))
}

// restRoute answers WordPress's plain-permalink form of its REST API,
// /?rest_route=/wp/v2/posts&per_page=5, as /wp-json/wp/v2/posts?per_page=5,
// which apps configured for a site without pretty permalinks still ask for.
func restRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.URL.RawQuery == "" { // every other request passes untouched
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		route := q.Get("rest_route")
		if !strings.HasPrefix(route, "/") {
			next.ServeHTTP(w, r)
			return
		}
		q.Del("rest_route")
		r2 := r.Clone(r.Context())
		r2.URL.Path, r2.URL.RawPath, r2.URL.RawQuery = "/wp-json"+route, "", q.Encode()
		next.ServeHTTP(w, r2)
	})
}

// healthz is liveness: 200 while the process serves at all. It does not
// ask the store: a database down is no reason to restart instances that
// still serve readers their cached pages.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz is readiness: whether a load balancer should send this instance
// readers. It answers 503 from the moment the instance is told to stop
// (before it drains) and while the database does not answer (readers
// still get cached pages from it, but another instance may do better).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if err := s.db.Reachable(r.Context()); err != nil {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe times and counts each request, and turns a panic into a plain
// 500 page with the stack in the log only.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					sw.Header().Set("Content-Type", "text/plain; charset=utf-8")
					sw.WriteHeader(http.StatusInternalServerError)
					sw.Write([]byte("Something went wrong. Please try again in a moment.\n"))
				}
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			d := time.Since(start)
			_, pattern := s.mux.Handler(r)
			s.metrics.ObserveRequest(routeLabel(pattern, r), sw.status, d)
			if s.log.Enabled(r.Context(), slog.LevelDebug) {
				s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", strconv.FormatFloat(d.Seconds()*1000, 'f', 2, 64))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// routeLabel keeps the metrics' label set small: the mux pattern, or for
// the public catch-all the kind of page.
func routeLabel(pattern string, r *http.Request) string {
	if pattern != "GET /" {
		return pattern
	}
	p := r.URL.Path
	switch {
	case p == links.Home:
		return "home"
	case len(p) > 10 && p[:10] == "/category/":
		return "section"
	case len(p) > 5 && p[:5] == "/tag/":
		return "tag"
	case len(p) > 8 && p[:8] == "/author/":
		return "author"
	case p == links.Rates:
		return "rates"
	}
	return "page"
}

// Run serves on the configured address and runs the background jobs
// until ctx ends, then shuts down gracefully. ready is called once the
// listener is open.
func (s *Server) Run(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln, ready)
}

// Serve is Run on a listener the caller opened, so that serve can claim
// its address before it does anything slow. ready is called once the
// site answers on ln. Serve closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener, ready func(addr string)) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	// However Run ends, no job outlives it: the caller closes the store next.
	defer s.Close()
	// Pages are served only once other instances' writes reach this
	// one's caches.
	watching := make(chan struct{})
	s.jobs.Start("cache watch", func(ctx context.Context) { s.site.Watch(ctx, s.poll, func() { close(watching) }) })
	select {
	case <-watching:
	case <-time.After(10 * time.Second):
	}
	s.jobs.Start("jobs leader", func(ctx context.Context) { s.db.Lead(ctx, s.leaderRetry, s.lead) })
	s.jobs.Start("rates board", func(ctx context.Context) { s.board.Run(ctx, time.Minute) })
	errc := make(chan error, 2)
	stopMetrics, err := s.startMetrics(errc)
	if err != nil {
		ln.Close()
		return err
	}
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	if d := s.cfg.ShutdownDelay; d > 0 {
		s.log.Info("shutting down: no longer ready; draining after the delay", "delay", d)
		select {
		case err := <-errc:
			return err
		case <-time.After(d):
		}
	}
	s.log.Info("shutting down")
	s.jobs.Stop() // they end while requests in flight finish
	shut, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	stopMetrics(shut)
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
