package articles

import (
	"context"
	"fmt"

	"dastan/internal/auth"
	"dastan/internal/news"
)

// RestoreRevision brings back revision revID's title, standfirst and body
// as a new save of article id; like any save it needs the right to edit
// and is refused (a *ConflictError) when the article moved on since
// version was read. A version of 0 takes whatever is stored.
func (s *Service) RestoreRevision(ctx context.Context, u auth.User, id, revID, version int64, via string) (Result, error) {
	rev, err := s.db.RevisionByID(ctx, id, revID)
	if err != nil {
		return Result{}, err
	}
	if version == 0 {
		cur, err := s.db.ArticleByID(ctx, id)
		if err != nil {
			return Result{}, err
		}
		version = cur.Version
	}
	in := Save{ID: id, Version: version, Step: Keep, Note: fmt.Sprintf("restored version %d", rev.Version), Via: via,
		Apply: func(a *news.Article) error {
			a.Title, a.Standfirst, a.BodySource, a.BodyFormat = rev.Title, rev.Standfirst, rev.BodySource, rev.BodyFormat
			return nil
		}}
	return s.save(ctx, u, in, audit(u, "restore-revision", fmt.Sprintf("version %d", rev.Version), via))
}
