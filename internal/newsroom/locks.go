package newsroom

import (
	"errors"
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/locks"
	"dastan/internal/news"
)

type lockedContent struct {
	Article news.Article
	Lock    locks.Lock
	CanTake bool
}

// holdLock takes or keeps u's edit lock as the editor opens. It reports
// false, having shown who holds the lock instead, when someone else
// does. A lock the store cannot keep is logged, not shown: saves stay
// guarded by the article's version.
func (n *Newsroom) holdLock(w http.ResponseWriter, r *http.Request, u auth.User, a news.Article, ref auth.ArticleRef) bool {
	_, err := n.locks.Hold(r.Context(), u, a.ID, ref)
	var held *locks.HeldError
	switch {
	case err == nil, errors.Is(err, locks.ErrForbidden):
		return true // those who may only look take no lock
	case errors.As(err, &held):
		c := lockedContent{Article: a, Lock: held.Lock, CanTake: auth.Can(u, auth.Edit, &ref)}
		n.render(w, http.StatusOK, "locked", Page{Title: n.t(u, "nr.title.locked"), User: u, Nav: "articles", Flash: n.flash(r, u), Content: c})
		return false
	default:
		n.log.Error("newsroom: edit lock", "article", a.ID, "err", err)
		return true
	}
}

// takeOver gives the pressing user the article's edit lock, whoever
// held it, and opens the editor. The one who held it learns at their
// next heartbeat.
func (n *Newsroom) takeOver(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r, u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	before, _ := n.locks.Holders(r.Context(), []int64{a.ID})
	if _, err := n.locks.TakeOver(r.Context(), u, a.ID, ref); err != nil {
		n.fail(w, r, u, err)
		return
	}
	if prev, ok := before[a.ID]; ok && prev.UserID != u.ID {
		n.audit(r.Context(), u, "lock.take-over", "article "+strconv.FormatInt(a.ID, 10), "took over editing from "+prev.UserEmail)
	}
	http.Redirect(w, r, links.NewsroomArticle(a.ID), http.StatusSeeOther)
}

// heartbeat keeps the editor page's lock. It answers 409 with who holds
// the lock once someone else took it over, so the page can say so.
func (n *Newsroom) heartbeat(w http.ResponseWriter, r *http.Request, u auth.User) {
	a, ref, err := n.loadArticle(r, u)
	if err != nil {
		jsonReply(w, http.StatusNotFound, map[string]any{"error": n.t(u, "nr.msg.lock_gone")})
		return
	}
	l, err := n.locks.Hold(r.Context(), u, a.ID, ref)
	var held *locks.HeldError
	switch {
	case err == nil:
		jsonReply(w, http.StatusOK, map[string]any{"held": true, "since": l.Since.Unix()})
	case errors.As(err, &held):
		jsonReply(w, http.StatusConflict, map[string]any{"held": false, "by": held.Lock.UserName, "email": held.Lock.UserEmail,
			"error": n.t(u, "nr.msg.taken_over", "Name", held.Lock.UserName, "Email", held.Lock.UserEmail, "Time", held.Lock.Since.In(n.cfg.Location).Format("15:04"))})
	case errors.Is(err, locks.ErrForbidden):
		jsonReply(w, http.StatusForbidden, map[string]any{"error": n.t(u, "nr.msg.lock_forbidden")})
	default:
		n.log.Error("newsroom: heartbeat", "article", a.ID, "err", err)
		jsonReply(w, http.StatusServiceUnavailable, map[string]any{"error": n.t(u, "nr.msg.lock_unavailable")})
	}
}

// release gives up the user's lock as their editor page goes away.
func (n *Newsroom) release(w http.ResponseWriter, r *http.Request, u auth.User) {
	id, err := pathID(r, "id")
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if err := n.locks.Release(r.Context(), u, id); err != nil {
		n.log.Error("newsroom: release lock", "article", id, "err", err)
	}
	w.WriteHeader(http.StatusNoContent)
}
