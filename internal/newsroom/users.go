package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/store"
)

type usersContent struct {
	Users     []store.User
	Roles     []auth.Role
	Generated string // a new user's generated password, shown once
	NewEmail  string
}

// userList is the admins' list of users.
func (n *Newsroom) userList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageUsers, nil) {
		return
	}
	n.usersPage(w, r, u, http.StatusOK, usersContent{}, "")
}

func (n *Newsroom) usersPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, c usersContent, msg string) {
	var err error
	if c.Users, err = n.db.Users(r.Context()); err != nil {
		n.fail(w, r, u, err)
		return
	}
	c.Roles = auth.Roles
	fl := map[string]string{"role": "Role changed."}[r.URL.Query().Get("done")]
	n.render(w, status, "users", Page{Title: "Users", User: u, Nav: "users", Error: msg, Flash: fl, Content: c})
}

// userSave adds a user or changes a role. Role changes are audited.
func (n *Newsroom) userSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageUsers, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	role := r.PostFormValue("role")
	if !auth.ValidRole(role) {
		n.usersPage(w, r, u, http.StatusUnprocessableEntity, usersContent{}, "Choose a role.")
		return
	}
	switch r.PostFormValue("op") {
	case "add":
		pw := r.PostFormValue("password")
		generated := ""
		if pw == "" {
			pw = auth.GeneratePassword()
			generated = pw
		}
		nu, err := n.auth.AddUser(r.Context(), r.PostFormValue("email"), strings.TrimSpace(r.PostFormValue("name")), auth.Role(role), pw)
		if err != nil {
			msg := strings.TrimPrefix(err.Error(), "auth: ")
			if errors.Is(err, store.ErrExists) {
				msg = "There is already a user with that email."
			}
			n.usersPage(w, r, u, http.StatusUnprocessableEntity, usersContent{}, msg)
			return
		}
		n.audit(r.Context(), u, "add-user", nu.Email, role)
		n.usersPage(w, r, u, http.StatusOK, usersContent{Generated: generated, NewEmail: nu.Email}, "")
	case "role":
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		target, err := n.db.UserByID(r.Context(), id)
		if err != nil {
			n.fail(w, r, u, err)
			return
		}
		if target.ID == u.ID && role != string(auth.Admin) {
			n.usersPage(w, r, u, http.StatusUnprocessableEntity, usersContent{}, "You cannot take away your own admin role; ask another admin.")
			return
		}
		if err := n.db.SetUserRole(r.Context(), id, role); err != nil {
			n.fail(w, r, u, err)
			return
		}
		n.audit(r.Context(), u, "change-role", target.Email, fmt.Sprintf("%s → %s", target.Role, role))
		http.Redirect(w, r, links.NewsroomUsers+"?done=role", http.StatusSeeOther)
	default:
		http.Error(w, "Unknown action.", http.StatusBadRequest)
	}
}
