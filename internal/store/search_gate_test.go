package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestSearchesEnterAFewAtATime: many searches at once on SQLite are let
// into the store no more than its gate's slots at a time, and each finds
// what it finds alone; PostgreSQL's are not gated.
func TestSearchesEnterAFewAtATime(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Open(t, engine)
			seedSearch(t, db)
			queries := []string{"pipeline", "wheat harvest", "газопровод", "central bank"}
			alone := map[string]string{}
			for _, q := range queries {
				alone[q] = searchedIDs(t, db, q)
			}
			var wg sync.WaitGroup
			for i := range 48 {
				wg.Go(func() {
					q := queries[i%len(queries)]
					if got := searchedIDs(t, db, q); got != alone[q] {
						t.Errorf("%q among others found %s, alone %s", q, got, alone[q])
					}
				})
			}
			wg.Wait()
			most, slots := db.SearchesAtOnceForTest()
			switch {
			case engine == "postgres" && slots != 0:
				t.Errorf("PostgreSQL's searches are gated, %d at a time", slots)
			case engine == "sqlite" && (slots < 2 || most > slots || most < 1):
				t.Errorf("at most %d searches were inside at once; the gate lets in %d", most, slots)
			}
		})
	}
}

func searchedIDs(t *testing.T, db *store.DB, q string) string {
	res, err := db.SearchArticles(context.Background(), store.SearchQuery{Query: search.ParseQuery(q), VisibleAt: searchNow, Limit: 20})
	if err != nil {
		t.Error(err)
		return ""
	}
	return fmt.Sprint(resultIDs(res), res.Total)
}
