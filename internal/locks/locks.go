// Package locks is who is editing which article, as WordPress's edit
// locks: the first person to open an article they may edit holds its
// lock; the next is told who holds it and since when, and may take it
// over if they may edit the article too. The holder's editor page beats
// a heartbeat; when it stops (the browser went away) the lock lapses
// after Expiry. Locks only warn: saves are still guarded by the
// article's version, so nothing is overwritten even without them.
package locks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dastan/internal/auth"
	"dastan/internal/store"
)

// Expiry is how long a lock outlives its holder's last heartbeat. The
// editor page beats every 20 seconds; browsers slow the timers of
// hidden tabs to about once a minute, which still keeps it.
const Expiry = 2 * time.Minute

// Lock is a lock as the newsroom shows it.
type Lock = store.EditLock

// HeldError says someone else holds the lock: Lock is theirs.
type HeldError struct{ Lock Lock }

func (e *HeldError) Error() string {
	return fmt.Sprintf("locks: article %d is being edited by user %d", e.Lock.ArticleID, e.Lock.UserID)
}

// ErrHeld is matched (errors.Is) by every *HeldError.
var ErrHeld = errors.New("locks: held by someone else")

// Is makes errors.Is(err, ErrHeld) true.
func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// ErrForbidden is returned to a user who may not edit the article: they
// may neither hold nor take its lock.
var ErrForbidden = auth.ErrForbidden

// Options are what a Service is built from.
type Options struct {
	Store *store.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Service keeps edit locks in one store, so every instance sees them.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// New makes the Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: o.Store, now: o.Now}
}

// Hold gives u the lock on article id, or keeps it theirs: the editor
// page asks when it opens and at every heartbeat. Someone else's live
// lock is answered with a *HeldError naming them.
func (s *Service) Hold(ctx context.Context, u auth.User, id int64, ref auth.ArticleRef) (Lock, error) {
	return s.take(ctx, u, id, ref, false)
}

// TakeOver takes the lock from whoever holds it, when u may edit the
// article.
func (s *Service) TakeOver(ctx context.Context, u auth.User, id int64, ref auth.ArticleRef) (Lock, error) {
	return s.take(ctx, u, id, ref, true)
}

func (s *Service) take(ctx context.Context, u auth.User, id int64, ref auth.ArticleRef, force bool) (Lock, error) {
	if !auth.Can(u, auth.Edit, &ref) {
		return Lock{}, ErrForbidden
	}
	now := s.now().UTC()
	l, err := s.db.TakeEditLock(ctx, id, u.ID, now, now.Add(-Expiry), force)
	if errors.Is(err, store.ErrLocked) {
		return l, &HeldError{Lock: l}
	}
	return l, err
}

// Release gives up u's lock on article id (their editor page closed or
// they saved and left); someone else's lock is left alone.
func (s *Service) Release(ctx context.Context, u auth.User, id int64) error {
	return s.db.ReleaseEditLock(ctx, id, u.ID)
}

// Holders returns the live locks on the given articles, for a list that
// says who is editing what.
func (s *Service) Holders(ctx context.Context, ids []int64) (map[int64]Lock, error) {
	return s.db.EditLocks(ctx, ids, s.now().UTC().Add(-Expiry))
}
