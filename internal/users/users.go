// Package users is the newsroom's people as an application service:
// adding them, their roles, turning them off and on, their passwords and
// one-time reset links. Each operation asks auth.Can, validates its input
// with errors fit to show, and writes the change, what must end with it
// (sessions, API tokens, reset links) and its audit entry in one
// transaction. The newsroom's screens and `dastan user` are thin
// adapters over it.
package users

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"dastan/internal/auth"
	"dastan/internal/i18n"
	"dastan/internal/store"
)

// ResetLife is how long a password-reset link works.
const ResetLife = 24 * time.Hour

// System is who acts from the command line: the machine's operator, with
// an admin's rights. The audit log names no user for it.
var System = auth.User{Role: auth.Admin, Email: "the command line"}

// Kinds of refusal; an *Error matches one with errors.Is.
var (
	ErrInvalid   = errors.New("invalid input")                // a field is wrong; the text says which and why
	ErrForbidden = errors.New("forbidden")                    // the actor's role does not allow it
	ErrRefused   = errors.New("refused for this user")        // allowed in general, not here (the last admin, oneself)
	ErrNotFound  = fmt.Errorf("users: %w", store.ErrNotFound) // no such user, or a reset link spent or expired
)

// Error is a refused operation; its text is fit to show as it is.
type Error struct {
	Kind  error  // ErrInvalid, ErrForbidden or ErrRefused
	Field string // the form field at fault, if one is
	Msg   string // in English
	// Key is Msg's id in the catalogue (internal/i18n, invalid.user.*),
	// Args its arguments as name, value pairs: the newsroom says it in
	// each editor's language.
	Key  string
	Args []any
}

func (e *Error) Error() string { return e.Msg }

// Is matches the Error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

func invalid(field, key string, args ...any) error { return refuse(ErrInvalid, field, key, args...) }

// refuse is an Error of kind by its catalogue key, its Msg in English.
func refuse(kind error, field, key string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Msg: i18n.English(key, args...), Key: key, Args: args}
}

var errForbidden = refuse(ErrForbidden, "", "invalid.user.forbidden")

// Service changes users.
type Service struct {
	db   *store.DB
	auth *auth.Service
	now  func() time.Time
}

// Options are what a Service is built from.
type Options struct {
	Store *store.DB
	Auth  *auth.Service // hashes passwords and checks current ones
	Now   func() time.Time
}

// New returns a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: o.Store, auth: o.Auth, now: o.Now}
}

// allow refuses unless actor may manage users.
func allow(actor auth.User) error {
	if !auth.Can(actor, auth.ManageUsers, nil) {
		return errForbidden
	}
	return nil
}

// audit is an entry by actor at now.
func (s *Service) audit(actor auth.User, action, subject, detail string) store.AuditEntry {
	if actor.ID == 0 {
		detail = strings.TrimSpace(detail + " (command line)")
	}
	return store.AuditEntry{UserID: actor.ID, Action: action, Subject: subject, Detail: detail, CreatedAt: s.now().UTC()}
}

// List returns every user, by email.
func (s *Service) List(ctx context.Context, actor auth.User) ([]store.User, error) {
	if err := allow(actor); err != nil {
		return nil, err
	}
	return s.db.Users(ctx)
}

// ByEmail returns the user with that email.
func (s *Service) ByEmail(ctx context.Context, actor auth.User, email string) (store.User, error) {
	if err := allow(actor); err != nil {
		return store.User{}, err
	}
	u, err := s.db.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return u, refuse(ErrInvalid, "email", "invalid.user.no_email", "Email", strings.TrimSpace(email))
	}
	return u, err
}

// NewUser is what adding a user takes.
type NewUser struct {
	Email    string
	Name     string
	Role     auth.Role
	Password string // empty: one is generated and returned
}

// Add adds a user and returns them, with the generated password when
// none was given: it is shown to the actor once and kept nowhere.
func (s *Service) Add(ctx context.Context, actor auth.User, in NewUser) (u auth.User, generated string, err error) {
	if err := allow(actor); err != nil {
		return u, "", err
	}
	if err := in.Check(); err != nil {
		return u, "", err
	}
	email, name := strings.ToLower(strings.TrimSpace(in.Email)), strings.TrimSpace(in.Name)
	pw := in.Password
	if pw == "" {
		pw = auth.GeneratePassword()
		generated = pw
	} else if err := CheckPassword(pw); err != nil {
		return u, "", err
	}
	hash, err := s.auth.HashPassword(ctx, pw)
	if err != nil {
		return u, "", err
	}
	su := store.User{Email: email, Name: name, Role: string(in.Role), PasswordHash: hash, CreatedAt: s.now().UTC()}
	entry := s.audit(actor, "add-user", email, string(in.Role))
	if err := s.db.CreateUser(ctx, &su, &entry); err != nil {
		if errors.Is(err, store.ErrExists) {
			return u, "", invalid("email", "invalid.user.email_taken")
		}
		return u, "", err
	}
	return auth.User{ID: su.ID, Email: su.Email, Name: su.Name, Role: auth.Role(su.Role)}, generated, nil
}

