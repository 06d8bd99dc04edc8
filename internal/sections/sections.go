// Package sections owns the rules of the site's sections, whoever asks —
// the newsroom, the WordPress import, the demo: who may add, rename and
// move one, what its name and slug may be, that a section never goes
// inside itself and that two never share an address, that the old
// addresses of a moved section and everything below it answer 301, and
// that the change and its audit entry are written in one transaction.
package sections

import (
	"context"
	"errors"
	"strings"
	"time"

	"dastan/internal/auth"
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

// Input is a section as a form or an import gives it. ID 0 adds one;
// ParentID 0 puts it at the top; an empty Slug is made from the name.
type Input struct {
	ID       int64
	ParentID int64
	Name     string
	Slug     string
	Position int
}

// Save adds a section or renames or moves one, as u, and returns it as
// saved, with its path. A refusal is auth.ErrForbidden or a
// *news.FieldError naming the field at fault: "name", "slug", "parent"
// or "id".
func (s *Service) Save(ctx context.Context, u auth.User, in Input) (news.Section, error) {
	if !auth.Can(u, auth.ManageTaxonomy, nil) {
		return news.Section{}, auth.ErrForbidden
	}
	sec, old, err := s.check(ctx, in)
	if err != nil {
		return news.Section{}, err
	}
	entry := store.AuditEntry{UserID: u.ID, Action: "add section", Subject: links.Section(sec.Path), Detail: sec.Name, CreatedAt: s.now().UTC()}
	if old != nil {
		entry.Action = "change section"
		if old.Path != sec.Path {
			entry.Detail += ", moved from " + links.Section(old.Path)
		}
	}
	// The store checks the address and the tree again inside its
	// transaction: someone may have changed them since they were read.
	err = s.db.SaveSection(ctx, &sec, entry)
	switch {
	case errors.Is(err, store.ErrExists):
		return news.Section{}, taken(sec.Path)
	case errors.Is(err, store.ErrConflict):
		return news.Section{}, errInsideItself
	case errors.Is(err, store.ErrNotFound):
		return news.Section{}, errGone
	case err != nil:
		return news.Section{}, err
	}
	return sec, nil
}

var (
	errInsideItself = news.Refuse("parent", "invalid.section_inside")
	errGone         = news.Refuse("id", "invalid.section_or_parent_gone")
)

func taken(path string) error {
	return news.Refuse("slug", "invalid.section_slug_taken", "Address", links.Section(path))
}

// check applies the rules to in against the tree as it is, and returns
// the section to save, with its new path, and the section as it was (nil
// for a new one).
func (s *Service) check(ctx context.Context, in Input) (news.Section, *news.Section, error) {
	name, err := news.CheckName("name", in.Name)
	if err != nil {
		return news.Section{}, nil, err
	}
	slug, err := news.CheckSlug("slug", in.Slug, name)
	if err != nil {
		return news.Section{}, nil, err
	}
	all, err := s.db.Sections(ctx)
	if err != nil {
		return news.Section{}, nil, err
	}
	var self, parent *news.Section
	for i := range all {
		if in.ID != 0 && all[i].ID == in.ID {
			self = &all[i]
		}
		if in.ParentID != 0 && all[i].ID == in.ParentID {
			parent = &all[i]
		}
	}
	switch {
	case in.ID != 0 && self == nil:
		return news.Section{}, nil, news.Refuse("id", "invalid.section_gone")
	case in.ParentID != 0 && parent == nil:
		return news.Section{}, nil, news.Refuse("parent", "invalid.section_parent_gone")
	case self != nil && parent != nil && isWithin(parent.Path, self.Path):
		return news.Section{}, nil, errInsideItself
	}
	sec := news.Section{ID: in.ID, ParentID: in.ParentID, Name: name, Slug: slug, Path: slug, Position: in.Position}
	if parent != nil {
		sec.Path = parent.Path + "/" + slug
	}
	for _, o := range all {
		if o.Path == sec.Path && o.ID != sec.ID {
			return news.Section{}, nil, taken(sec.Path)
		}
	}
	return sec, self, nil
}

// isWithin reports whether the section at path is the one at root or
// below it.
func isWithin(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+"/")
}
