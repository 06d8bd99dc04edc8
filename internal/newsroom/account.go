package newsroom

import (
	"errors"
	"net/http"

	"dastan/internal/auth"
	"dastan/internal/i18n"
	"dastan/internal/links"
	"dastan/internal/users"
)

type accountContent struct {
	Field     string // the field an error is about, to focus it
	Languages []languageOption
}

// languageOption is one language the newsroom speaks, named in itself.
type languageOption struct {
	Lang, Name string
	Selected   bool
}

// account is the signed-in user's own page: who they are, the language
// they read the newsroom in, and a form to change their password.
func (n *Newsroom) account(w http.ResponseWriter, r *http.Request, u auth.User) {
	lang := n.langOf(u)
	fl := map[string]string{"password": n.words.T(lang, "nr.account.password_changed"), "lang": n.words.T(lang, "nr.account.language_saved")}[r.URL.Query().Get("done")]
	n.render(w, http.StatusOK, "account", Page{Title: n.words.T(lang, "nr.account.title"), User: u, Nav: "account", Flash: fl, Content: n.accountContent(u, "")})
}

func (n *Newsroom) accountContent(u auth.User, field string) accountContent {
	c := accountContent{Field: field}
	for _, l := range n.words.Languages() {
		c.Languages = append(c.Languages, languageOption{Lang: l, Name: n.words.T(l, "lang.self"), Selected: l == n.langOf(u)})
	}
	return c
}

// langOf is the language u reads the newsroom in.
func (n *Newsroom) langOf(u auth.User) string {
	if n.words.Has(u.Lang) {
		return u.Lang
	}
	return i18n.Default
}

// visitor is someone not signed in, who reads the newsroom's sign-in
// and reset pages in the language their browser asks for.
func (n *Newsroom) visitor(r *http.Request) auth.User {
	return auth.User{Lang: n.words.Preferred(r.Header.Get("Accept-Language"))}
}

// accountLanguage saves the language u reads the newsroom in.
func (n *Newsroom) accountLanguage(w http.ResponseWriter, r *http.Request, u auth.User) {
	err := n.users.SetLanguage(r.Context(), u, r.PostFormValue("lang"), n.words.Languages())
	var ue *users.Error
	switch {
	case err == nil:
		http.Redirect(w, r, links.NewsroomAccount+"?done=lang", http.StatusSeeOther)
	case errors.As(err, &ue):
		n.render(w, http.StatusUnprocessableEntity, "account", Page{Title: n.words.T(n.langOf(u), "nr.account.title"), User: u, Nav: "account", Error: n.userError(u, ue), Content: n.accountContent(u, ue.Field)})
	default:
		n.fail(w, r, u, err)
	}
}

// accountSave changes the user's password, given the current one, and
// ends their other sessions; this one stays signed in.
func (n *Newsroom) accountSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if r.PostFormValue("op") == "lang" {
		n.accountLanguage(w, r, u)
		return
	}
	err := n.users.ChangePassword(r.Context(), u, r.PostFormValue("current"), r.PostFormValue("password"), auth.ClientIP(r), auth.SessionHash(r))
	if err == nil {
		http.Redirect(w, r, links.NewsroomAccount+"?done=password", http.StatusSeeOther)
		return
	}
	var ue *users.Error
	if ref, ok := refused(w, err); ok {
		n.render(w, http.StatusTooManyRequests, "account", Page{Title: n.words.T(n.langOf(u), "nr.account.title"), User: u, Nav: "account", Error: n.authRefusal(u, ref), Content: n.accountContent(u, "")})
		return
	}
	switch {
	case errors.As(err, &ue):
		n.render(w, http.StatusUnprocessableEntity, "account", Page{Title: n.words.T(n.langOf(u), "nr.account.title"), User: u, Nav: "account", Error: n.userError(u, ue), Content: n.accountContent(u, ue.Field)})
	default:
		n.fail(w, r, u, err)
	}
}
