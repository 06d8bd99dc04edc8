package articles

import (
	"context"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

// statuses are every status an article can have, for asking auth.Can
// which of others' articles a user may see.
var statuses = []news.Status{news.StatusDraft, auth.StatusPending, news.StatusScheduled, news.StatusPublished, news.StatusPrivate, news.StatusTrash}

// List is the newsroom's list of articles (or of the trash) as u may see
// it: the store leaves out others' articles in the statuses auth.Can
// does not let u view, so a contributor never learns the headline of a
// colleague's embargoed story.
func (s *Service) List(ctx context.Context, u auth.User, q store.NewsroomQuery) (store.Listing, error) {
	q.Viewer, q.OthersIn = 0, nil
	var others []news.Status
	for _, st := range statuses {
		// Owner 0 is nobody: what u may view of an article not theirs.
		if auth.Can(u, auth.View, &auth.ArticleRef{Owner: 0, Status: st}) {
			others = append(others, st)
		}
	}
	if len(others) < len(statuses) {
		q.Viewer, q.OthersIn = u.ID, others
		if u.ID == 0 {
			return store.Listing{}, nil
		}
	}
	return s.db.NewsroomArticles(ctx, q)
}
