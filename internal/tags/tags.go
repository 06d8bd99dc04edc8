// Package tags owns the rules of tags, whoever asks: who may rename and
// merge them, what a tag's name and slug may be (also for the tags an
// article's save or an import creates by name, see Check), that a renamed or merged tag's old
// address answers 301, and that the change and its audit entry are
// written in one transaction.
package tags

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"dastan/internal/auth"
	"dastan/internal/i18n"
	"dastan/internal/links"
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

// Add makes a tag, as u, from a name and a slug (made from the name when
// empty). A tag with that slug already there is returned as it is, with
// created false. A refusal is auth.ErrForbidden or a *news.FieldError
// naming "name" or "slug".
func (s *Service) Add(ctx context.Context, u auth.User, name, slug, via string) (t news.Tag, created bool, err error) {
	if !auth.Can(u, auth.ManageTaxonomy, nil) {
		return news.Tag{}, false, auth.ErrForbidden
	}
	if t.Name, err = news.CheckName("name", name); err != nil {
		return news.Tag{}, false, err
	}
	if t.Slug, err = news.CheckSlug("slug", slug, t.Name); err != nil {
		return news.Tag{}, false, err
	}
	if old, err := s.db.TagBySlug(ctx, t.Slug); err == nil {
		return old, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return news.Tag{}, false, err
	}
	if t, err = s.db.ImportTag(ctx, t.Slug, t.Name); err != nil {
		return news.Tag{}, false, err
	}
	detail := t.Name
	if via != "" {
		detail += " (" + via + ")"
	}
	err = s.db.AddAudit(ctx, store.AuditEntry{UserID: u.ID, Action: "add tag", Subject: fmt.Sprintf("tag %d", t.ID), Detail: detail, CreatedAt: s.now().UTC()})
	return t, true, err
}

// Rename gives the tag id a new name and slug (made from the name when
// empty), as u; its page moves to the new address and the old one
// redirects. A refusal is auth.ErrForbidden or a *news.FieldError naming
// "id", "name" or "slug".
func (s *Service) Rename(ctx context.Context, u auth.User, id int64, name, slug string) (news.Tag, error) {
	if !auth.Can(u, auth.ManageTaxonomy, nil) {
		return news.Tag{}, auth.ErrForbidden
	}
	old, err := s.find(ctx, "id", id)
	if err != nil {
		return news.Tag{}, err
	}
	t := news.Tag{ID: id}
	if t.Name, err = news.CheckName("name", name); err != nil {
		return news.Tag{}, err
	}
	if t.Slug, err = news.CheckSlug("slug", slug, t.Name); err != nil {
		return news.Tag{}, err
	}
	entry := store.AuditEntry{UserID: u.ID, Action: "rename tag", Subject: fmt.Sprintf("tag %d", id),
		Detail: fmt.Sprintf("%s (%s) → %s (%s)", old.Name, links.Tag(old.Slug), t.Name, links.Tag(t.Slug)), CreatedAt: s.now().UTC()}
	err = s.db.RenameTag(ctx, id, t.Name, t.Slug, entry)
	switch {
	case errors.Is(err, store.ErrExists):
		return news.Tag{}, news.Refuse("slug", "invalid.tag_slug_taken", "Address", links.Tag(t.Slug))
	case errors.Is(err, store.ErrNotFound):
		return news.Tag{}, errGone("id")
	}
	return t, err
}

// Merge moves every article of the tag from onto the tag into, as u, and
// deletes from; its address redirects to into's. A refusal is
// auth.ErrForbidden or a *news.FieldError naming "id" or "into".
func (s *Service) Merge(ctx context.Context, u auth.User, from, into int64) error {
	if !auth.Can(u, auth.ManageTaxonomy, nil) {
		return auth.ErrForbidden
	}
	src, err := s.find(ctx, "id", from)
	if err != nil {
		return err
	}
	if from == into {
		return news.Refuse("into", "invalid.tag_merge_into")
	}
	dst, err := s.find(ctx, "into", into)
	if err != nil {
		return err
	}
	entry := store.AuditEntry{UserID: u.ID, Action: "merge tag", Subject: fmt.Sprintf("tag %d", from),
		Detail: fmt.Sprintf("%s (%s) into %s (%s)", src.Name, links.Tag(src.Slug), dst.Name, links.Tag(dst.Slug)), CreatedAt: s.now().UTC()}
	err = s.db.MergeTags(ctx, from, into, entry)
	if errors.Is(err, store.ErrNotFound) {
		return errGone("into")
	}
	return err
}

func (s *Service) find(ctx context.Context, field string, id int64) (news.Tag, error) {
	t, err := s.db.TagByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return t, errGone(field)
	}
	return t, err
}

func errGone(field string) error { return news.Invalid(field, "That tag is not there any more.") }

// Check applies a tag's rules to a name and a slug (made from the name
// when empty) and returns the tag as it would be saved. A refusal is a
// *news.FieldError naming field (where a form or request holds the tag)
// and quoting the name.
func Check(field, name, slug string) (news.Tag, error) {
	t := news.Tag{}
	var err error
	if t.Name, err = news.CheckName(field, name); err == nil {
		t.Slug, err = news.CheckSlug(field, slug, t.Name)
	}
	var fe *news.FieldError
	if errors.As(err, &fe) {
		return news.Tag{}, news.Refuse(field, "invalid.tag_named", append([]any{"Name", clip(name), "Problem", i18n.Key(fe.Key)}, fe.Args...)...)
	}
	return t, err
}

// clip shortens a refused name for its error message.
func clip(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return string(r)
}
