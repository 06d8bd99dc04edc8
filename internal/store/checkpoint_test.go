package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// TestLongImportKeepsTheLogSmall writes a long import's many transactions
// with the writer's own checkpoints turned off: the checkpointer beside it
// must copy the log often enough that it starts again from its beginning,
// so the -wal file stays a fraction of what was written, and every
// article is there at the end, readable once the import is over.
func TestLongImportKeepsTheLogSmall(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	db.SetWALRestartForTest(256) // 1 MiB of log
	wal := db.SQLitePathForTest() + "-wal"
	end, err := db.LongImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// ~19 KB of words in no order: long bodies are stored packed, and a
	// repeated sentence would pack to next to nothing.
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("cotton harvest figures for the valley farms water canal yield tonnes export price market season rain drought")
	body := func() string {
		var b strings.Builder
		for b.Len() < 19000 {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	const rounds, perRound = 40, 20
	largest := int64(0)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for r := range rounds {
		batch := make([]*news.Article, perRound)
		for i := range batch {
			a := article(fmt.Sprintf("Harvest %d %d", r, i), 0, at, nil)
			a.Slug, a.UpdatedAt = fmt.Sprintf("harvest-%d-%d", r, i), at
			text := body()
			a.BodySource, a.BodyHTML = text, "<p>"+text+"</p>"
			batch[i] = a
		}
		if err := db.ImportArticles(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(wal); err == nil {
			largest = max(largest, st.Size())
		}
	}
	end()
	st, err := os.Stat(db.SQLitePathForTest())
	if err != nil {
		t.Fatal(err)
	}
	// Never started again, the log holds every page written: more than the database.
	t.Logf("database %.1f MB; the log's file reached %.1f MB", float64(st.Size())/(1<<20), float64(largest)/(1<<20))
	if largest > st.Size()/2 {
		t.Errorf("the log's file reached %d bytes beside a database of %d: it was not started again", largest, st.Size())
	}
	n := 0
	for r := range rounds {
		for i := range perRound {
			if _, err := db.ArticleBySlug(ctx, fmt.Sprintf("harvest-%d-%d", r, i)); err == nil {
				n++
			}
		}
	}
	if n != rounds*perRound {
		t.Errorf("%d articles readable after the import, want %d", n, rounds*perRound)
	}
}
