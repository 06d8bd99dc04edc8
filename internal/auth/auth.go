package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"dastan/internal/links"
	"dastan/internal/store"
)

// CookieName is the session cookie's name.
const CookieName = "dastan_session"

// SessionLife is how long a session lasts after sign-in.
const SessionLife = 14 * 24 * time.Hour

// Errors sign-in returns; their text is fit to show, as the sentences the
// sign-in page prints (hence the capitals and full stops).
var (
	//lint:ignore ST1005 a sentence shown to people as it is
	ErrBadCredentials = errors.New("That email and password do not match.")
	//lint:ignore ST1005 a sentence shown to people as it is
	ErrThrottled = errors.New("Too many failed sign-ins. Please wait a little and try again.")
)

// Service signs people in and out and finds who a request comes from.
type Service struct {
	db     *store.DB
	params Params
	now    func() time.Time
	// secureSite is true when the site's URL is https: cookies are then
	// always Secure, even behind a proxy that ends TLS.
	secureSite bool
}

// Options are what a Service is built from.
type Options struct {
	Store   *store.DB
	SiteURL string
	Params  Params           // zero means DefaultParams
	Now     func() time.Time // nil means time.Now
}

// New returns a Service over the store.
func New(o Options) *Service {
	if o.Params == (Params{}) {
		o.Params = DefaultParams
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: o.Store, params: o.Params, now: o.Now, secureSite: strings.HasPrefix(o.SiteURL, "https://")}
}

// AddUser creates a user with a hashed password.
func (s *Service) AddUser(ctx context.Context, email, name string, role Role, password string) (User, error) {
	if !ValidRole(string(role)) {
		return User{}, fmt.Errorf("auth: unknown role %q", role)
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") {
		return User{}, fmt.Errorf("auth: %q is not an email address", email)
	}
	if len(password) < 10 {
		return User{}, errors.New("auth: a password needs at least 10 characters")
	}
	hash, err := HashPassword(password, s.params)
	if err != nil {
		return User{}, err
	}
	u := store.User{Email: email, Name: name, Role: string(role), PasswordHash: hash, CreatedAt: s.now().UTC()}
	if err := s.db.CreateUser(ctx, &u); err != nil {
		return User{}, err
	}
	return fromStore(u), nil
}

func fromStore(u store.User) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Role: Role(u.Role)}
}

// throttleKey names the pair a failure counts against, hashed so the
// table holds no addresses.
func throttleKey(email, ip string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email)) + "|" + ip))
	return hex.EncodeToString(sum[:])
}

// backoff is how long sign-ins stay refused after n failures: free for
// the first four, then doubling from two seconds up to fifteen minutes.
func backoff(n int) time.Duration {
	if n < 5 {
		return 0
	}
	d := 2 * time.Second << min(n-5, 10)
	return min(d, 15*time.Minute)
}

// SignIn checks the email and password and, if they match, starts a new
// session and sets its cookie, ending the session the request came with
// (rotation: a token known before sign-in is worthless after it).
func (s *Service) SignIn(ctx context.Context, w http.ResponseWriter, r *http.Request, email, password string) (User, error) {
	now := s.now()
	key := throttleKey(email, ClientIP(r))
	failures, until, err := s.db.SigninFailures(ctx, key)
	if err != nil {
		return User{}, err
	}
	if now.Before(until) {
		return User{}, ErrThrottled
	}
	su, err := s.db.UserByEmail(ctx, email)
	ok := false
	if err == nil && !su.Disabled {
		ok, _ = CheckPassword(password, su.PasswordHash)
	} else if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check, so timing does not tell
		// which emails have accounts.
		HashPassword(password, s.params)
	} else if err != nil {
		return User{}, err
	}
	if !ok {
		failures++
		if err := s.db.RecordSigninFailure(ctx, key, failures, now.Add(backoff(failures)), now); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	s.db.ClearSigninFailures(ctx, key)
	if c, err := r.Cookie(CookieName); err == nil {
		s.db.DeleteSession(ctx, hashToken(c.Value))
	}
	token := newToken()
	if err := s.db.CreateSession(ctx, hashToken(token), su.ID, now, now.Add(SessionLife)); err != nil {
		return User{}, err
	}
	http.SetCookie(w, s.cookie(r, token, int(SessionLife/time.Second)))
	return fromStore(su), nil
}

// SignOut ends the request's session, or with everywhere every session
// of its user, and clears the cookie.
func (s *Service) SignOut(ctx context.Context, w http.ResponseWriter, r *http.Request, everywhere bool) error {
	defer http.SetCookie(w, s.cookie(r, "", -1))
	c, err := r.Cookie(CookieName)
	if err != nil {
		return nil
	}
	if everywhere {
		u, err := s.db.SessionUser(ctx, hashToken(c.Value), s.now())
		if err == nil {
			return s.db.DeleteUserSessions(ctx, u.ID)
		}
	}
	return s.db.DeleteSession(ctx, hashToken(c.Value))
}

// UserOf returns the user whose session the request carries.
func (s *Service) UserOf(r *http.Request) (User, bool) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return User{}, false
	}
	su, err := s.db.SessionUser(r.Context(), hashToken(c.Value), s.now())
	if err != nil {
		return User{}, false
	}
	return fromStore(su), true
}

// cookie is the session cookie: HttpOnly, SameSite=Lax, limited to the
// newsroom, and Secure whenever the site is https or the request came over
// TLS. A plain-http site (the local demo) gets a cookie without Secure,
// or browsers would drop it.
func (s *Service) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     CookieName,
		Value:    value,
		Path:     links.Newsroom,
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.secureSite || r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	}
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the sessions table keeps: a stolen copy of the table
// cannot be replayed as cookies.
func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
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
