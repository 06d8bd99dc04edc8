package rates

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"time"

	"dastan/internal/metrics"
)

// Sink keeps observations; the store implements it. It is only ever handed
// observations that passed Validate, so a failed or garbled fetch never
// replaces a good rate.
type Sink interface {
	SaveObservations(ctx context.Context, obs []Observation) error
}

// RangeProvider is a provider whose history comes as one answer for a span of
// days rather than a day at a time (NBKR's history page).
type RangeProvider interface {
	FetchRange(ctx context.Context, c *http.Client, from, to time.Time) ([]Observation, error)
}

// FetcherConfig tunes a Fetcher; zero values take the defaults noted.
type FetcherConfig struct {
	SiteURL   string         // named in the User-Agent
	Client    *http.Client   // default: a plain client
	Timeout   time.Duration  // per request; default 15s
	Attempts  int            // tries per fetch; default 3
	BaseDelay time.Duration  // first retry delay, doubled each time; default 2s
	MaxDelay  time.Duration  // cap on one delay; default 30s
	Pause     time.Duration  // between backfill requests to one bank; default 500ms
	Location  *time.Location // whose calendar "today" is; default UTC
	Logger    *slog.Logger   // default: slog.Default()
	// Now is the clock: what "today" is, and when an answer came. Default time.Now.
	Now func() time.Time
	// MaxJump is the largest day-over-day change, as a fraction either
	// way, shown at once; a bigger one waits in Holds until a fetch
	// answers it again. 0 or no Holds turns the check off.
	MaxJump float64
	Holds   Holds
	// Metrics, when set, counts refused, held and confirmed rates.
	Metrics *metrics.Registry
}

// Fetcher fetches every configured bank and hands good observations to a Sink.
type Fetcher struct {
	providers []Provider
	sink      Sink
	client    *http.Client
	cfg       FetcherConfig
	now       func() time.Time
}

// Result is what one round of fetching found: the good observations, and the
// error of every currency that gave none, keyed by currency code.
type Result struct {
	Observations []Observation
	Errors       map[string]error
}

// NewFetcher makes a Fetcher for providers writing to sink (which may be nil
// for callers that only want the Result).
func NewFetcher(providers []Provider, sink Sink, cfg FetcherConfig) *Fetcher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.BaseDelay <= 0 {
		cfg.BaseDelay = 2 * time.Second
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = 30 * time.Second
	}
	if cfg.Pause < 0 {
		cfg.Pause = 0
	} else if cfg.Pause == 0 {
		cfg.Pause = 500 * time.Millisecond
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := cfg.Client
	if base == nil {
		base = &http.Client{}
	}
	client := *base
	rt := client.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	// CBT turns away default client User-Agents; every bank gets an honest one.
	client.Transport = &uaTransport{ua: UserAgent(cfg.SiteURL), next: rt}
	return &Fetcher{providers: providers, sink: sink, client: &client, cfg: cfg, now: cfg.Now}
}

type uaTransport struct {
	ua   string
	next http.RoundTripper
}

func (t *uaTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", t.ua)
	return t.next.RoundTrip(r)
}

// today is the calendar day in the site's location, as UTC midnight.
func (f *Fetcher) today() time.Time { return dateOnly(f.now().In(f.cfg.Location)) }

// FetchAll asks every bank concurrently for date's rate. An answer for another
// date is kept: it is labelled with the bank's real date (NBKR and NBT answer
// with their latest table whatever is asked).
func (f *Fetcher) FetchAll(ctx context.Context, date time.Time) Result {
	type answer struct {
		p   Provider
		obs Observation
		err error
	}
	answers := make([]answer, len(f.providers))
	var wg sync.WaitGroup
	for i, p := range f.providers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			obs, err := f.fetchOne(ctx, p, date)
			var od *OtherDateError
			if errors.As(err, &od) {
				err = nil
			}
			answers[i] = answer{p, obs, err}
		}()
	}
	wg.Wait()
	res := Result{Errors: map[string]error{}}
	for _, a := range answers {
		if a.err != nil {
			res.Errors[a.p.Currency()] = a.err
			continue
		}
		res.Observations = append(res.Observations, a.obs)
	}
	return res
}

// fetchOne is one provider's fetch with a per-request timeout, retried with
// capped exponential backoff and full jitter on transient failures only.
func (f *Fetcher) fetchOne(ctx context.Context, p Provider, date time.Time) (Observation, error) {
	var err error
	for attempt := 0; attempt < f.cfg.Attempts; attempt++ {
		if attempt > 0 {
			d := f.cfg.BaseDelay << (attempt - 1)
			if d > f.cfg.MaxDelay || d <= 0 {
				d = f.cfg.MaxDelay
			}
			d = time.Duration(rand.Int64N(int64(d)) + 1)
			select {
			case <-ctx.Done():
				return Observation{}, fmt.Errorf("%s: %w (last error: %w)", p.ID(), ctx.Err(), err)
			case <-time.After(d):
			}
		}
		rctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
		var obs Observation
		obs, err = p.Fetch(rctx, f.client, date)
		cancel()
		if err == nil || errors.As(err, new(*OtherDateError)) {
			obs.FetchedAt = f.now().UTC()
			if verr := obs.Validate(); verr != nil {
				return Observation{}, verr
			}
			if derr := f.checkDate(p, obs); derr != nil {
				return Observation{}, derr
			}
			return obs, err
		}
		var te *transientError
		if !errors.As(err, &te) || ctx.Err() != nil {
			return Observation{}, err
		}
	}
	return Observation{}, err
}

