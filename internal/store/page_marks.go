package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// A numbered page of a readers' listing (WordPress's /page/N/ addresses,
// which crawlers and archive readers walk) is read with OFFSET: the
// engine walks the listing's index entry by entry up to the page, and an
// edition's listing looks each entry's language up on the way. pageIDs
// starts from the nearer end, so page 2 and the last page cost the same
// at any size, but the pages between grow with the archive: the middle
// of a country's listing at a million posts (page 8,710) walked 87,000
// entries, 75 ms a request.
//
// So the store keeps, for each listing read that deep, the position of
// every pageMarkStride-th entry (its date and id: the listing's order),
// and a deep page starts from the mark before it, walking fewer than
// pageMarkStride entries. Marks are found by reading the entries' keys
// up to the page once, and kept until anything changes what readers see
// (the store's change notices, this instance's and others'), and only
// while the listing's count is the one they were found at: a scheduled
// story coming due, which no write announces, changes the count.
// Only the listings whose count the store keeps exactly (keptCount: a
// section's, tag's or author's, an edition's, the site's) get marks.
//
// One request at a time finds a listing's marks: the others asking for
// the same listing wait for it and start from what it found. Finding
// them for the middle of a listing of a million entries reads half a
// million keys; when a crawler's first 32 requests all did it at once,
// each took 32 times as long, and the requests behind them timed out.

const (
	// pageMarkStride is how many entries apart marks are: the most a
	// deep page walks past its mark.
	pageMarkStride = 1000
	// pageMarkLists bounds the listings marks are kept for; past it, all
	// go and are found again as readers ask.
	pageMarkLists = 1024
)

// pageMark is an entry of a listing: its date and id, as the listing
// orders them.
type pageMark struct{ date, id int64 }

// pageMarkList is one listing's marks: marks[i] is the entry at position
// (i+1)*stride (from 0), at a count of total.
type pageMarkList struct {
	total int
	marks []pageMark
}

// pageMarkCache holds the marks of the listings read deep.
type pageMarkCache struct {
	stride int // pageMarkStride; tests set less
	mu     sync.Mutex
	gen    uint64 // counts purges: marks found across one are not kept
	lists  map[string]pageMarkList
	// finding holds the listings whose marks a request is finding now,
	// by key and count.
	finding map[markFind]*markFlight
	// finds counts the reads of keys, for tests; hold, when set, is
	// called by each before it reads, also for tests.
	finds int
	hold  func()
}

// markFind names one listing at one count, whose marks are found once.
type markFind struct {
	key   string
	total int
}

// markFlight is a finding of marks under way: done closes when it ends;
// waiting counts the requests waiting for it.
type markFlight struct {
	done    chan struct{}
	waiting int
}

// every is how many entries apart marks are.
func (c *pageMarkCache) every() int {
	if c.stride > 0 {
		return c.stride
	}
	return pageMarkStride
}

// purge drops every mark: what readers see changed.
func (c *pageMarkCache) purge() {
	c.mu.Lock()
	c.gen++
	c.lists = nil
	c.mu.Unlock()
}

// get returns the marks kept for key at a count of total, and the
// generation to keep new ones under.
func (c *pageMarkCache) get(key string, total int) ([]pageMark, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.lists[key]
	if !ok || l.total != total {
		return nil, c.gen
	}
	return l.marks, c.gen
}

// put keeps marks for key unless a purge came after gen.
func (c *pageMarkCache) put(key string, total int, marks []pageMark, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.lists == nil || len(c.lists) >= pageMarkLists {
		c.lists = map[string]pageMarkList{}
	}
	c.lists[key] = pageMarkList{total: total, marks: marks}
}

// pageMarkKey names l's listing in order for its marks, or says it gets
// none: only readers' listings by date whose count is kept exactly.
func pageMarkKey(l listingSQL, from string, order listOrder) (string, bool) {
	if l.kept == nil || order.key != byDate {
		return "", false
	}
	return fmt.Sprintf("%s %d %t %s", l.kept.kind, l.kept.ref, order.asc, from), true
}

