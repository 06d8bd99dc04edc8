// Package config reads Dastan's settings from flags and DASTAN_* variables
// into one validated Config. Flags win over the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything a Dastan process needs to know at start.
type Config struct {
	Addr        string // where serve listens
	DataDir     string // SQLite file, media, caches
	DatabaseURL string // postgres://… selects PostgreSQL; empty means SQLite in DataDir
	SiteName    string // shown in the masthead and feeds
	SiteURL     string // absolute base URL, for canonical links and feeds
	// SiteURLDerived is true when no site URL was set and SiteURL was
	// made from Addr (SiteURLFor), so serve follows the address it
	// actually listens on.
	SiteURLDerived bool
	TimeZone       string // the newsroom's zone, for the masthead date and archives
	Location       *time.Location
	ExcerptLength  int // runes in a generated excerpt
	PageSize       int // items on a listing page
	// FrontExcerptWords and ListingExcerptWords are how many words of an
	// excerpt the front page and the listings show; 0 in listings shows
	// the whole generated excerpt.
	FrontExcerptWords   int
	ListingExcerptWords int
	// TickerOrder is the currencies' order in the ticker; those it does
	// not name follow alphabetically.
	TickerOrder  []string
	PageCache    bool          // keep rendered public pages in memory
	CacheTTL     time.Duration // longest a cached page lives, and the CDN's max-age
	LogLevel     string        // debug, info, warn, error
	Rates        string        // currencies and their providers: "KZT=nbk,KGS=nbkr,…"
	RatesEvery   time.Duration // how often the rates job fetches
	RatesView    string        // ticker orientation: "local/usd" or "usd/local"
	RatesOffline bool          // never fetch rates (demo and tests)
	// RatesMaxJump is the largest day-over-day change of a rate, as a
	// fraction either way (0.25), shown at once; a bigger one waits for
	// the bank to answer it again. 0 turns the check off.
	RatesMaxJump float64
	// TrustedProxies are the addresses (CDN, load balancer) whose
	// X-Forwarded-For is believed when they connect.
	TrustedProxies []netip.Prefix
	// SearchPerMinute is each reader's budget of searches that reach the
	// store (cached result pages are free); 0 means no limit.
	SearchPerMinute int
	// MetricsAddr, when set, is the only address /metrics is served on;
	// MetricsToken, when set, is the bearer token /metrics asks for.
	// With neither, /metrics is not served.
	MetricsAddr  string
	MetricsToken string
	// SessionLifetime is how long a newsroom session lasts after sign-in,
	// however busy; SessionIdle ends it sooner when it goes unused.
	SessionLifetime time.Duration
	SessionIdle     time.Duration
	// Media says where the media library's files live: a bucket when
	// Media.Bucket is set, otherwise the data directory's media folder.
	Media MediaStorage
	// QueryTimeout bounds each statement serve sends to the store, so a
	// hung database fails a request instead of holding it.
	QueryTimeout time.Duration
	// ShutdownDelay is how long serve, told to stop, answers /readyz with
	// 503 while still serving, before it drains: time for a load
	// balancer to stop sending it readers.
	ShutdownDelay time.Duration
}

// MediaStorage is where uploads, renditions and imported files are kept.
type MediaStorage struct {
	Bucket    string // S3 bucket; empty keeps files in DataDir/media
	Prefix    string // put before every key in the bucket, such as "media/"
	Endpoint  string // the S3 store's address; empty means AWS
	Region    string
	AccessKey string // with SecretKey; empty uses AWS_* variables or the IAM role
	SecretKey string
	// PublicURL is where readers fetch the files (a CDN); empty means
	// Dastan serves them under /media/.
	PublicURL string
}

// Setting documents one variable; README's table of settings is this list.
type Setting struct {
	Env, Flag, Default, Help string
}

