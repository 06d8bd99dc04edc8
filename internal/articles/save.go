package articles

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

// Step is what a save does besides keeping the words.
type Step string

// The steps a save may take.
const (
	Keep      Step = "save"      // keep the status
	Submit    Step = "submit"    // send for review (pending)
	Publish   Step = "publish"   // publish at PublishAt: now when zero, later schedules
	Unpublish Step = "unpublish" // back to draft; needs the right to publish
	Draft     Step = "draft"     // back to draft; needs the right to publish only when live
)

// Save is one save of an article, as an adapter parsed it.
type Save struct {
	ID      int64 // 0 starts a new article
	Version int64 // the version the user read; a newer stored one is a conflict
	Step    Step
	// PublishAt is the time a Publish asks for: zero publishes now (or
	// keeps the time of an article already published), a future time
	// schedules.
	PublishAt time.Time
	// Autosave marks a save the editor did not press: refused for live
	// articles (ErrNotAutosaved).
	Autosave bool
	// Apply sets the fields the user sent on the stored article (on an
	// empty one for a new article). The status, id, version and
	// publication time are the service's to set. An error it returns
	// (a *ValidationError for input it could not read) is returned by
	// Save after the fields are set, so a form can be shown again.
	Apply func(a *news.Article) error
	Note  string // the revision's note; empty names the step
	Via   string // how the user came, for the audit log: `API token "x"`
}

// Result is what a save left.
type Result struct {
	// Article is the article as saved; after a validation error or a
	// conflict, as the user sent it, to show them again.
	Article news.Article
	// Ref is the article's owner and status before the save, for what
	// a form offers.
	Ref auth.ArticleRef
}

// Save creates or changes an article and takes the step it asks for:
// permissions, preparation, the clock and one transaction for the
// article, its revision, its owner (when new) and the audit entry.
func (s *Service) Save(ctx context.Context, u auth.User, in Save) (Result, error) {
	return s.save(ctx, u, in, nil)
}

// save is Save; entry, when set, is the audit entry the save makes
// whatever its step.
func (s *Service) save(ctx context.Context, u auth.User, in Save, entry *store.AuditEntry) (Result, error) {
	var res Result
	var a news.Article
	isNew := in.ID == 0
	if isNew {
		if !auth.Can(u, auth.Create, nil) {
			return res, &ForbiddenError{Action: auth.Create}
		}
		a = news.Article{Status: news.StatusDraft}
		res.Ref = auth.ArticleRef{Owner: u.ID, Status: news.StatusDraft}
	} else {
		var err error
		if a, res.Ref, err = s.load(ctx, in.ID); err != nil {
			return res, err
		}
		res.Article = a
		if !auth.Can(u, auth.View, &res.Ref) {
			return res, &ForbiddenError{Action: auth.View, Hidden: true}
		}
		if a.Status == news.StatusTrash {
			return res, fmt.Errorf("articles: article %d: %w", a.ID, ErrTrashed)
		}
		if !auth.Can(u, auth.Edit, &res.Ref) {
			return res, &ForbiddenError{Action: auth.Edit}
		}
	}
	if err := s.allowStep(u, in, res.Ref); err != nil {
		return res, err
	}
	before := a
	var applyErr error
	if in.Apply != nil {
		applyErr = in.Apply(&a)
		s.knownTags(ctx, &a, before.Tags)
	}
	// What the status and time are is decided here, never by the input.
	a.ID, a.Version, a.Status, a.PublishedAt = before.ID, in.Version, before.Status, before.PublishedAt
	if isNew {
		a.Version = 0
		if len(a.Authors) == 0 {
			if au, ok := s.Byline(ctx, u); ok {
				a.Authors = []news.Author{au}
			}
		}
	}
	res.Article = a
	if applyErr != nil {
		return res, applyErr
	}
	if err := s.prepare(ctx, &a, s.galleries(ctx, a.ID), true); err != nil {
		res.Article = a
		return res, err
	}
	now := s.now().UTC()
	action := s.takeStep(&a, before, in, now)
	res.Article = a
	note := in.Note
	switch {
	case note != "":
	case in.Autosave:
		note = "autosave"
	case action != "":
		note = action
	default:
		note = string(in.Step)
	}
	w := store.ArticleWrite{Article: &a, UserID: u.ID, Note: note, Now: now}
	if isNew {
		w.Owner = u.ID
	}
	if action != "" {
		w.Audit = audit(u, action, a.Title, in.Via)
	}
	if entry != nil {
		w.Audit = entry
	}
	if err := s.db.WriteArticle(ctx, w); err != nil {
		res.Article = a
		return res, s.conflict(ctx, a, err)
	}
	res.Article = a
	return res, nil
}

