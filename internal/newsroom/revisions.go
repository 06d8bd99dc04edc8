package newsroom

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

type revisionsContent struct {
	Article   news.Article
	Revisions []store.Revision
}

// revisionList lists an article's saves: which version, who, when, why.
func (n *Newsroom) revisionList(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, _, err := n.loadArticle(r, u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	revs, err := n.db.Revisions(r.Context(), a.ID, 500)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.render(w, http.StatusOK, "revisions", Page{Title: n.t(u, "nr.title.revisions_of", "Title", a.Title), User: u, Nav: "articles", Content: revisionsContent{Article: a, Revisions: revs}})
}

type revisionContent struct {
	Article    news.Article
	Revision   store.Revision
	Diff       template.HTML // from this revision to the current article
	CanRestore bool
}

func (n *Newsroom) loadRevision(r *http.Request, u auth.User) (news.Article, auth.ArticleRef, store.Revision, error) {
	a, ref, err := n.loadArticle(r, u)
	if err != nil {
		return a, ref, store.Revision{}, err
	}
	id, err := pathID(r, "rev")
	if err != nil {
		return a, ref, store.Revision{}, err
	}
	rev, err := n.db.RevisionByID(r.Context(), a.ID, id)
	return a, ref, rev, err
}

// revisionShow shows what changed from one revision to the current text.
func (n *Newsroom) revisionShow(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, rev, err := n.loadRevision(r, u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := revisionContent{Article: a, Revision: rev, CanRestore: auth.Can(u, auth.Edit, &ref),
		Diff: DiffHTML(Diff(articleText(rev.Title, rev.Standfirst, rev.BodySource), articleText(a.Title, a.Standfirst, a.BodySource)))}
	n.render(w, http.StatusOK, "revision", Page{Title: fmt.Sprintf("Version %d: %s", rev.Version, a.Title), User: u, Nav: "articles", Content: c})
}

// revisionRestore brings back a revision's title, standfirst and body as
// a new save; like any save it is refused if the article moved on since
// the page was opened.
func (n *Newsroom) revisionRestore(w http.ResponseWriter, r *http.Request, u auth.User) {
	id, err := pathID(r, "id")
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	rev, err := pathID(r, "rev")
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64) // none: the stored version
	res, err := n.articles.RestoreRevision(r.Context(), u, id, rev, v, "")
	var conflict *articles.ConflictError
	switch {
	case errors.As(err, &conflict):
		r.PostForm.Set("tags", tagNames(res.Article.Tags))
		n.conflict(w, r, u, res.Article, conflict.Current, "save")
	case err != nil:
		n.fail(w, r, u, err)
	default:
		http.Redirect(w, r, links.NewsroomArticle(id)+"?done=reverted", http.StatusSeeOther)
	}
}

func tagNames(tags []news.Tag) string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}
