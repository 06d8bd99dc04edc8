package newsroom

import (
	"net/http"
	"strconv"

	"dastan/internal/auth"
	"dastan/internal/frontpage"
	"dastan/internal/links"
	"dastan/internal/store"
)

type frontContent struct {
	Slots []frontSlotRow
}

// frontSlotRow is one slot of the front page and the story pinned there.
type frontSlotRow struct {
	N      int
	Lead   bool
	Pinned *store.FrontSlot
}

// frontList shows the front page's slots: which story each holds, with
// forms to pin another or empty it.
func (n *Newsroom) frontList(w http.ResponseWriter, r *http.Request, u auth.User) {
	if !n.allowed(w, r, u, auth.PinFront, nil) {
		return
	}
	n.frontPage(w, r, u, http.StatusOK, "")
}

func (n *Newsroom) frontPage(w http.ResponseWriter, r *http.Request, u auth.User, status int, msg string) {
	pinned, err := n.front.Pinned(r.Context(), u)
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	c := frontContent{}
	for i := 1; i <= frontpage.Slots; i++ {
		row := frontSlotRow{N: i, Lead: i == 1}
		for k := range pinned {
			if pinned[k].Slot == i {
				row.Pinned = &pinned[k]
			}
		}
		c.Slots = append(c.Slots, row)
	}
	fl := n.done(r, u, "front", "pinned", "unpinned")
	n.render(w, status, "front", Page{Title: n.t(u, "nr.title.front"), User: u, Nav: "front", Error: msg, Flash: fl, Content: c})
}

// frontSave pins a story to a slot, or empties the slot, through the
// front page's rules.
func (n *Newsroom) frontSave(w http.ResponseWriter, r *http.Request, u auth.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	slot, _ := strconv.Atoi(r.PostFormValue("slot"))
	var err error
	done := "pinned"
	if r.PostFormValue("unpin") != "" {
		err, done = n.front.Unpin(r.Context(), u, slot), "unpinned"
	} else {
		err = n.front.Pin(r.Context(), u, slot, r.PostFormValue("article"))
	}
	if msg, ok := n.invalid(u, err); ok {
		n.frontPage(w, r, u, http.StatusUnprocessableEntity, msg)
		return
	}
	if err != nil {
		n.fail(w, r, u, err)
		return
	}
	http.Redirect(w, r, links.NewsroomFront+"?done="+done, http.StatusSeeOther)
}
