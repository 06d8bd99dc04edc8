// Package redirects owns the rules of editors' redirects: who may add and
// remove them, that one starts from an address on this site and leads to
// another (a path here, or an http(s) address elsewhere, never a script),
// and that the change and its audit entry are written in one transaction.
// Redirects that renames leave behind are made by the sections and tags
// services, in the rename's own transaction.
package redirects

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

// Service applies the rules over the store.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// Options are what a Service is built from.
type Options struct {
	Store *store.DB
	Now   func() time.Time // nil means time.Now
}

// New returns a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: o.Store, now: o.Now}
}

// Add saves a redirect from from to to, as u, replacing the one from the
// same address. from may be pasted whole (https://old.example/2019/x/):
// its path and query are kept. status is 301 or 302; anything else is
// 301. A refusal is auth.ErrForbidden or a *news.FieldError naming
// "from" or "to".
func (s *Service) Add(ctx context.Context, u auth.User, from, to string, status int) (store.Redirect, error) {
	if !auth.Can(u, auth.ManageTaxonomy, nil) {
		return store.Redirect{}, auth.ErrForbidden
	}
	rd := store.Redirect{From: LocalPath(from), To: strings.TrimSpace(to), Status: status, CreatedBy: u.Email}
	if strings.HasPrefix(rd.To, "//") {
		// Browsers take //host/ to another site: it must say so in full.
		return rd, news.Refuse("to", "invalid.redirect_to_full")
	}
	if strings.HasPrefix(rd.To, "/") {
		rd.To = LocalPath(rd.To)
	}
	if rd.Status != 302 {
		rd.Status = 301
	}
	switch {
	case rd.From == "":
		return rd, news.Refuse("from", "invalid.redirect_from")
	case !fits(rd.From):
		return rd, news.Refuse("from", "invalid.redirect_long", "Count", maxAddress)
	case !fits(rd.To):
		return rd, news.Refuse("to", "invalid.redirect_long", "Count", maxAddress)
	case !strings.HasPrefix(rd.To, "/") && !strings.HasPrefix(rd.To, "https://") && !strings.HasPrefix(rd.To, "http://"):
		return rd, news.Refuse("to", "invalid.redirect_to_needed")
	case strings.ContainsFunc(rd.To, isSpaceOrControl):
		return rd, news.Refuse("to", "invalid.redirect_to_spaces")
	case rd.To == rd.From:
		return rd, news.Refuse("to", "invalid.redirect_loop")
	}
	entry := store.AuditEntry{UserID: u.ID, Action: "add redirect", Subject: rd.From, Detail: rd.To, CreatedAt: s.now().UTC()}
	if err := s.db.SaveRedirect(ctx, &rd, entry); err != nil {
		return rd, err
	}
	return rd, nil
}

// Delete removes the redirect id, as u. A refusal is auth.ErrForbidden,
// or a *news.FieldError naming "id" when it is not there.
func (s *Service) Delete(ctx context.Context, u auth.User, id int64) error {
	if !auth.Can(u, auth.ManageTaxonomy, nil) {
		return auth.ErrForbidden
	}
	entry := store.AuditEntry{UserID: u.ID, Action: "delete redirect", Subject: strconv.FormatInt(id, 10), CreatedAt: s.now().UTC()}
	err := s.db.DeleteRedirect(ctx, id, entry)
	if errors.Is(err, store.ErrNotFound) {
		return news.Refuse("id", "invalid.redirect_gone")
	}
	return err
}

// LocalPath keeps the path (and query) of an address an editor pasted,
// whole URL or not, and gives it a leading slash; "" if there is none or
// it holds spaces or control characters.
func LocalPath(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		s = u.RequestURI()
	}
	if s == "" || strings.ContainsFunc(s, isSpaceOrControl) {
		return ""
	}
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s
}

// maxAddress bounds the addresses a redirect keeps, as the store's keys.
const maxAddress = 1000

func fits(s string) bool { return len(s) <= maxAddress && utf8.ValidString(s) }

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) }