// allowStep checks that u may take the step asked for on an article
// that stands as ref says.
func (s *Service) allowStep(u auth.User, in Save, ref auth.ArticleRef) error {
	live := ref.Status.Live()
	need := auth.Edit
	switch in.Step {
	case Keep:
	case Submit:
		need = auth.Submit
	case Publish, Unpublish:
		need = auth.Publish
	case Draft:
		if live {
			need = auth.Publish
		}
	default:
		return refuse("status", "invalid.no_step", "Step", in.Step)
	}
	if !auth.Can(u, need, &ref) {
		return &ForbiddenError{Action: need}
	}
	if in.Step == Submit && live {
		return refuse("status", "invalid.live_review")
	}
	if in.Autosave && ref.Status != news.StatusDraft && ref.Status != auth.StatusPending {
		return ErrNotAutosaved
	}
	return nil
}

// takeStep sets a's status and publication time for the step, by the
// clock's now, and returns the audit action it makes ("" for none).
func (s *Service) takeStep(a *news.Article, before news.Article, in Save, now time.Time) string {
	wasLive := before.Status.Live()
	switch in.Step {
	case Submit:
		a.Status = auth.StatusPending
	case Publish:
		at := in.PublishAt.UTC()
		switch {
		case !at.IsZero() && at.After(now):
			a.Status, a.PublishedAt = news.StatusScheduled, at
			return "schedule"
		case !at.IsZero():
			a.PublishedAt = at
		case before.Status != news.StatusPublished || a.PublishedAt.IsZero():
			a.PublishedAt = now
		}
		a.Status = news.StatusPublished
		return "publish"
	case Unpublish:
		a.Status = news.StatusDraft
		return "unpublish"
	case Draft:
		a.Status = news.StatusDraft
		if wasLive {
			return "unpublish"
		}
	}
	return ""
}

// conflict turns the store's ErrConflict into a *ConflictError with the
// stored version; other errors pass.
func (s *Service) conflict(ctx context.Context, mine news.Article, err error) error {
	if !errors.Is(err, store.ErrConflict) {
		return err
	}
	cur, cerr := s.db.ArticleByID(ctx, mine.ID)
	if cerr != nil {
		return errors.Join(err, cerr)
	}
	return &ConflictError{Current: cur, Yours: mine.Version}
}

// knownTags gives each tag the editor named by its name alone the tag it
// already is: the article's own tag of that name, or else an existing
// tag of that name. A tag's slug need not be its name's (WordPress
// makes "gas-2" for a second "Gas", and imports keep slugs), so making
// the slug from the name would move the story to another tag, or make a
// second tag of the same name.
func (s *Service) knownTags(ctx context.Context, a *news.Article, had []news.Tag) {
	for i := range a.Tags {
		t := &a.Tags[i]
		name := strings.TrimSpace(t.Name)
		if t.ID != 0 || t.Slug != "" || name == "" {
			continue
		}
		if j := slices.IndexFunc(had, func(h news.Tag) bool { return h.Name == name }); j >= 0 {
			*t = had[j]
			continue
		}
		if known, err := s.db.TagByName(ctx, name); err == nil {
			*t = known
		}
	}
}
