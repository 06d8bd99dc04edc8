package auth

import (
	"context"
	"net/http"
	"time"

	"dastan/internal/links"
	"dastan/internal/store"
)

// touchEvery is how stale a session's idle end may grow before a request
// moves it on: at most one write a minute per session, not one a request.
const touchEvery = time.Minute

// StartSession signs the request's browser in as userID: it starts a new
// session and sets its cookie, ending the session the request came with
// (rotation: a token known before sign-in is worthless after it).
func (s *Service) StartSession(ctx context.Context, w http.ResponseWriter, r *http.Request, userID int64) error {
	if h := SessionHash(r); h != "" {
		if err := s.db.DeleteSession(ctx, h); err != nil {
			return err
		}
	}
	token, now := newToken(), s.now()
	err := s.db.CreateSession(ctx, store.Session{TokenHash: hashToken(token), UserID: userID, CreatedAt: now,
		ExpiresAt: now.Add(s.lifetime), IdleExpiresAt: now.Add(s.idle)})
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(r, token, int(s.lifetime/time.Second)))
	return nil
}

// SignOut ends the request's session, or with everywhere every session
// of its user, and clears the cookie.
func (s *Service) SignOut(ctx context.Context, w http.ResponseWriter, r *http.Request, everywhere bool) error {
	defer http.SetCookie(w, s.cookie(r, "", -1))
	h := SessionHash(r)
	if h == "" {
		return nil
	}
	if everywhere {
		if u, _, err := s.db.SessionUser(ctx, h, s.now()); err == nil {
			return s.db.DeleteUserSessions(ctx, u.ID, "")
		}
	}
	return s.db.DeleteSession(ctx, h)
}

// UserOf returns the user whose session the request carries. Using a
// session moves its idle end on, at most once a minute.
func (s *Service) UserOf(r *http.Request) (User, bool) {
	h := SessionHash(r)
	if h == "" {
		return User{}, false
	}
	now := s.now()
	su, sess, err := s.db.SessionUser(r.Context(), h, now)
	if err != nil {
		return User{}, false
	}
	if next := now.Add(s.idle); sess.IdleExpiresAt.Before(sess.ExpiresAt) && next.Sub(sess.IdleExpiresAt) >= touchEvery {
		s.db.TouchSession(r.Context(), h, next) // a failure only shortens the session
	}
	return fromStore(su), true
}

// SessionHash is the store's name for the session the request carries,
// "" when it carries none.
func SessionHash(r *http.Request) string {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return ""
	}
	return hashToken(c.Value)
}

// Tidy deletes sessions and reset links that have ended, and sign-in
// counts nobody has added to for a day whose lock is over.
func (s *Service) Tidy(ctx context.Context) error {
	now := s.now()
	if err := s.db.DeleteExpiredSessions(ctx, now); err != nil {
		return err
	}
	return s.db.DeleteStaleSigninFailures(ctx, now.Add(-24*time.Hour), now)
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