// Once fetches today's rates and saves the good ones. An answer that
// jumped beyond MaxJump is held back (in Result.Errors as a *HeldError)
// until a later fetch confirms it.
func (f *Fetcher) Once(ctx context.Context) (Result, error) {
	res := f.FetchAll(ctx, f.today())
	settled, err := f.holdJumps(ctx, &res)
	if err != nil {
		return res, err
	}
	for code, err := range res.Errors {
		switch {
		case errors.As(err, new(*HeldError)), errors.As(err, new(*FutureDateError)):
			// said already, when it was found
		case errors.Is(err, ErrNoData):
			f.cfg.Logger.Info("rates: no rate today", "currency", code, "reason", err)
		default:
			f.cfg.Logger.Warn("rates: fetch failed; keeping the last good rate", "currency", code, "err", err)
		}
	}
	if err := f.save(ctx, res.Observations); err != nil {
		return res, err
	}
	for _, code := range settled {
		if err := f.cfg.Holds.ReleaseHeldRate(ctx, code); err != nil {
			return res, fmt.Errorf("rates: releasing the held %s: %w", code, err)
		}
	}
	return res, nil
}

func (f *Fetcher) save(ctx context.Context, obs []Observation) error {
	if f.sink == nil || len(obs) == 0 {
		return nil
	}
	good := obs[:0:0]
	for _, o := range obs {
		if o.Validate() == nil {
			good = append(good, o)
		}
	}
	if err := f.sink.SaveObservations(ctx, good); err != nil {
		return fmt.Errorf("rates: saving %d observations: %w", len(good), err)
	}
	return nil
}

// Run fetches now and then every interval until ctx ends. It is meant to run
// in its own goroutine; pages read the store and never wait on it.
func (f *Fetcher) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	f.run(ctx, t.C)
}

// run fetches now and on every tick until ctx ends; tests tick by hand.
func (f *Fetcher) run(ctx context.Context, ticks <-chan time.Time) {
	for {
		if _, err := f.Once(ctx); err != nil && ctx.Err() == nil {
			f.cfg.Logger.Error("rates: saving failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
	}
}

// Backfill fetches the history from..to (inclusive) of every bank that has
// one, a weekday at a time, and saves what it finds. Weekends are skipped
// because the banks set rates on business days; a holiday's ErrNoData is
// skipped quietly, and an answer dated another day is kept once under its
// real date. Providers run concurrently; requests to one bank are paced.
func (f *Fetcher) Backfill(ctx context.Context, from, to time.Time) (Result, error) {
	from, to = dateOnly(from), dateOnly(to)
	res := Result{Errors: map[string]error{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range f.providers {
		rp, ranged := p.(RangeProvider)
		if !p.SupportsHistory() && !ranged {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var obs []Observation
			var err error
			if p.SupportsHistory() {
				obs, err = f.backfillDays(ctx, p, from, to)
			} else {
				rctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
				obs, err = rp.FetchRange(rctx, f.client, from, to)
				cancel()
				for i := range obs {
					obs[i].FetchedAt = f.now().UTC()
				}
				obs, err = f.refuseFuture(p, obs, err)
			}
			mu.Lock()
			defer mu.Unlock()
			res.Observations = append(res.Observations, obs...)
			if err != nil {
				res.Errors[p.Currency()] = err
			}
		}()
	}
	wg.Wait()
	sort.SliceStable(res.Observations, func(i, j int) bool {
		a, b := res.Observations[i], res.Observations[j]
		if !a.BankDate.Equal(b.BankDate) {
			return a.BankDate.Before(b.BankDate)
		}
		return a.Currency < b.Currency
	})
	return res, f.save(ctx, res.Observations)
}

// refuseFuture drops the observations of a range dated after tomorrow,
// adding why to err.
func (f *Fetcher) refuseFuture(p Provider, obs []Observation, err error) ([]Observation, error) {
	kept := obs[:0]
	errs := []error{err}
	for _, o := range obs {
		if derr := f.checkDate(p, o); derr != nil {
			errs = append(errs, derr)
			continue
		}
		kept = append(kept, o)
	}
	return kept, errors.Join(errs...)
}

func (f *Fetcher) backfillDays(ctx context.Context, p Provider, from, to time.Time) ([]Observation, error) {
	var out []Observation
	seen := map[time.Time]bool{}
	var errs []error
	first := true
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		if !first && f.cfg.Pause > 0 {
			select {
			case <-ctx.Done():
				return out, ctx.Err()
			case <-time.After(f.cfg.Pause):
			}
		}
		first = false
		obs, err := f.fetchOne(ctx, p, d)
		var od *OtherDateError
		switch {
		case err == nil, errors.As(err, &od):
			if !seen[obs.BankDate] {
				seen[obs.BankDate] = true
				out = append(out, obs)
			}
		case errors.Is(err, ErrNoData):
		default:
			errs = append(errs, fmt.Errorf("%s: %w", d.Format(time.DateOnly), err))
			if ctx.Err() != nil {
				return out, errors.Join(errs...)
			}
		}
	}
	return out, errors.Join(errs...)
}