// fromMark returns where a page at offset may start instead: the mark
// before it, and the offset past that mark, when the listing has marks
// or is worth finding them for (ok false: read from the start).
func (db *DB) fromMark(ctx context.Context, l listingSQL, from string, order listOrder, total, offset int) (mark pageMark, rest int, ok bool, err error) {
	key, marked := pageMarkKey(l, from, order)
	stride := db.pageMarks.every()
	n := (offset - 1) / stride // the marks the page lies past
	if !marked || n == 0 || total <= 0 {
		return pageMark{}, offset, false, nil
	}
	marks, gen := db.pageMarks.get(key, total)
	for len(marks) < n {
		f := markFind{key, total}
		wait := db.pageMarks.begin(f)
		if wait != nil { // another request is finding them: start from its
			select {
			case <-wait:
			case <-ctx.Done():
				return pageMark{}, offset, false, ctx.Err()
			}
			marks, gen = db.pageMarks.get(key, total)
			continue
		}
		marks, err = db.findMarks(ctx, l, from, order, marks, n)
		if err == nil {
			db.pageMarks.put(key, total, marks, gen)
		}
		db.pageMarks.end(f)
		if err != nil {
			return pageMark{}, offset, false, err
		}
		if len(marks) < n { // the listing is shorter than its count said
			return pageMark{}, offset, false, nil
		}
	}
	return marks[n-1], offset - n*stride - 1, true, nil
}

// begin claims the finding of f's marks for the caller (nil), or returns
// the channel that closes when the request finding them now is done.
func (c *pageMarkCache) begin(f markFind) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if fl, ok := c.finding[f]; ok {
		fl.waiting++
		return fl.done
	}
	if c.finding == nil {
		c.finding = map[markFind]*markFlight{}
	}
	c.finding[f] = &markFlight{done: make(chan struct{})}
	c.finds++
	return nil
}

// end lets the requests waiting for f's marks look at them.
func (c *pageMarkCache) end(f markFind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(c.finding[f].done)
	delete(c.finding, f)
}

// findMarks reads the listing's keys on from the last of marks (or its
// start) until it has n marks, or the listing ends.
func (db *DB) findMarks(ctx context.Context, l listingSQL, from string, order listOrder, marks []pageMark, n int) ([]pageMark, error) {
	stride := db.pageMarks.every()
	if db.pageMarks.hold != nil {
		db.pageMarks.hold()
	}
	marks = append([]pageMark(nil), marks...)
	want := (n - len(marks)) * stride
	q, pos := l, 0 // pos: the position read, counted from the last mark
	if len(marks) > 0 {
		q = l.after(marks[len(marks)-1], order)
	} else {
		want++   // the first entry, at position 0, is read too
		pos = -1 // and is no mark
	}
	rows, err := db.read(ctx, `SELECT `+l.date+`, `+l.id+` FROM `+from+q.where()+` ORDER BY `+l.orderBy(order)+` LIMIT ?`,
		append(append([]any{}, q.args...), want)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m pageMark
		var date sql.NullInt64
		if err := rows.Scan(&date, &m.id); err != nil {
			return nil, err
		}
		m.date = date.Int64
		pos++
		if pos > 0 && pos%stride == 0 {
			marks = append(marks, m)
		}
	}
	return marks, rows.Err()
}

// after is l narrowed to the entries after m in order.
func (l listingSQL) after(m pageMark, order listOrder) listingSQL {
	op, edge := `<`, `<=`
	if order.asc {
		op, edge = `>`, `>=`
	}
	// The first term bounds the index's range; the second leaves out
	// the mark's own date's entries up to the mark. They go before l's
	// own: given two upper bounds on the date (the mark's and a readers'
	// listing's visibility, now), SQLite starts the range at the first it
	// meets, and from now it walked every entry above the mark: 7 ms a
	// page in the middle of a listing of 217,000, against 0.1.
	cond := l.date + ` ` + edge + ` ? AND (` + l.date + ` ` + op + ` ? OR ` + l.id + ` ` + op + ` ?)`
	q := l
	q.cond = append([]string{cond}, l.cond...)
	q.args = append([]any{m.date, m.date, m.id}, l.args...)
	return q
}
