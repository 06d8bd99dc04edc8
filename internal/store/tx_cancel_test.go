package store_test

import (
	"context"
	"errors"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A write whose context is cancelled mid-transaction reports the
// cancellation, not database/sql's "transaction has already been committed
// or rolled back": an interrupted import tells a kill from a failure by it.
func TestCancelledTransactionReportsTheCancellation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, statement := range []bool{false, true} {
			err := db.CommitAfterCancelForTest(statement)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("statement after cancel %v: %v, want context.Canceled", statement, err)
			}
		}
	})
}