// Settings lists every setting in the order the README shows them.
func Settings() []Setting {
	return []Setting{
		{"DASTAN_ADDR", "addr", ":8080", "address serve listens on"},
		{"DASTAN_DATA_DIR", "data-dir", "./data", "directory for the SQLite store and media"},
		{"DASTAN_DATABASE_URL", "database-url", "", "PostgreSQL URL (postgres://…); empty uses SQLite in the data directory"},
		{"DASTAN_SITE_NAME", "site-name", "The Times of Central Asia", "name in the masthead, titles and feeds"},
		{"DASTAN_SITE_URL", "site-url", "", "public base URL for canonical links and feeds; unset, links follow the address served (http://localhost:8080)"},
		{"DASTAN_TIME_ZONE", "time-zone", "Asia/Almaty", "IANA zone for the masthead date and archives"},
		{"DASTAN_EXCERPT_LENGTH", "excerpt-length", "240", "characters in a generated excerpt"},
		{"DASTAN_PAGE_SIZE", "page-size", "10", "articles on a listing page"},
		{"DASTAN_FRONT_EXCERPT_WORDS", "front-excerpt-words", "30", "words of an excerpt the front page shows"},
		{"DASTAN_LISTING_EXCERPT_WORDS", "listing-excerpt-words", "0", "words of an excerpt section, tag, author and archive listings show, read from the body when the stored excerpt is shorter (the reference site shows 500); 0 shows the stored excerpt"},
		{"DASTAN_PAGE_CACHE", "page-cache", "true", "keep rendered public pages in memory"},
		{"DASTAN_CACHE_TTL", "cache-ttl", "60s", "longest life of a cached page; also the CDN max-age"},
		{"DASTAN_QUERY_TIMEOUT", "query-timeout", "10s", "longest a statement to the store may take while serving; a hung database then fails the request, and readers get the last good page"},
		{"DASTAN_SHUTDOWN_DELAY", "shutdown-delay", "0s", "told to stop, how long serve keeps serving with /readyz answering 503 before it drains; give load balancers that poll /readyz their interval"},
		{"DASTAN_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
		{"DASTAN_RATES", "rates", "KZT=nbk,KGS=nbkr,TJS=nbt,UZS=cbu,TMT=cbt", "currencies shown in the ticker and their central-bank providers"},
		{"DASTAN_RATES_EVERY", "rates-every", "30m", "how often the rates job asks the banks"},
		{"DASTAN_TICKER_ORDER", "ticker-order", "KGS,KZT,TJS,UZS,TMT", "order of the currencies in the ticker; others follow alphabetically"},
		{"DASTAN_RATES_VIEW", "rates-view", "local/usd", "ticker orientation: local/usd (KZT/USD = 0.002089) or usd/local (USD/KZT = 478.77)"},
		{"DASTAN_RATES_OFFLINE", "rates-offline", "false", "never fetch rates from the banks"},
		{"DASTAN_RATES_MAX_JUMP", "rates-max-jump", "25%", "largest day-over-day change of a rate (up, or its equal down) shown at once; a bigger one is held until the bank answers it again; 0 turns the check off"},
		{"DASTAN_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated addresses or CIDR ranges of proxies (CDN, load balancer) whose X-Forwarded-For names the reader"},
		{"DASTAN_SEARCH_PER_MINUTE", "search-per-minute", "120", "searches a reader may run a minute (at once, then refilled over the minute) before 429; cached result pages do not count; 0 turns the limit off"},
		{"DASTAN_METRICS_ADDR", "metrics-addr", "", "address of a separate listener for /metrics, such as 127.0.0.1:9464; when set, /metrics is served only there"},
		{"DASTAN_METRICS_TOKEN", "metrics-token", "", "bearer token /metrics asks for (Authorization: Bearer …), at least 16 characters; set alone, /metrics is served on the main address behind it"},
		{"DASTAN_SESSION_LIFETIME", "session-lifetime", "7d", "longest a newsroom sign-in lasts, however busy (e.g. 7d, 24h)"},
		{"DASTAN_SESSION_IDLE", "session-idle", "12h", "a newsroom session unused this long ends; at most the lifetime"},
		{"DASTAN_MEDIA_S3_BUCKET", "media-s3-bucket", "", "keep the media library in this S3 bucket instead of the data directory (needed for several instances)"},
		{"DASTAN_MEDIA_S3_PREFIX", "media-s3-prefix", "", "folder in the bucket for media keys, such as media/"},
		{"DASTAN_MEDIA_S3_ENDPOINT", "media-s3-endpoint", "", "address of an S3-compatible store, such as https://fra1.digitaloceanspaces.com; empty means AWS S3"},
		{"DASTAN_MEDIA_S3_REGION", "media-s3-region", "", "the bucket's region, such as eu-central-1"},
		{"DASTAN_MEDIA_S3_ACCESS_KEY", "media-s3-access-key", "", "access key for the bucket; empty uses AWS_ACCESS_KEY_ID or the machine's IAM role"},
		{"DASTAN_MEDIA_S3_SECRET_KEY", "media-s3-secret-key", "", "secret key that goes with the access key (prefer the variable to the flag)"},
		{"DASTAN_MEDIA_PUBLIC_URL", "media-public-url", "", "where readers fetch media files, such as https://cdn.example.org (the bucket's root, or the data directory's media folder); empty serves them under /media/"},
	}
}

// Store names the settings every command that opens the store reads.
var Store = []string{"data-dir", "database-url", "log-level"}

// Lookup finds a setting by its flag name.
func Lookup(flagName string) (Setting, bool) {
	for _, s := range Settings() {
		if s.Flag == flagName {
			return s, true
		}
	}
	return Setting{}, false
}

// Load builds a Config from the environment, then the flags in args.
// It registers every setting's flag on fs, so subcommands can add their
// own first.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	return LoadOnly(fs, args, getenv, nil)
}

