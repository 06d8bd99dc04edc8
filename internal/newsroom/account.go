package newsroom

import (
	"errors"
	"net/http"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/users"
)

type accountContent struct {
	Field string // the field an error is about, to focus it
}

// account is the signed-in user's own page: who they are, and a form to
// change their password.
func (n *Newsroom) account(w http.ResponseWriter, r *http.Request, u auth.User) {
	fl := map[string]string{"password": "Password changed. Your other sessions have ended."}[r.URL.Query().Get("done")]
	n.render(w, http.StatusOK, "account", Page{Title: "Your account", User: u, Nav: "account", Flash: fl})
}

// accountSave changes the user's password, given the current one, and
// ends their other sessions; this one stays signed in.
func (n *Newsroom) accountSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	err := n.users.ChangePassword(r.Context(), u, r.PostFormValue("current"), r.PostFormValue("password"), auth.ClientIP(r), auth.SessionHash(r))
	if err == nil {
		http.Redirect(w, r, links.NewsroomAccount+"?done=password", http.StatusSeeOther)
		return
	}
	var ue *users.Error
	if ref, ok := refused(w, err); ok {
		n.render(w, http.StatusTooManyRequests, "account", Page{Title: "Your account", User: u, Nav: "account", Error: ref.Error()})
		return
	}
	switch {
	case errors.As(err, &ue):
		n.render(w, http.StatusUnprocessableEntity, "account", Page{Title: "Your account", User: u, Nav: "account", Error: ue.Msg, Content: accountContent{Field: ue.Field}})
	default:
		n.fail(w, r, u, err)
	}
}
