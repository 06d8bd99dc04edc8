package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"dastan/internal/ratelimit"
	"dastan/internal/store"
)

// CookieName is the session cookie's name.
const CookieName = "dastan_session"

// Defaults for a Service's session lifetimes.
const (
	DefaultSessionLifetime = 7 * 24 * time.Hour // from sign-in, however busy
	DefaultSessionIdle     = 12 * time.Hour     // without a request
)

// DefaultAddressBudget is how many sign-in attempts one client address
// may make: twenty at once, then one every three seconds. A sign-in that
// succeeds gives its attempt back, so a newsroom behind one office
// address is not held up by its own colleagues.
var DefaultAddressBudget = ratelimit.Budget{Rate: 1.0 / 3, Burst: 20}

// Service signs people in and out and finds who a request comes from.
type Service struct {
	db       *store.DB
	params   Params
	now      func() time.Time
	lifetime time.Duration
	idle     time.Duration
	// secureSite is true when the site's URL is https: cookies are then
	// always Secure, even behind a proxy that ends TLS.
	secureSite bool
	hashers    *hashers
	known      knownAddresses // where sign-ins succeeded lately
	addresses  *ratelimit.Limiter
	budget     ratelimit.Budget
	stats      stats
}

// Options are what a Service is built from.
type Options struct {
	Store           *store.DB
	SiteURL         string
	Params          Params           // zero means DefaultParams
	Now             func() time.Time // nil means time.Now
	SessionLifetime time.Duration    // zero means DefaultSessionLifetime
	SessionIdle     time.Duration    // zero means DefaultSessionIdle
	// Hashers bounds how many passwords are hashed at once. Each hash
	// takes Params.Memory (64 MiB) and Params.Threads cores while it runs,
	// so zero means one per four CPUs, at least one.
	Hashers int
	// AddressBudget is the sign-in attempts per client address; zero
	// means DefaultAddressBudget. Tests make it large.
	AddressBudget ratelimit.Budget
}

// New returns a Service over the store.
func New(o Options) *Service {
	if o.Params == (Params{}) {
		o.Params = DefaultParams
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SessionLifetime <= 0 {
		o.SessionLifetime = DefaultSessionLifetime
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = DefaultSessionIdle
	}
	if o.Hashers <= 0 {
		o.Hashers = max(1, runtime.GOMAXPROCS(0)/4)
	}
	if o.AddressBudget == (ratelimit.Budget{}) {
		o.AddressBudget = DefaultAddressBudget
	}
	return &Service{db: o.Store, params: o.Params, now: o.Now, lifetime: o.SessionLifetime, idle: min(o.SessionIdle, o.SessionLifetime),
		secureSite: strings.HasPrefix(o.SiteURL, "https://"), hashers: newHashers(o.Hashers),
		addresses: ratelimit.New(0, o.Now).Share(o.Store.Tally("signin")), budget: o.AddressBudget}
}

func fromStore(u store.User) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Role: Role(u.Role), Lang: u.Lang}
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the store keeps of a session, API token or reset
// link: a stolen copy of the table cannot be replayed.
func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// NewResetToken makes the secret of a one-time password-reset link, and
// the hash the store keeps instead of it.
func NewResetToken() (token, hash string) {
	token = newToken()
	return token, hashToken(token)
}

// HashResetToken is the hash a presented reset token is looked up by; ok
// is false when it cannot be one.
func HashResetToken(token string) (hash string, ok bool) {
	if len(token) != 43 || strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return "", false
	}
	return hashToken(token), true
}

// AddressKey is what per-address budgets and counts are kept by: an IPv4
// address itself, and for IPv6 its /64, which one household or one server
// is given whole; counting single IPv6 addresses would let one attacker
// start afresh from each of billions.
func AddressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}

// ClientIP is the reader's address: the peer's, which the server has
// already replaced with the forwarded one when the peer is a trusted proxy
// (DASTAN_TRUSTED_PROXIES). Headers are never read here: a client could
// name any address and escape a throttle.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
