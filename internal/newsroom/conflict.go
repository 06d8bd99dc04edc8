package newsroom

import (
	"html/template"
	"net/http"

	"dastan/internal/auth"
	"dastan/internal/news"
)

type conflictContent struct {
	Mine, Theirs news.Article
	Action       string
	TheirsBy     string
	Diff         template.HTML // from the current version to mine
	MineTags     string
	MinePublish  string
	MineAuthors  []int64
}

// conflict answers a save that was based on an old version: nothing is
// written. The page shows the editor's version and the current one side
// by side with their differences, and lets the editor deliberately save
// theirs over the current one, or drop theirs.
func (n *Newsroom) conflict(w http.ResponseWriter, r *http.Request, u auth.User, mine, theirs news.Article, action string) {
	c := conflictContent{Mine: mine, Theirs: theirs, Action: action,
		Diff: DiffHTML(Diff(articleText(theirs.Title, theirs.Standfirst, theirs.BodySource), articleText(mine.Title, mine.Standfirst, mine.BodySource)))}
	if revs, err := n.db.Revisions(r.Context(), mine.ID, 1); err == nil && len(revs) > 0 {
		c.TheirsBy = revs[0].UserEmail
	}
	c.MineTags = r.PostForm.Get("tags")
	c.MinePublish = r.PostForm.Get("publish_at")
	for _, au := range mine.Authors {
		c.MineAuthors = append(c.MineAuthors, au.ID)
	}
	n.render(w, http.StatusConflict, "conflict", Page{Title: n.t(u, "nr.title.conflict"), User: u, Nav: "articles",
		Error: n.t(u, "nr.msg.conflict"), Content: c})
}
