package articles

import (
	"context"
	"errors"
	"fmt"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

// Trash moves an article to the trash: readers stop seeing it at once,
// and it can be restored for TrashLife. Like a save it must be based on
// the stored version; a version of 0 takes whatever is stored.
func (s *Service) Trash(ctx context.Context, u auth.User, id, version int64, via string) error {
	a, ref, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if !auth.Can(u, auth.View, &ref) {
		return &ForbiddenError{Action: auth.View, Hidden: true}
	}
	if !auth.Can(u, auth.Delete, &ref) {
		return &ForbiddenError{Action: auth.Delete}
	}
	if version == 0 {
		version = a.Version
	}
	err = s.db.TrashArticle(ctx, a.ID, version, s.now().UTC(), audit(u, "delete", a.Title, via))
	if errors.Is(err, store.ErrConflict) {
		a.Version = version
		return s.conflict(ctx, a, err)
	}
	return err
}

// Restore takes an article out of the trash and returns the status it
// now has, and whether that is a draft where it had been live (or
// pending). It comes back with the status it had only when u could give
// it that status: an article an editor published and then trashed comes
// back to a contributor as a draft, never live. Restoring to a draft
// rather than refusing keeps the contributor's words and lets them
// submit it again; nothing becomes public that they could not publish.
func (s *Service) Restore(ctx context.Context, u auth.User, id int64, via string) (status news.Status, demoted bool, err error) {
	a, ref, err := s.load(ctx, id)
	if err != nil {
		return "", false, err
	}
	if !auth.Can(u, auth.View, &ref) {
		return "", false, &ForbiddenError{Action: auth.View, Hidden: true}
	}
	if !auth.Can(u, auth.Delete, &ref) {
		return "", false, &ForbiddenError{Action: auth.Delete}
	}
	if a.Status != news.StatusTrash {
		return "", false, fmt.Errorf("articles: article %d is not in the trash: %w", id, ErrNotFound)
	}
	had, status, err := s.db.RestoreArticle(ctx, a.ID, s.restorable(u, ref.Owner), s.now().UTC(), audit(u, "restore", a.Title, via))
	return status, err == nil && had != "" && had != status, err
}

// restorable lists the statuses u may give an article started by owner:
// the store restores to the status it had when it is one of these, to a
// draft otherwise, in the same statement, so a change in between cannot
// slip through.
func (s *Service) restorable(u auth.User, owner int64) []news.Status {
	var keep []news.Status
	for _, st := range []news.Status{auth.StatusPending, news.StatusScheduled, news.StatusPublished, news.StatusPrivate} {
		need := auth.Publish
		if st == auth.StatusPending {
			need = auth.Submit
		}
		if auth.Can(u, need, &auth.ArticleRef{Owner: owner, Status: news.StatusDraft}) {
			keep = append(keep, st)
		}
	}
	return keep
}

// PurgeTrash deletes for good the articles trashed more than TrashLife
// ago by the clock, and returns how many.
func (s *Service) PurgeTrash(ctx context.Context) (int64, error) {
	return s.db.PurgeTrash(ctx, s.now().Add(-TrashLife))
}
