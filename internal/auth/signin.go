package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"dastan/internal/store"
)

// Errors sign-in returns; their text is fit to show, as the sentences the
// sign-in page prints (hence the capitals and full stops).
var (
	//lint:ignore ST1005 a sentence shown to people as it is
	ErrBadCredentials = errors.New("That email and password do not match.")
	//lint:ignore ST1005 a sentence shown to people as it is
	ErrThrottled = errors.New("Too many failed sign-ins. Please wait a little and try again.")
	//lint:ignore ST1005 a sentence shown to people as it is
	ErrBusy = errors.New("Too many sign-ins at once. Please wait a moment and try again.")
)

// RefusedError is a sign-in refused before any password was checked:
// too many attempts (ErrThrottled) or every hasher busy (ErrBusy).
type RefusedError struct {
	Err        error
	RetryAfter time.Duration // when trying again may work
}

func (e *RefusedError) Error() string { return e.Err.Error() }

// Unwrap lets errors.Is find ErrThrottled or ErrBusy.
func (e *RefusedError) Unwrap() error { return e.Err }

func refused(err error, retry time.Duration) error {
	return &RefusedError{Err: err, RetryAfter: max(retry, time.Second)}
}

// throttleKey names the account and address a count is kept for, hashed
// so the table holds no addresses.
func throttleKey(email, ip string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email)) + "|" + ip))
	return hex.EncodeToString(sum[:])
}

// backoff is how long sign-ins stay refused after n attempts since the
// last success: free for the first four, then doubling from two seconds
// up to fifteen minutes.
func backoff(n int) time.Duration {
	if n < 5 {
		return 0
	}
	d := 2 * time.Second << min(n-5, 10)
	return min(d, 15*time.Minute)
}

// SignIn checks the email and password and, if they match, starts a new
// session and sets its cookie (see StartSession).
func (s *Service) SignIn(ctx context.Context, w http.ResponseWriter, r *http.Request, email, password string) (User, error) {
	su, err := s.Verify(ctx, email, password, ClientIP(r))
	if err != nil {
		return User{}, err
	}
	if err := s.StartSession(ctx, w, r, su.ID); err != nil {
		return User{}, err
	}
	return fromStore(su), nil
}

// Verify checks an email and password the way sign-in does, from the
// client address ip (counted by its AddressKey), and returns the enabled user they belong to. In
// order, so that a flood costs little:
//
//  1. the address's budget (in memory, no I/O) refuses a flood from one
//     address with ErrThrottled;
//  2. a turn among the hashers is taken, or ErrBusy when too many wait;
//     addresses a sign-in succeeded from lately wait in a line of their
//     own that goes first, so a flood from new addresses (a botnet) does
//     not shut the newsroom out;
//  3. the attempt is counted in the store for this email and address,
//     before the password is looked at, so attempts made at once — on
//     any instance — cannot all slip under the count; a lock from
//     earlier failures refuses it with ErrThrottled;
//  4. only then is the password hashed, for an unknown or disabled email
//     too, so that timing does not tell which emails have accounts.
//
// Refusals are RefusedErrors, which say when to try again.
func (s *Service) Verify(ctx context.Context, email, password, ip string) (store.User, error) {
	ip = AddressKey(ip)
	if ok, retry := s.addresses.Allow(ip, s.budget); !ok {
		s.stats.throttled.Add(1)
		return store.User{}, refused(ErrThrottled, retry)
	}
	release, err := s.hashers.acquire(ctx, s.known.has(ip, s.now()))
	if errors.Is(err, ErrBusy) {
		s.stats.busy.Add(1)
		return store.User{}, refused(ErrBusy, hashWait)
	} else if err != nil {
		return store.User{}, err
	}
	defer release()
	key, now := throttleKey(email, ip), s.now()
	ok, until, err := s.db.SigninAttempt(ctx, key, now, backoff)
	if err != nil {
		return store.User{}, err
	}
	if !ok {
		s.stats.throttled.Add(1)
		return store.User{}, refused(ErrThrottled, until.Sub(now))
	}
	su, err := s.db.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.User{}, err
	}
	s.stats.hashes.Add(1)
	good := false
	if err == nil && !su.Disabled {
		good, _ = CheckPassword(password, su.PasswordHash)
	} else {
		HashPassword(password, s.params) // the same time as a real check
	}
	if !good {
		return store.User{}, ErrBadCredentials
	}
	if err := s.db.ClearSigninFailures(ctx, key); err != nil {
		return store.User{}, err
	}
	s.addresses.Refund(ip)
	s.known.add(ip, now)
	return su, nil
}
