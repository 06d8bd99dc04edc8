package newsroom

import (
	"errors"
	"net/http"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/store"
	"dastan/internal/users"
)

type resetContent struct {
	Email string // whose password the link sets
}

// resetGone is the page for a link that is spent, expired or made up.
func (n *Newsroom) resetGone(w http.ResponseWriter, v auth.User) {
	n.render(w, http.StatusNotFound, "reset", Page{Title: n.t(v, "nr.title.reset"), Lang: v.Lang,
		Error: n.t(v, "nr.msg.reset_expired")})
}

// reader is who reads a reset page: the user the link is for, in the
// language they chose, or else a visitor in their browser's.
func (n *Newsroom) reader(r *http.Request, u store.User) auth.User {
	if n.words.Has(u.Lang) {
		return auth.User{Lang: u.Lang}
	}
	return n.visitor(r)
}

// resetForm shows the page a one-time reset link opens. Opening it
// spends nothing, so link previews in chat apps do no harm.
func (n *Newsroom) resetForm(w http.ResponseWriter, r *http.Request) {
	u, err := n.users.ResetFor(r.Context(), r.PathValue("token"))
	if err != nil {
		n.resetError(w, r, n.visitor(r), err, resetContent{})
		return
	}
	v := n.reader(r, u)
	n.render(w, http.StatusOK, "reset", Page{Title: n.t(v, "nr.title.reset"), Lang: v.Lang, Content: resetContent{Email: u.Email}})
}

// resetSave spends the link: it sets the new password, ends the user's
// other sessions and signs this browser in.
func (n *Newsroom) resetSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	token := r.PathValue("token")
	u, err := n.users.UseReset(r.Context(), token, r.PostFormValue("password"))
	if err != nil {
		c, v := resetContent{}, n.visitor(r)
		if ru, err := n.users.ResetFor(r.Context(), token); err == nil {
			c.Email, v = ru.Email, n.reader(r, ru)
		}
		n.resetError(w, r, v, err, c)
		return
	}
	if err := n.auth.StartSession(r.Context(), w, r, u.ID); err != nil {
		n.log.Error("sign-in after reset", "err", err)
		http.Redirect(w, r, links.NewsroomSignin, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, links.NewsroomArticles, http.StatusSeeOther)
}

func (n *Newsroom) resetError(w http.ResponseWriter, r *http.Request, v auth.User, err error, c resetContent) {
	var ue *users.Error
	page := Page{Title: n.t(v, "nr.title.reset"), Lang: v.Lang, Content: c}
	if ref, ok := refused(w, err); ok {
		page.Error = n.authRefusal(v, ref)
		n.render(w, http.StatusTooManyRequests, "reset", page)
		return
	}
	switch {
	case errors.Is(err, users.ErrNotFound):
		n.resetGone(w, v)
	case errors.As(err, &ue):
		page.Error = n.userError(v, ue)
		n.render(w, http.StatusUnprocessableEntity, "reset", page)
	default:
		n.log.Error("password reset", "err", err)
		page.Error = n.t(v, "nr.msg.went_wrong")
		n.render(w, http.StatusInternalServerError, "reset", page)
	}
}
