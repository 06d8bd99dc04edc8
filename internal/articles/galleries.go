package articles

import (
	"context"
	"sync"

	"dastan/internal/media"
	"dastan/internal/news"
)

// galleries finds the images a [gallery ids="…"] in the body of the
// article with this id names, so that a save from the newsroom or a
// WordPress client shows the same pictures the import did rather than
// dropping the gallery. An article imported from WordPress names
// WordPress attachment ids (what the old site and its export used);
// one made here names the media library's ids, as the WordPress API
// hands them out. Each kind falls back to the other.
func (s *Service) galleries(ctx context.Context, id int64) news.MediaResolver {
	// Asked only when the body has a gallery: most saves have none.
	imported := sync.OnceValue(func() bool {
		if id == 0 {
			return false
		}
		wp, err := s.db.WPIDsOf(ctx, []string{"post", "page"}, []int64{id})
		return err == nil && wp[id] != 0
	})
	return func(ref int64) (news.Figure, bool) {
		if imported() {
			if f, ok := s.attachmentFigure(ctx, ref); ok {
				return f, true
			}
			return s.libraryFigure(ctx, ref)
		}
		if f, ok := s.libraryFigure(ctx, ref); ok {
			return f, true
		}
		return s.attachmentFigure(ctx, ref)
	}
}

// attachmentFigure shows an attachment an import brought over.
func (s *Service) attachmentFigure(ctx context.Context, wpID int64) (news.Figure, bool) {
	a, err := s.db.WPAttachment(ctx, wpID)
	if err != nil {
		return news.Figure{}, false
	}
	return media.AttachmentFigure(a, func(sha string) (news.Figure, bool) {
		if s.media == nil {
			return news.Figure{}, false
		}
		m, err := s.db.MediaBySHA(ctx, sha)
		if err != nil {
			return news.Figure{}, false
		}
		return s.media.Figure(m), true
	})
}

// libraryFigure shows an image of the media library by its id.
func (s *Service) libraryFigure(ctx context.Context, id int64) (news.Figure, bool) {
	if s.media == nil {
		return news.Figure{}, false
	}
	m, err := s.db.MediaByID(ctx, id)
	if err != nil {
		return news.Figure{}, false
	}
	f := s.media.Figure(m)
	return f, f.URL != ""
}

// Render is the body as readers would see it once saved (the newsroom's
// live preview): rendered and sanitized, with the galleries of the
// article with this id (0 for a new one) shown as its save shows them.
func (s *Service) Render(ctx context.Context, id int64, source string, format news.Format) (string, error) {
	return news.RenderBodyWith(source, format, s.galleries(ctx, id))
}
