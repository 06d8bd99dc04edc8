package store_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestDeadlockIsKnown: the error PostgreSQL gives the transaction it
// ends to break a real deadlock is the one the store retries (PurgeTrash
// against a renamed tag's documents), and other errors are not.
func TestDeadlockIsKnown(t *testing.T) {
	pool, err := sql.Open("pgx", storetest.NewPostgresDatabase(t))
	must(t, err)
	defer pool.Close()
	ctx := context.Background()
	_, err = pool.ExecContext(ctx, `CREATE TABLE pair (id int PRIMARY KEY); INSERT INTO pair VALUES (1), (2)`)
	must(t, err)
	// Two transactions each lock one row, then ask for the other's.
	var mid sync.WaitGroup
	mid.Add(2)
	errs := make([]error, 2)
	var done sync.WaitGroup
	for i, order := range [][2]int{{1, 2}, {2, 1}} {
		done.Go(func() {
			tx, err := pool.BeginTx(ctx, nil)
			if err != nil {
				errs[i] = err
				mid.Done()
				return
			}
			defer tx.Rollback()
			_, err = tx.ExecContext(ctx, `UPDATE pair SET id = id WHERE id = $1`, order[0])
			mid.Done()
			mid.Wait()
			if err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE pair SET id = id WHERE id = $1`, order[1])
			}
			errs[i] = err
		})
	}
	done.Wait()
	ended := errors.Join(errs...)
	if ended == nil || !store.DeadlockedForTest(ended) {
		t.Fatalf("the deadlock's errors %v are not known as one", errs)
	}
	if store.DeadlockedForTest(sql.ErrNoRows) || store.DeadlockedForTest(nil) {
		t.Error("other errors are taken for a deadlock")
	}
}
