package api

import (
	"errors"
	"net/http"

	"dastan/internal/auth"
	"dastan/internal/ratelimit"
)

// identifyBasic signs a WordPress client in with the user's email and
// one of their Application Passwords (HTTP Basic, as WordPress 5.6+).
// Failures are counted and limited as newsroom sign-ins are; it answers
// the request itself and returns false when it refuses.
func (a *API) identifyBasic(w http.ResponseWriter, r *http.Request, email, password string) (caller, bool) {
	c := caller{ip: auth.ClientIP(r)}
	if a.auth == nil {
		wpError(w, http.StatusUnauthorized, "incorrect_password", "Application passwords are not available here.", nil)
		return c, false
	}
	p, u, err := a.auth.VerifyAppPassword(r.Context(), email, password, c.ip)
	var refused *auth.RefusedError
	switch {
	case errors.As(err, &refused):
		ratelimit.SetRetryAfter(w.Header(), refused.RetryAfter)
		wpError(w, http.StatusTooManyRequests, "rest_too_many_requests", refused.Error(), nil)
		return c, false
	case errors.Is(err, auth.ErrBadCredentials):
		w.Header().Set("WWW-Authenticate", `Basic realm="WordPress"`)
		wpError(w, http.StatusUnauthorized, "incorrect_password", "The provided password is an invalid application password.", nil)
		return c, false
	case err != nil:
		a.fail(w, r, err)
		return c, false
	}
	c.app = &p
	c.user = auth.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: auth.Role(u.Role)}
	return c, true
}
