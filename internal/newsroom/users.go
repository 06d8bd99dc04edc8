package newsroom

import (
	"errors"
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/store"
	"dastan/internal/users"
)

type usersContent struct {
	Users []store.User
	Roles []auth.Role
	Me    int64 // the admin looking, who cannot disable themselves
	// Secret is a new password or reset link, shown only this once.
	Secret, SecretFor, SecretKind string
}

// userList is the admins' list of users.
func (n *Newsroom) userList(w http.ResponseWriter, r *http.Request, u auth.User) {
	n.usersPage(w, r, u, http.StatusOK, usersContent{}, "")
}

func (n *Newsroom) usersPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, c usersContent, msg string) {
	var err error
	if c.Users, err = n.users.List(r.Context(), u); err != nil {
		n.usersFailed(w, r, u, err)
		return
	}
	c.Roles, c.Me = auth.Roles, u.ID
	fl := n.done(r, u, "users", "role", "disabled", "enabled")
	n.render(w, status, "users", Page{Title: n.t(u, "nr.title.users"), User: u, Nav: "users", Error: msg, Flash: fl, Content: c})
}

// usersFailed shows why the users service refused: a plain message on
// the users page, 403 for a role that may not, 429 when busy.
func (n *Newsroom) usersFailed(w http.ResponseWriter, r *http.Request, u auth.User, err error) {
	var ue *users.Error
	if ref, ok := refused(w, err); ok {
		n.usersPage(w, r, u, http.StatusTooManyRequests, usersContent{}, n.authRefusal(u, ref))
		return
	}
	switch {
	case errors.Is(err, users.ErrForbidden):
		n.fail(w, r, u, errForbidden)
	case errors.As(err, &ue):
		n.usersPage(w, r, u, http.StatusUnprocessableEntity, usersContent{}, n.userError(u, ue))
	default:
		n.fail(w, r, u, err)
	}
}

// userSave adds a user, changes a role, disables or enables a user, or
// makes a reset link; the users service checks and audits each.
func (n *Newsroom) userSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	var err error
	switch r.PostFormValue("op") {
	case "add":
		var nu auth.User
		var generated string
		nu, generated, err = n.users.Add(ctx, u, users.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
			Role: auth.Role(r.PostFormValue("role")), Password: r.PostFormValue("password")})
		if err == nil {
			c := usersContent{}
			if generated != "" {
				c.Secret, c.SecretFor, c.SecretKind = generated, nu.Email, "password"
			}
			n.usersPage(w, r, u, http.StatusOK, c, "")
			return
		}
	case "role":
		if err = n.users.SetRole(ctx, u, id, auth.Role(r.PostFormValue("role"))); err == nil {
			http.Redirect(w, r, links.NewsroomUsers+"?done=role", http.StatusSeeOther)
			return
		}
	case "disable":
		if err = n.users.Disable(ctx, u, id); err == nil {
			http.Redirect(w, r, links.NewsroomUsers+"?done=disabled", http.StatusSeeOther)
			return
		}
	case "enable":
		if err = n.users.Enable(ctx, u, id); err == nil {
			http.Redirect(w, r, links.NewsroomUsers+"?done=enabled", http.StatusSeeOther)
			return
		}
	case "reset-link":
		var token string
		if token, _, err = n.users.IssueReset(ctx, u, id); err == nil {
			target, _ := n.db.UserByID(ctx, id)
			n.usersPage(w, r, u, http.StatusOK, usersContent{Secret: links.Abs(n.cfg.SiteURL, links.NewsroomReset(token)), SecretFor: target.Email, SecretKind: "link"}, "")
			return
		}
	default:
		http.Error(w, n.t(u, "nr.msg.unknown_action"), http.StatusBadRequest)
		return
	}
	n.usersFailed(w, r, u, err)
}
