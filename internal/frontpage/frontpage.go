// Package frontpage owns the rules of the front page's pinned slots,
// whoever asks: who may pin and unpin, which slots there are, that only a
// story readers may see can be pinned, and that each change is written
// with its audit entry in one transaction.
package frontpage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dastan/internal/auth"
	"dastan/internal/i18n"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// Slots is how many stories editors may pin: slot 1 leads the front
// page, slots 2 to Slots stand beside it.
const Slots = 4

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

// Pinned returns the pinned stories in slot order, as u sees them.
func (s *Service) Pinned(ctx context.Context, u auth.User) ([]store.FrontSlot, error) {
	if !auth.Can(u, auth.PinFront, nil) {
		return nil, auth.ErrForbidden
	}
	return s.db.FrontSlots(ctx)
}

// Pin puts an article in slot, as u. ref names it as editors know it:
// its number, its public address (https://…/slug/) or its slug. A
// refusal is auth.ErrForbidden or a *news.FieldError naming "slot" or
// "article".
func (s *Service) Pin(ctx context.Context, u auth.User, slot int, ref string) error {
	if !auth.Can(u, auth.PinFront, nil) {
		return auth.ErrForbidden
	}
	if slot < 1 || slot > Slots {
		return news.Refuse("slot", "invalid.slot", "Slots", Slots)
	}
	now := s.now().UTC()
	a, err := s.find(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return news.Refuse("article", "invalid.pin_unknown", "Ref", strings.TrimSpace(ref))
	}
	if err != nil {
		return err
	}
	if !a.Status.Live() {
		return news.Refuse("article", "invalid.pin_status", "Title", a.Title, "Status", i18n.Key("nr.status."+string(a.Status)))
	}
	entry := store.AuditEntry{UserID: u.ID, Action: "pin to front page", Subject: links.Article(a.Slug),
		Detail: fmt.Sprintf("slot %d: %s", slot, a.Title), CreatedAt: now}
	err = s.db.PinFront(ctx, slot, a.ID, u.ID, now, entry)
	if errors.Is(err, store.ErrNotFound) {
		return news.Refuse("article", "invalid.pin_gone")
	}
	return err
}

// find reads the article ref names: a number, an address or a slug.
func (s *Service) find(ctx context.Context, ref string) (news.Article, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return s.db.ArticleByID(ctx, id)
	}
	p := ref
	if u, err := url.Parse(ref); err == nil {
		p = u.Path
	}
	parts := strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
	if len(parts) == 0 {
		return news.Article{}, fmt.Errorf("frontpage: empty reference: %w", store.ErrNotFound)
	}
	return s.db.ArticleBySlug(ctx, parts[len(parts)-1])
}

// Unpin empties slot, as u; the front page fills it with the newest story.
func (s *Service) Unpin(ctx context.Context, u auth.User, slot int) error {
	if !auth.Can(u, auth.PinFront, nil) {
		return auth.ErrForbidden
	}
	if slot < 1 || slot > Slots {
		return news.Refuse("slot", "invalid.slot", "Slots", Slots)
	}
	return s.db.UnpinFront(ctx, slot, store.AuditEntry{UserID: u.ID, Action: "unpin from front page",
		Subject: links.Home, Detail: fmt.Sprintf("slot %d", slot), CreatedAt: s.now().UTC()})
}
