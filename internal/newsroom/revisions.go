package newsroom

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"

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
	a, ref, err := n.loadArticle(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if !n.allowed(w, r, u, auth.View, &ref) {
		return
	}
	revs, err := n.db.Revisions(r.Context(), a.ID, 500)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	n.render(w, http.StatusOK, "revisions", Page{Title: "Revisions: " + a.Title, User: u, Nav: "articles", Content: revisionsContent{Article: a, Revisions: revs}})
}

type revisionContent struct {
	Article    news.Article
	Revision   store.Revision
	Diff       template.HTML // from this revision to the current article
	CanRestore bool
}

func (n *Newsroom) loadRevision(r *http.Request) (news.Article, auth.ArticleRef, store.Revision, error) {
	a, ref, err := n.loadArticle(r)
	if err != nil {
		return a, ref, store.Revision{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("rev"), 10, 64)
	if err != nil {
		return a, ref, store.Revision{}, fmt.Errorf("newsroom: revision: %w", store.ErrNotFound)
	}
	rev, err := n.db.RevisionByID(r.Context(), a.ID, id)
	return a, ref, rev, err
}

// revisionShow shows what changed from one revision to the current text.
func (n *Newsroom) revisionShow(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, rev, err := n.loadRevision(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if !n.allowed(w, r, u, auth.View, &ref) {
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
	a, ref, rev, err := n.loadRevision(r)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	if !n.allowed(w, r, u, auth.Edit, &ref) {
		return
	}
	if v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64); err == nil {
		a.Version = v
	}
	a.Title, a.Standfirst, a.BodySource, a.BodyFormat = rev.Title, rev.Standfirst, rev.BodySource, rev.BodyFormat
	if err := news.Prepare(&a, n.cfg.ExcerptLength, nil); err != nil {
		n.fail(w, r, u, err)
		return
	}
	err = n.db.SaveArticle(r.Context(), &a, u.ID, fmt.Sprintf("restored version %d", rev.Version))
	if err != nil {
		if errorsIsConflict(err) {
			r.PostForm.Set("tags", tagNames(a.Tags))
			n.conflict(w, r, u, a, "save")
			return
		}
		n.fail(w, r, u, err)
		return
	}
	n.audit(r.Context(), u, "restore-revision", fmt.Sprintf("article %d", a.ID), fmt.Sprintf("version %d", rev.Version))
	http.Redirect(w, r, links.NewsroomArticle(a.ID)+"?done=reverted", http.StatusSeeOther)
}