// LoadOnly is Load for a command that reads only the settings named (by
// flag): only those become flags, and so only those show in its help.
// The others still come from the environment and their defaults. nil
// names every setting.
func LoadOnly(fs *flag.FlagSet, args []string, getenv func(string) string, names []string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	uses := map[string]bool{}
	for _, n := range names {
		uses[n] = true
	}
	vals := map[string]*value{}
	for _, s := range Settings() {
		v := &value{s: s.Default, isBool: s.Default == "true" || s.Default == "false"}
		if e := getenv(s.Env); e != "" {
			v.s = e
		}
		vals[s.Flag] = v
		if names == nil || uses[s.Flag] {
			fs.Var(v, s.Flag, s.Help)
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, err
		}
		return Config{}, fmt.Errorf("%s: %w; -h lists the flags", fs.Name(), err)
	}
	return parse(func(name string) string { return vals[name].s })
}

// SiteURLFor is the site URL when none is set: the address serve listens
// on, as a browser on the same machine opens it (":8181" and
// "0.0.0.0:8181" give http://localhost:8181).
func SiteURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost:8080"
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// value is a setting's flag. On/off settings are boolean flags, so
// "-page-cache=false" and a bare "-rates-offline" both work.
type value struct {
	s      string
	isBool bool
}

func (v *value) String() string     { return v.s }
func (v *value) Set(s string) error { v.s = s; return nil }
func (v *value) IsBoolFlag() bool   { return v.isBool }

// FromEnv builds a Config from the environment and defaults alone.
func FromEnv(getenv func(string) string) (Config, error) {
	return Load(flag.NewFlagSet("dastan", flag.ContinueOnError), nil, getenv)
}

