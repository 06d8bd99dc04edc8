package newsroom

import (
	"errors"
	"net/http"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/users"
)

type resetContent struct {
	Email string // whose password the link sets
}

// resetGone is the page for a link that is spent, expired or made up.
func (n *Newsroom) resetGone(w http.ResponseWriter) {
	n.render(w, http.StatusNotFound, "reset", Page{Title: n.t(auth.User{}, "nr.title.reset"),
		Error: n.t(auth.User{}, "nr.msg.reset_expired")})
}

// resetForm shows the page a one-time reset link opens. Opening it
// spends nothing, so link previews in chat apps do no harm.
func (n *Newsroom) resetForm(w http.ResponseWriter, r *http.Request) {
	u, err := n.users.ResetFor(r.Context(), r.PathValue("token"))
	if err != nil {
		n.resetError(w, r, err, resetContent{})
		return
	}
	n.render(w, http.StatusOK, "reset", Page{Title: n.t(auth.User{}, "nr.title.reset"), Content: resetContent{Email: u.Email}})
}

// resetSave spends the link: it sets the new password, ends the user's
// other sessions and signs this browser in.
func (n *Newsroom) resetSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	token := r.PathValue("token")
	u, err := n.users.UseReset(r.Context(), token, r.PostFormValue("password"))
	if err != nil {
		c := resetContent{}
		if ru, err := n.users.ResetFor(r.Context(), token); err == nil {
			c.Email = ru.Email
		}
		n.resetError(w, r, err, c)
		return
	}
	if err := n.auth.StartSession(r.Context(), w, r, u.ID); err != nil {
		n.log.Error("sign-in after reset", "err", err)
		http.Redirect(w, r, links.NewsroomSignin, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, links.NewsroomArticles, http.StatusSeeOther)
}

func (n *Newsroom) resetError(w http.ResponseWriter, r *http.Request, err error, c resetContent) {
	var ue *users.Error
	if ref, ok := refused(w, err); ok {
		n.render(w, http.StatusTooManyRequests, "reset", Page{Title: n.t(auth.User{}, "nr.title.reset"), Error: n.authRefusal(auth.User{}, ref), Content: c})
		return
	}
	switch {
	case errors.Is(err, users.ErrNotFound):
		n.resetGone(w)
	case errors.As(err, &ue):
		n.render(w, http.StatusUnprocessableEntity, "reset", Page{Title: n.t(auth.User{}, "nr.title.reset"), Error: n.userError(auth.User{}, ue), Content: c})
	default:
		n.log.Error("password reset", "err", err)
		n.render(w, http.StatusInternalServerError, "reset", Page{Title: n.t(auth.User{}, "nr.title.reset"), Error: n.t(auth.User{}, "nr.msg.went_wrong"), Content: c})
	}
}
