// Package articles is the article workflow: the one place where an
// article is created, saved, submitted, published, scheduled,
// unpublished, trashed, restored, purged and brought back to an old
// revision. Each operation asks auth.Can, prepares the article
// (news.Prepare and the limits of validate.go), reads the injected clock,
// and writes the article with its revision, owner and audit entry in one
// store transaction. The newsroom, the JSON API, the WordPress importer
// and the demo are adapters around it: they parse their input, call the
// Service and answer its typed errors in their own protocol.
package articles

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dastan/internal/auth"
	"dastan/internal/media"
	"dastan/internal/news"
	"dastan/internal/store"
)

// TrashLife is how long a trashed article can be restored.
const TrashLife = 30 * 24 * time.Hour

// Options are what a Service is built from.
type Options struct {
	Store *store.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ExcerptLength is the length of generated excerpts, in characters;
	// 0 or less means news.DefaultExcerptRunes.
	ExcerptLength int
	// Media shows the media library's images in galleries; nil shows
	// only what imports brought over, by the address they kept.
	Media *media.Service
}

// Service is the article workflow over one store.
type Service struct {
	db         *store.DB
	now        func() time.Time
	excerptLen int
	media      *media.Service
}

// New makes the Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ExcerptLength <= 0 {
		o.ExcerptLength = news.DefaultExcerptRunes
	}
	return &Service{db: o.Store, now: o.Now, excerptLen: o.ExcerptLength, media: o.Media}
}

// ErrNotFound is returned for an article or revision that does not
// exist. It is store.ErrNotFound, so adapters map one error for both.
var ErrNotFound = store.ErrNotFound

// ErrForbidden is matched (errors.Is) by every *ForbiddenError.
var ErrForbidden = errors.New("articles: not allowed")

// ErrTrashed is returned for a change to an article in the trash: it must
// be restored first.
var ErrTrashed = errors.New("articles: the article is in the trash")

// ErrNotAutosaved is returned for an autosave of a live article: live
// articles change only when someone presses Save.
var ErrNotAutosaved = errors.New("articles: live articles are not autosaved")

// ForbiddenError says the user's role does not allow an action.
type ForbiddenError struct {
	Action auth.Action // what was refused
	// Hidden is set when the user may not even see the article: adapters
	// that hide what exists answer as if it did not.
	Hidden bool
}

func (e *ForbiddenError) Error() string { return fmt.Sprintf("articles: may not %s", e.Action) }

// Is makes errors.Is(err, ErrForbidden) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// ConflictError says a change was based on an older version than the
// stored one: nothing was written. errors.Is(err, store.ErrConflict) holds.
type ConflictError struct {
	Current news.Article // the stored version, for the side-by-side view
	Yours   int64        // the version the change was based on
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("articles: article %d is at version %d, the change was based on %d", e.Current.ID, e.Current.Version, e.Yours)
}

// Unwrap makes errors.Is(err, store.ErrConflict) true.
func (e *ConflictError) Unwrap() error { return store.ErrConflict }

// ValidationError is a mistake in what the user sent, in words fit to
// show them, naming the field at fault (as the JSON API names it). It is
// the refusal of every service's rules (sections, tags, the media
// library), so adapters read one kind.
type ValidationError = news.FieldError

// refuse is a validation error by its catalogue key (see news.Refuse).
func refuse(field, key string, args ...any) error {
	return news.Refuse(field, key, args...)
}

// Get returns the article with id and what permissions know of it, when
// u may view it.
func (s *Service) Get(ctx context.Context, u auth.User, id int64) (news.Article, auth.ArticleRef, error) {
	a, ref, err := s.load(ctx, id)
	if err != nil {
		return a, ref, err
	}
	if !auth.Can(u, auth.View, &ref) {
		return a, ref, &ForbiddenError{Action: auth.View, Hidden: true}
	}
	return a, ref, nil
}

// load reads an article with its owner.
func (s *Service) load(ctx context.Context, id int64) (news.Article, auth.ArticleRef, error) {
	if id <= 0 {
		return news.Article{}, auth.ArticleRef{}, fmt.Errorf("articles: article %d: %w", id, ErrNotFound)
	}
	a, err := s.db.ArticleByID(ctx, id)
	if err != nil {
		return a, auth.ArticleRef{}, err
	}
	owner, err := s.db.ArticleOwner(ctx, id)
	if err != nil {
		return a, auth.ArticleRef{}, err
	}
	return a, auth.ArticleRef{Owner: owner, Status: a.Status}, nil
}

// Byline returns the byline that belongs to u, if there is one: a new
// article carries it unless its writer names other authors.
func (s *Service) Byline(ctx context.Context, u auth.User) (news.Author, bool) {
	all, err := s.db.Authors(ctx)
	if err != nil {
		return news.Author{}, false
	}
	for _, au := range all {
		if au.UserID == u.ID && u.ID != 0 {
			return au, true
		}
	}
	return news.Author{}, false
}

// audit is the entry for action on a, made by u through via ("" for the
// newsroom, `API token "x"` for the API).
func audit(u auth.User, action, detail, via string) *store.AuditEntry {
	if via != "" {
		detail += " (" + via + ")"
	}
	return &store.AuditEntry{UserID: u.ID, Action: action, Detail: detail}
}
