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

type tokensContent struct {
	Tokens []store.APIToken
	Roles  []auth.Role // the roles u may give a token: up to u's own
	New    string      // a token just made, shown this once
	All    bool        // the list shows everyone's tokens
}

// tokenList shows API tokens: an admin sees everyone's, an editor their own.
func (n *Newsroom) tokenList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTokens, nil) {
		return
	}
	fl := n.done(r, u, "tokens", "revoked")
	n.tokensPage(w, r, u, http.StatusOK, "", fl, "")
}

func (n *Newsroom) tokensPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, msg, fl, made string) {
	owner := u.ID
	if u.Role == auth.Admin {
		owner = 0
	}
	list, err := n.db.APITokens(r.Context(), owner)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := tokensContent{Tokens: list, New: made, All: owner == 0}
	for _, role := range auth.Roles {
		if auth.Rank(role) <= auth.Rank(u.Role) {
			c.Roles = append(c.Roles, role)
		}
	}
	n.render(w, status, "tokens", Page{Title: n.t(u, "nr.title.tokens"), User: u, Nav: "tokens", Error: msg, Flash: fl, Content: c})
}

// tokenSave makes a token or revokes one.
func (n *Newsroom) tokenSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.ManageTokens, nil) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	switch r.PostFormValue("op") {
	case "create":
		name := strings.TrimSpace(r.PostFormValue("name"))
		role := auth.Role(r.PostFormValue("role"))
		if name == "" || len(name) > 100 {
			n.tokensPage(w, r, u, http.StatusUnprocessableEntity, n.t(u, "nr.msg.token_name"), "", "")
			return
		}
		if !auth.ValidRole(string(role)) || auth.Rank(role) > auth.Rank(u.Role) {
			n.tokensPage(w, r, u, http.StatusUnprocessableEntity, n.t(u, "nr.msg.token_role"), "", "")
			return
		}
		plain, hash := auth.NewAPIToken()
		t := store.APIToken{UserID: u.ID, Name: name, Role: string(role), Hash: hash, CreatedAt: n.now().UTC()}
		if err := n.db.CreateAPIToken(r.Context(), &t); err != nil {
			n.fail(w, r, u, err)
			return
		}
		n.audit(r.Context(), u, "token-create", fmt.Sprintf("API token %d", t.ID), fmt.Sprintf("%s (%s)", name, role))
		n.tokensPage(w, r, u, http.StatusOK, "", n.t(u, "nr.msg.token_made"), plain)
	case "revoke":
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		t, err := n.db.APITokenByID(r.Context(), id)
		if err != nil || (u.Role != auth.Admin && t.UserID != u.ID) {
			n.tokensPage(w, r, u, http.StatusUnprocessableEntity, n.t(u, "nr.msg.token_gone"), "", "")
			return
		}
		if err := n.db.RevokeAPIToken(r.Context(), id, n.now().UTC()); err != nil && !errors.Is(err, store.ErrNotFound) {
			n.fail(w, r, u, err)
			return
		}
		n.audit(r.Context(), u, "token-revoke", fmt.Sprintf("API token %d", t.ID), t.Name)
		http.Redirect(w, r, links.NewsroomTokens+"?done=revoked", http.StatusSeeOther)
	default:
		http.Error(w, n.t(u, "nr.msg.unknown_action"), http.StatusBadRequest)
	}
}