func parse(get func(string) string) (Config, error) {
	c := Config{
		Addr:         get("addr"),
		DataDir:      get("data-dir"),
		DatabaseURL:  get("database-url"),
		SiteName:     get("site-name"),
		SiteURL:      strings.TrimRight(get("site-url"), "/"),
		TimeZone:     get("time-zone"),
		LogLevel:     strings.ToLower(get("log-level")),
		Rates:        get("rates"),
		RatesView:    get("rates-view"),
		MetricsAddr:  get("metrics-addr"),
		MetricsToken: get("metrics-token"),
		Media: MediaStorage{
			Bucket:    strings.TrimSpace(get("media-s3-bucket")),
			Prefix:    strings.Trim(get("media-s3-prefix"), "/"),
			Endpoint:  strings.TrimRight(get("media-s3-endpoint"), "/"),
			Region:    get("media-s3-region"),
			AccessKey: get("media-s3-access-key"),
			SecretKey: get("media-s3-secret-key"),
			PublicURL: strings.TrimRight(get("media-public-url"), "/"),
		},
	}
	var errs []error
	// Each error names the variable and the value it had, e.g.
	// DASTAN_ADDR ":99999": …; a flag of the same name sets the same value.
	bad := func(name, why string) {
		s, _ := Lookup(name)
		errs = append(errs, fmt.Errorf("%s %q: %s", s.Env, get(name), why))
	}

	intVal := func(name string, min, max int) int {
		n, err := strconv.Atoi(get(name))
		if err != nil || n < min || n > max {
			bad(name, fmt.Sprintf("want a whole number from %d to %d", min, max))
		}
		return n
	}
	boolVal := func(name string) bool {
		b, err := strconv.ParseBool(get(name))
		if err != nil {
			bad(name, "want true or false")
		}
		return b
	}
	durVal := func(name string, min time.Duration) time.Duration {
		d, err := parseDuration(get(name))
		if err != nil || d < min {
			bad(name, fmt.Sprintf("want a duration of at least %s such as 30s, 5m or 7d", min))
		}
		return d
	}
	percentVal := func(name string, max float64) float64 {
		s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(get(name)), "%"))
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > max {
			bad(name, fmt.Sprintf("want a percentage from 0 to %g such as 25%%", max))
		}
		return v / 100
	}
	c.ExcerptLength = intVal("excerpt-length", 40, 2000)
	c.PageSize = intVal("page-size", 1, 100)
	c.FrontExcerptWords = intVal("front-excerpt-words", 5, 500)
	c.ListingExcerptWords = intVal("listing-excerpt-words", 0, 2000)
	for code := range strings.SplitSeq(get("ticker-order"), ",") {
		code = strings.ToUpper(strings.TrimSpace(code))
		if code == "" {
			continue
		}
		if len(code) != 3 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			bad("ticker-order", "want currency codes separated by commas, such as KGS,KZT,TJS,UZS,TMT")
			break
		}
		c.TickerOrder = append(c.TickerOrder, code)
	}
	c.PageCache = boolVal("page-cache")
	c.CacheTTL = durVal("cache-ttl", time.Second)
	c.QueryTimeout = durVal("query-timeout", 10*time.Millisecond)
	c.ShutdownDelay = durVal("shutdown-delay", 0)
	c.RatesEvery = durVal("rates-every", time.Minute)
	c.RatesOffline = boolVal("rates-offline")
	c.RatesMaxJump = percentVal("rates-max-jump", 1000)
	c.SearchPerMinute = intVal("search-per-minute", 0, 1000000)
	c.SessionLifetime = durVal("session-lifetime", time.Minute)
	c.SessionIdle = durVal("session-idle", time.Minute)
	if c.SessionIdle > c.SessionLifetime && c.SessionLifetime > 0 {
		bad("session-idle", fmt.Sprintf("want at most the session lifetime (%s)", get("session-lifetime")))
	}

	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", "want host:port such as :8080 or 127.0.0.1:8080")
	} else if _, err := net.LookupPort("tcp", port); err != nil {
		bad("addr", "want a port from 0 to 65535")
	}
	if c.SiteURL == "" {
		c.SiteURL, c.SiteURLDerived = SiteURLFor(c.Addr), true
	}
	if c.DataDir == "" {
		bad("data-dir", "must not be empty")
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("database-url", "want a postgres:// URL")
		}
	}
	if u, err := url.Parse(c.SiteURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("site-url", "want an absolute http(s) URL such as https://news.example.org")
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		bad("time-zone", "unknown zone; want an IANA name such as Asia/Almaty")
	}
	c.Location = loc
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log-level", "want debug, info, warn or error")
	}
	for _, part := range strings.Split(get("trusted-proxies"), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(part)
		if err != nil {
			addr, aerr := netip.ParseAddr(part)
			if aerr != nil {
				bad("trusted-proxies", fmt.Sprintf("want addresses or CIDR ranges; %q is neither", part))
				continue
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, pfx.Masked())
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("metrics-addr", "want host:port such as 127.0.0.1:9464")
		} else if c.MetricsAddr == c.Addr {
			bad("metrics-addr", "must differ from addr: the point is to keep /metrics off the public listener")
		}
	}
	if c.MetricsToken != "" && (len(c.MetricsToken) < 16 || strings.ContainsAny(c.MetricsToken, " \t\r\n")) {
		bad("metrics-token", "want at least 16 characters without spaces")
	}
	switch c.RatesView {
	case "local/usd", "usd/local":
	default:
		bad("rates-view", "want local/usd or usd/local")
	}
	c.Media.check(bad)
	return c, errors.Join(errs...)
}

// check reports settings of the media storage that cannot work.
func (m MediaStorage) check(bad func(name, why string)) {
	if m.Bucket == "" {
		for _, f := range []struct{ name, value string }{{"media-s3-prefix", m.Prefix}, {"media-s3-endpoint", m.Endpoint},
			{"media-s3-region", m.Region}, {"media-s3-access-key", m.AccessKey}, {"media-s3-secret-key", m.SecretKey}} {
			// Named by the bucket, so an error never prints a secret key.
			if s, _ := Lookup(f.name); f.value != "" {
				bad("media-s3-bucket", s.Env+" is set, which needs a bucket; set the bucket or unset it")
			}
		}
	} else if len(m.Bucket) < 3 || len(m.Bucket) > 63 || strings.Trim(strings.ToLower(m.Bucket), "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
		bad("media-s3-bucket", "want a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens")
	}
	for _, c := range m.Prefix {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '/' || c == '_') {
			bad("media-s3-prefix", "want lower-case letters, digits, '-', '_', '.' and '/' only")
			break
		}
	}
	if m.Endpoint != "" {
		if u, err := url.Parse(m.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			bad("media-s3-endpoint", "want an http(s) address without a path, such as https://s3.example.com")
		}
	}
	if (m.AccessKey == "") != (m.SecretKey == "") {
		bad("media-s3-access-key", "set both the access key and DASTAN_MEDIA_S3_SECRET_KEY, or neither")
	}
	if m.PublicURL != "" {
		if u, err := url.Parse(m.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			bad("media-public-url", "want an absolute http(s) URL such as https://cdn.example.org")
		}
	}
}

// parseDuration reads Go's durations (90s, 12h) and whole days (7d).
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3650 {
			return 0, fmt.Errorf("config: %q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}