// Check says what is wrong with a new user's email, name or role, or
// nil; the password is checked by CheckPassword.
func (in NewUser) Check() error {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(email, " \t\r\n<>,;\"") || strings.Count(email, "@") != 1 || len(email) > 254 {
		return invalid("email", "invalid.user.email_bad", "Email", email)
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Name)) > 200 {
		return invalid("name", "invalid.user.name_long", "Max", 200)
	}
	if !auth.ValidRole(string(in.Role)) {
		return invalid("role", "invalid.user.role")
	}
	return nil
}

// CheckPassword says why a new password will not do, or nil.
func CheckPassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < 10:
		return invalid("password", "invalid.user.password_short", "Min", 10)
	case len(pw) > 1000:
		return invalid("password", "invalid.user.password_long")
	}
	return nil
}

// change makes c to user id on actor's behalf, refusing a change that
// would leave no enabled admin.
func (s *Service) change(ctx context.Context, id int64, c store.UserChange) (store.User, error) {
	c.KeepRole, c.At = string(auth.Admin), s.now().UTC()
	before, err := s.db.UpdateUser(ctx, id, c)
	switch {
	case errors.Is(err, store.ErrLastOne):
		return before, refuse(ErrRefused, "", "invalid.user.last_admin")
	case errors.Is(err, store.ErrNotFound):
		return before, ErrNotFound
	}
	return before, err
}

// SetRole gives user id a role. Admins cannot take their own admin role
// away, and the last enabled admin stays one.
func (s *Service) SetRole(ctx context.Context, actor auth.User, id int64, role auth.Role) error {
	if err := allow(actor); err != nil {
		return err
	}
	if !auth.ValidRole(string(role)) {
		return invalid("role", "invalid.user.role")
	}
	if id == actor.ID && role != auth.Admin {
		return refuse(ErrRefused, "", "invalid.user.own_role")
	}
	_, err := s.change(ctx, id, store.UserChange{Role: string(role), Audit: func(b store.User) store.AuditEntry {
		return s.audit(actor, "change-role", b.Email, fmt.Sprintf("%s → %s", b.Role, role))
	}})
	return err
}

// Disable stops user id signing in, and in the same instant ends their
// sessions, revokes their API tokens and voids their reset links.
// Enabling them again brings none of these back.
func (s *Service) Disable(ctx context.Context, actor auth.User, id int64) error {
	if err := allow(actor); err != nil {
		return err
	}
	if id == actor.ID {
		return refuse(ErrRefused, "", "invalid.user.disable_self")
	}
	yes := true
	_, err := s.change(ctx, id, store.UserChange{Disabled: &yes, EndSessions: true, RevokeTokens: true, EndResets: true,
		Audit: func(b store.User) store.AuditEntry {
			return s.audit(actor, "disable-user", b.Email, "sessions ended, API tokens revoked")
		}})
	return err
}

// Enable lets user id sign in again.
func (s *Service) Enable(ctx context.Context, actor auth.User, id int64) error {
	if err := allow(actor); err != nil {
		return err
	}
	no := false
	_, err := s.change(ctx, id, store.UserChange{Disabled: &no, Audit: func(b store.User) store.AuditEntry {
		return s.audit(actor, "enable-user", b.Email, "")
	}})
	return err
}

// SetLanguage sets the language actor reads the newsroom in, one of
// langs (the catalogue's); "" is the default language.
func (s *Service) SetLanguage(ctx context.Context, actor auth.User, lang string, langs []string) error {
	if lang != "" && !slices.Contains(langs, lang) {
		return invalid("lang", "invalid.user.lang")
	}
	return s.db.SetUserLang(ctx, actor.ID, lang)
}

