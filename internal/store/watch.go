package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// changeLog is what this instance has heard of the generations: its own
// writes' and, through notifications, other instances'. The poll only
// acts on generations nobody told it about.
type changeLog struct {
	origin string // this instance, in the notifications it sends

	mu        sync.Mutex
	started   bool
	upTo      int64          // every generation up to this one has been heard
	ahead     map[int64]bool // heard, past a gap
	pending   int64          // a generation the last poll saw unheard, given one more poll
	listening bool           // a LISTEN connection is up
}

func newChangeLog() *changeLog {
	b := make([]byte, 8)
	rand.Read(b)
	return &changeLog{origin: hex.EncodeToString(b), ahead: map[int64]bool{}}
}

// start begins the log at the store's current generation.
func (l *changeLog) start(gen int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.started = true
	l.skipTo(gen)
}

// heard records that the change of generation gen has been applied.
func (l *changeLog) heard(gen int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started || gen <= l.upTo {
		return
	}
	l.ahead[gen] = true
	for l.ahead[l.upTo+1] {
		delete(l.ahead, l.upTo+1)
		l.upTo++
	}
}

// missed reports whether the store's generation gen holds changes this
// instance never heard of, and if so takes them as heard (the caller
// empties every cache). While notifications flow, a generation gets one
// more poll to be heard: the poll may read a commit before its
// notification arrives.
func (l *changeLog) missed(gen int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if gen <= l.upTo {
		l.pending = 0
		return false
	}
	if l.listening && (l.pending == 0 || l.pending <= l.upTo) {
		l.pending = gen
		return false
	}
	l.skipTo(gen)
	return true
}

// unheard is missed without the grace: for the generation read just
// after LISTEN began, whose unheard changes were made before (and will
// never be notified) or a moment after (and are then emptied for twice).
func (l *changeLog) unheard(gen int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if gen <= l.upTo {
		return false
	}
	l.skipTo(gen)
	return true
}

func (l *changeLog) skipTo(gen int64) {
	l.upTo = max(l.upTo, gen)
	for g := range l.ahead {
		if g <= l.upTo {
			delete(l.ahead, g)
		}
	}
	for l.ahead[l.upTo+1] {
		delete(l.ahead, l.upTo+1)
		l.upTo++
	}
	l.pending = 0
}

func (l *changeLog) setListening(on bool) {
	l.mu.Lock()
	l.listening = on
	l.mu.Unlock()
}

// WatchChanges makes other instances' writes reach this one's OnChange
// callbacks until ctx ends. On PostgreSQL it listens for their
// notifications on a connection of its own, reconnecting when that
// drops; on both engines it polls the generation every poll, the
// fallback that catches whatever the notifications missed (a dropped
// connection, another process writing the SQLite file) with a full purge.
// started is called once it listens (or failed to connect), so that an
// instance serves pages only once it hears of changes to them.
func (db *DB) WatchChanges(ctx context.Context, poll time.Duration, started func()) {
	if g, err := db.Generation(ctx); err == nil {
		db.changes.start(g)
	} else {
		db.changes.start(0)
	}
	var wg sync.WaitGroup
	defer wg.Wait() // the listener ends with ctx, before the store may close
	if db.pgURL != "" && !db.noListen {
		conn, _ := db.subscribe(ctx)
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.listen(ctx, conn)
		}()
	}
	if started != nil {
		started()
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	// othersWrote says a poll found writes nobody told of; on SQLite,
	// another process's, perhaps an import's, whose end (the first poll
	// that finds no more) is when the search index may want merging.
	othersWrote := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			g, err := db.Generation(ctx)
			switch {
			case err != nil:
			case db.changes.missed(g):
				db.changed(ChangeAll)
				othersWrote = true
			case othersWrote:
				othersWrote = false
				db.askSearchMerge(true)
			}
		}
	}
}

// subscribe opens the LISTEN connection.
func (db *DB) subscribe(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, db.pgURL)
	if err != nil {
		return nil, err
	}
	if err := listenScript(ctx, conn, notifyChannel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	db.changes.setListening(true)
	// What was written while nobody listened is heard of only now, and
	// never notified: no grace of a poll for it (the poll may be far off).
	if g, err := db.Generation(ctx); err == nil && db.changes.unheard(g) {
		db.changed(ChangeAll)
	}
	return conn, nil
}

// listen hears notifications on conn, and on a new connection whenever
// that fails, until ctx ends.
func (db *DB) listen(ctx context.Context, conn *pgx.Conn) {
	for {
		if conn != nil {
			db.hear(ctx, conn)
			db.changes.setListening(false)
			conn.Close(context.WithoutCancel(ctx))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
		conn, _ = db.subscribe(ctx)
	}
}

// hear passes on the notifications conn receives until it fails.
func (db *DB) hear(ctx context.Context, conn *pgx.Conn) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		var m notice
		if err := json.Unmarshal([]byte(n.Payload), &m); err != nil {
			db.changed(ChangeAll)
			continue
		}
		db.changes.heard(m.Gen)
		if m.Origin != db.changes.origin {
			db.changed(m.Change)
		}
	}
}
