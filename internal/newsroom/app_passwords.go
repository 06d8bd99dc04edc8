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

// Application Passwords: each user makes their own, one per app that
// publishes into the newsroom as them through the WordPress API (HTTP
// Basic with their email), sees when and from where each was last used,
// and revokes any of them. A password acts with the user's own role.

type appPasswordsContent struct {
	Passwords []store.AppPassword
	New       string // a password just made, shown this once, in groups of four
	NewName   string
	Email     string // what the app sends as the user name
}

// appPasswordList shows the user's application passwords.
func (n *Newsroom) appPasswordList(w http.ResponseWriter, r *http.Request, u auth.User) {
	fl := n.done(r, u, "app_passwords", "revoked")
	n.appPasswordsPage(w, r, u, http.StatusOK, "", fl, "", "")
}

func (n *Newsroom) appPasswordsPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, msg, fl, made, name string) {
	list, err := n.db.AppPasswords(r.Context(), u.ID)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := appPasswordsContent{Passwords: list, NewName: name, Email: u.Email}
	if made != "" {
		c.New = auth.ShowAppPassword(made)
	}
	n.render(w, status, "app_passwords", Page{Title: n.t(u, "nr.title.app_passwords"), User: u, Nav: "account", Error: msg, Flash: fl, Content: c})
}

// appPasswordSave makes a password or revokes one of the user's own.
func (n *Newsroom) appPasswordSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	switch r.PostFormValue("op") {
	case "create":
		name := strings.TrimSpace(r.PostFormValue("name"))
		if name == "" || len(name) > 100 {
			n.appPasswordsPage(w, r, u, http.StatusUnprocessableEntity, n.t(u, "nr.msg.app_password_name"), "", "", "")
			return
		}
		plain, hash, uuid := auth.NewAppPassword()
		p := store.AppPassword{UserID: u.ID, UUID: uuid, Name: name, Hash: hash, CreatedAt: n.now().UTC()}
		if err := n.db.CreateAppPassword(r.Context(), &p); err != nil {
			n.fail(w, r, u, err)
			return
		}
		n.audit(r.Context(), u, "app-password-create", fmt.Sprintf("application password %d", p.ID), name)
		n.appPasswordsPage(w, r, u, http.StatusOK, "", n.t(u, "nr.msg.app_password_made"), plain, name)
	case "revoke":
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		err := n.db.RevokeAppPassword(r.Context(), u.ID, id, n.now().UTC())
		if errors.Is(err, store.ErrNotFound) {
			n.appPasswordsPage(w, r, u, http.StatusUnprocessableEntity, n.t(u, "nr.msg.app_password_gone"), "", "", "")
			return
		} else if err != nil {
			n.fail(w, r, u, err)
			return
		}
		n.audit(r.Context(), u, "app-password-revoke", fmt.Sprintf("application password %d", id), "")
		http.Redirect(w, r, links.NewsroomAppPasswords+"?done=revoked", http.StatusSeeOther)
	default:
		http.Error(w, n.t(u, "nr.msg.unknown_action"), http.StatusBadRequest)
	}
}
