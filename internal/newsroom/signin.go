package newsroom

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dastan/internal/auth"
	"dastan/internal/links"
)

type signinContent struct {
	Email, Next string
}

// safeNext keeps the after-sign-in address inside the newsroom.
func safeNext(s string) string {
	if strings.HasPrefix(s, Prefix) && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\\\r\n") {
		return s
	}
	return links.NewsroomArticles
}

func (n *Newsroom) signinForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := n.auth.UserOf(r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	v := n.visitor(r)
	n.render(w, http.StatusOK, "signin", Page{Title: n.t(v, "nr.title.signin"), Lang: v.Lang, Content: signinContent{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (n *Newsroom) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	_, err := n.auth.SignIn(r.Context(), w, r, email, r.PostFormValue("password"))
	if err != nil {
		v := n.visitor(r)
		status, msg := n.signinError(w, v, err)
		n.render(w, status, "signin", Page{Title: n.t(v, "nr.title.signin"), Lang: v.Lang, Error: msg, Content: signinContent{Email: email, Next: next}})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signinError is the status and words for a refused sign-in or password
// check; a refusal before any check is a 429 with Retry-After.
func (n *Newsroom) signinError(w http.ResponseWriter, v auth.User, err error) (int, string) {
	if ref, ok := refused(w, err); ok {
		return http.StatusTooManyRequests, n.authRefusal(v, ref)
	}
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		return http.StatusUnauthorized, n.authRefusal(v, err)
	}
	n.log.Error("sign-in", "err", err)
	return http.StatusInternalServerError, n.t(v, "nr.msg.signin_failed")
}

// authRefusal is a refused sign-in or password check in u's language.
func (n *Newsroom) authRefusal(u auth.User, err error) string {
	switch {
	case errors.Is(err, auth.ErrThrottled):
		return n.t(u, "nr.msg.throttled")
	case errors.Is(err, auth.ErrBusy):
		return n.t(u, "nr.msg.busy")
	case errors.Is(err, auth.ErrBadCredentials):
		return n.t(u, "nr.msg.bad_credentials")
	}
	return err.Error()
}

// signout ends this session, or every session of the user when the form
// asks for "everywhere".
func (n *Newsroom) signout(w http.ResponseWriter, r *http.Request) {
	if err := n.auth.SignOut(r.Context(), w, r, r.PostFormValue("everywhere") != ""); err != nil {
		n.log.Error("sign-out", "err", err)
	}
	http.Redirect(w, r, links.NewsroomSignin, http.StatusSeeOther)
}

// refused reports whether err turned a request away before any password
// was checked (too many attempts, or too many at once), and then says
// on w when to try again.
func refused(w http.ResponseWriter, err error) (*auth.RefusedError, bool) {
	var ref *auth.RefusedError
	if !errors.As(err, &ref) {
		return nil, false
	}
	w.Header().Set("Retry-After", strconv.Itoa(int((ref.RetryAfter+time.Second-1)/time.Second)))
	return ref, true
}
