package wordpress

import (
	"context"
	"slices"
	"strconv"
	"sync"

	"dastan/internal/store"
)

// An import of a large archive cannot hold every earlier import's map
// rows and attachments in memory (a million posts, hundreds of thousands
// of attachments): each batch looks up what it names, by WordPress id,
// when a worker prepares it. The attachments this run has prepared but
// the writer has not yet written are the only ones held, in the book.

// attachmentBook holds the attachments prepared by the workers until the
// writer has written them; every other attachment is read from the store.
type attachmentBook struct {
	db      *store.DB
	mu      sync.RWMutex
	pending map[int64]store.WPAttachment
}

func newAttachmentBook(db *store.DB) *attachmentBook {
	return &attachmentBook{db: db, pending: map[int64]store.WPAttachment{}}
}

// prepared adds attachments a worker made, for the batches prepared
// before the writer gets to them.
func (b *attachmentBook) prepared(list []store.WPAttachment) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, a := range list {
		b.pending[a.WPID] = a
	}
}

// written forgets attachments once their transaction has committed: from
// then on the store answers for them.
func (b *attachmentBook) written(list []store.WPAttachment) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, a := range list {
		delete(b.pending, a.WPID)
	}
}

// lookup returns the attachments of ids, from the book or the store. The
// book is asked first: an attachment it no longer holds was written
// before it was forgotten, so the store then has it.
func (b *attachmentBook) lookup(ctx context.Context, ids []int64) (map[int64]store.WPAttachment, error) {
	found := map[int64]store.WPAttachment{}
	var rest []int64
	b.mu.RLock()
	for _, id := range ids {
		if a, ok := b.pending[id]; ok {
			found[id] = a
		} else if id > 0 {
			rest = append(rest, id)
		}
	}
	b.mu.RUnlock()
	stored, err := b.db.WPAttachmentsByID(ctx, rest)
	if err != nil {
		return nil, err
	}
	for id, a := range stored {
		found[id] = a
	}
	return found, nil
}

// children returns the ids of the attachments of each of parents, in
// ascending order, from the book and the store.
func (b *attachmentBook) children(ctx context.Context, parents []int64) (map[int64][]int64, error) {
	kids := map[int64][]int64{}
	want := map[int64]bool{}
	for _, p := range parents {
		want[p] = true
	}
	b.mu.RLock()
	for _, a := range b.pending {
		if want[a.ParentWP] {
			kids[a.ParentWP] = append(kids[a.ParentWP], a.WPID)
		}
	}
	b.mu.RUnlock()
	stored, err := b.db.WPAttachmentChildren(ctx, parents)
	if err != nil {
		return nil, err
	}
	for p, ids := range stored {
		kids[p] = append(kids[p], ids...)
	}
	for p, ids := range kids {
		slices.Sort(ids)
		kids[p] = slices.Compact(ids)
	}
	return kids, nil
}

// attView is the attachments one batch names, looked up together before
// its items are prepared. An id the batch did not announce (a gallery
// written in a way galleryIDs does not read) is looked up on its own.
// A view is used by one goroutine at a time.
type attView struct {
	ctx    context.Context
	book   *attachmentBook
	atts   map[int64]store.WPAttachment
	looked map[int64]bool // found or not
	err    error          // the first failed lookup
}

// view looks up the attachments of ids.
func (b *attachmentBook) view(ctx context.Context, ids []int64) (*attView, error) {
	atts, err := b.lookup(ctx, ids)
	if err != nil {
		return nil, err
	}
	v := &attView{ctx: ctx, book: b, atts: atts, looked: make(map[int64]bool, len(ids))}
	for _, id := range ids {
		v.looked[id] = true
	}
	return v, nil
}

// get returns attachment id, if it is known.
func (v *attView) get(id int64) (store.WPAttachment, bool) {
	if !v.looked[id] {
		v.looked[id] = true
		found, err := v.book.lookup(v.ctx, []int64{id})
		if err != nil && v.err == nil {
			v.err = err
		}
		if a, ok := found[id]; ok {
			v.atts[id] = a
		}
	}
	a, ok := v.atts[id]
	return a, ok
}

// add makes an attachment the batch itself prepared known to its items.
func (v *attView) add(a store.WPAttachment) {
	v.atts[a.WPID] = a
	v.looked[a.WPID] = true
}

// galleryIDs returns the numbers written in body's [gallery] shortcodes:
// the attachments they show, and maybe a few other numbers (columns),
// which cost a lookup and nothing else.
func galleryIDs(body string) []int64 {
	var ids []int64
	for _, g := range reGallery.FindAllString(body, -1) {
		start := -1
		for i := 0; i <= len(g); i++ {
			digit := i < len(g) && g[i] >= '0' && g[i] <= '9'
			switch {
			case digit && start < 0:
				start = i
			case !digit && start >= 0:
				if id, err := strconv.ParseInt(g[start:i], 10, 64); err == nil && id > 0 {
					ids = append(ids, id)
				}
				start = -1
			}
		}
	}
	return ids
}
