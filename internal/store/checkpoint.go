package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// A long import on SQLite copies its write-ahead log into the database
// (checkpoints) on a connection of its own, beside the one writer, rather
// than in the writer's commits. A checkpoint copies pages and waits for
// the disk twice (fsync of the log, then of the database): done by the
// writer, every 64 MiB of log, it stopped the import's only serial stage
// for a tenth of its time, while the other core had nothing to do. What
// is committed, and what survives a crash, are the same either way:
// checkpoints only move committed pages from the log to the database.

// walRestartFrames is how long the log may grow (in 4 KiB pages) before
// the writer waits for the checkpointer to catch up, so that its next
// transaction starts the log again from its beginning: the log's file
// then stays at about this size, as with SQLite's own autocheckpoint.
const walRestartFrames = 16384

// commitsPerPass is how many commits the checkpointer lets pass before
// copying what they wrote (an import's batch is about 8 MB of log).
const commitsPerPass = 4

// checkpointer runs PASSIVE checkpoints of one SQLite store on its own
// connection while an import writes.
type checkpointer struct {
	conn *sql.DB
	kick chan struct{}      // a commit happened: copy what it wrote
	pass chan chan struct{} // copy everything committed so far, then close the reply
	stop chan struct{}
	wg   sync.WaitGroup

	logged   atomic.Int64 // frames in the log at the end of the last pass
	commits  atomic.Int64 // commits announced so far
	passedAt int64        // commits at the last pass begun by a kick (run only)

	restart  int64      // walRestartFrames; tests make it smaller
	mu       sync.Mutex // writers (an import's reader saves authors) wait in turn
	forcedAt int64      // the log's length at a writer's last wait
}

// startCheckpointer opens a connection to the store at path and starts
// copying its log after each commit that kick announces.
func startCheckpointer(path string, restart int64) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetConnMaxIdleTime(0)
	if err := conn.Ping(); err != nil {
		conn.Close()
		return nil, err
	}
	c := &checkpointer{conn: conn, restart: restart, kick: make(chan struct{}, 1), pass: make(chan chan struct{}), stop: make(chan struct{})}
	c.wg.Add(1)
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer c.wg.Done()
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
			// A page that every batch changes (an index's upper pages,
			// the search index's structure) is copied once a pass: a
			// pass every few commits copies it that much less often.
			if n := c.commits.Load(); n-c.passedAt >= commitsPerPass {
				c.passedAt = n
				c.checkpoint()
			}
		case reply := <-c.pass:
			c.checkpoint()
			close(reply)
		}
	}
}

// checkpoint copies every frame no reader still needs. PASSIVE never
// waits for the writer: it copies what was committed when it began.
func (c *checkpointer) checkpoint() {
	logged, err := walCheckpoint(context.Background(), c.conn)
	if err == nil {
		c.logged.Store(logged)
	}
}

// committed tells the checkpointer that the writer committed; every
// commitsPerPass commits it copies what they wrote, and a kick that comes
// while a pass runs waits for it.
func (c *checkpointer) committed() {
	c.commits.Add(1)
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// beforeWrite is called by the writer before it begins a transaction.
// Once the log has grown by walRestartFrames since the writer last
// waited, it waits for a pass begun now: the log is then wholly copied,
// and SQLite starts it again from its beginning at this transaction.
// (Should readers of other processes hold it, the log goes on growing,
// as with autocheckpoint, and the writer waits again only after as much
// more.)
func (c *checkpointer) beforeWrite(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.logged.Load()
	if n < c.forcedAt {
		c.forcedAt = 0 // the log started again
	}
	if n < c.forcedAt+c.restart {
		return
	}
	reply := make(chan struct{})
	select {
	case c.pass <- reply:
	case <-ctx.Done():
		return
	}
	select {
	case <-reply:
	case <-ctx.Done():
		return
	}
	c.forcedAt = c.logged.Load()
}

// close stops the checkpointer after a last pass and closes its connection.
func (c *checkpointer) close() error {
	close(c.stop)
	c.wg.Wait()
	c.checkpoint()
	return c.conn.Close()
}