// ChangePassword sets actor's own password, given their current one, and
// ends their other sessions (keep is the token hash of the one they are
// using; see auth.SessionHash). The current password is checked as
// sign-in checks it, counted and throttled per address (ip).
func (s *Service) ChangePassword(ctx context.Context, actor auth.User, current, next, ip, keep string) error {
	if err := CheckPassword(next); err != nil {
		return err
	}
	if current == next {
		return invalid("password", "invalid.user.password_same")
	}
	if _, err := s.auth.Verify(ctx, actor.Email, current, ip); err != nil {
		if errors.Is(err, auth.ErrBadCredentials) {
			return invalid("current", "invalid.user.current_wrong")
		}
		return err
	}
	hash, err := s.auth.HashPassword(ctx, next)
	if err != nil {
		return err
	}
	_, err = s.change(ctx, actor.ID, store.UserChange{PasswordHash: hash, EndSessions: true, KeepSession: keep, EndResets: true,
		Audit: func(b store.User) store.AuditEntry {
			return s.audit(actor, "change-password", b.Email, "other sessions ended")
		}})
	return err
}

// ResetPassword gives user id a new generated password, which it returns
// to show once, and ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, actor auth.User, id int64) (string, error) {
	if err := allow(actor); err != nil {
		return "", err
	}
	pw := auth.GeneratePassword()
	hash, err := s.auth.HashPassword(ctx, pw)
	if err != nil {
		return "", err
	}
	_, err = s.change(ctx, id, store.UserChange{PasswordHash: hash, EndSessions: true, EndResets: true,
		Audit: func(b store.User) store.AuditEntry {
			return s.audit(actor, "reset-password", b.Email, "new password made; sessions ended")
		}})
	if err != nil {
		return "", err
	}
	return pw, nil
}

// IssueReset makes a one-time link for user id to set a new password,
// working for ResetLife; it returns the link's secret token to show
// once. The user's earlier unused links stop working.
func (s *Service) IssueReset(ctx context.Context, actor auth.User, id int64) (token string, expires time.Time, err error) {
	if err := allow(actor); err != nil {
		return "", expires, err
	}
	target, err := s.db.UserByID(ctx, id)
	if err != nil {
		return "", expires, ErrNotFound
	}
	token, hash := auth.NewResetToken()
	now := s.now().UTC()
	expires = now.Add(ResetLife)
	err = s.db.CreatePasswordReset(ctx, store.PasswordReset{TokenHash: hash, UserID: id, CreatedBy: actor.ID, CreatedAt: now, ExpiresAt: expires},
		s.audit(actor, "reset-link", target.Email, "valid until "+expires.Format("2006-01-02 15:04 MST")))
	switch {
	case errors.Is(err, store.ErrDisabled):
		return "", expires, refuse(ErrRefused, "", "invalid.user.disabled", "Email", target.Email)
	case errors.Is(err, store.ErrNotFound):
		return "", expires, ErrNotFound
	case err != nil:
		return "", expires, err
	}
	return token, expires, nil
}

// ResetFor returns the user a reset link is for, while it works.
func (s *Service) ResetFor(ctx context.Context, token string) (store.User, error) {
	hash, ok := auth.HashResetToken(token)
	if !ok {
		return store.User{}, ErrNotFound
	}
	u, err := s.db.PasswordResetUser(ctx, hash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return u, ErrNotFound
	}
	return u, err
}

// UseReset spends a reset link: it sets the user's new password and ends
// every session they had, in one transaction, and returns the user, whom
// the caller then signs in (auth.Service.StartSession).
func (s *Service) UseReset(ctx context.Context, token, next string) (auth.User, error) {
	hash, ok := auth.HashResetToken(token)
	if !ok {
		return auth.User{}, ErrNotFound
	}
	if err := CheckPassword(next); err != nil {
		return auth.User{}, err
	}
	// Hashing first keeps the transaction short; a spent or expired link
	// costs one hash, and only whoever holds a link gets this far.
	if _, err := s.ResetFor(ctx, token); err != nil {
		return auth.User{}, err
	}
	pwHash, err := s.auth.HashPassword(ctx, next)
	if err != nil {
		return auth.User{}, err
	}
	b, err := s.db.UsePasswordReset(ctx, hash, s.now(), store.UserChange{PasswordHash: pwHash, EndSessions: true,
		Audit: func(b store.User) store.AuditEntry {
			return store.AuditEntry{UserID: b.ID, Action: "use-reset-link", Subject: b.Email, Detail: "sessions ended", CreatedAt: s.now().UTC()}
		}})
	if errors.Is(err, store.ErrNotFound) {
		return auth.User{}, ErrNotFound
	}
	if err != nil {
		return auth.User{}, err
	}
	return auth.User{ID: b.ID, Email: b.Email, Name: b.Name, Role: auth.Role(b.Role), Lang: b.Lang}, nil
}
