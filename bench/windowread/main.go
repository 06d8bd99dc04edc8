// Command windowread measures, on a PostgreSQL store, what a search's
// ranking window costs to read, in the parts the Go ranking needs it:
// the window's newest matches alone (ids and dates), and with each
// match's record of terms (what search_rank.go's readTermRange reads).
// The difference is the records' share: reading, sending and receiving
// them, which at a full window of 1,001 matches is about half the read.
// Each variant runs for -seconds through pgx in binary format, as the
// store reads; they alternate for -rounds.
//
//	go run ./bench/windowread -url postgres://…/d1000000 -from 917505 \
//	  -tsquery "('kazakhstan' | '~kazahstan') & ('oil' | '~oil') & ('export' | '~exports')"
//
// -from is the lowest article id the step reads (the first id of the
// parts the search's first step covers: see the store's search_parts.go,
// or its query in PostgreSQL's log); 0 reads every part.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	url := flag.String("url", "", "the store's PostgreSQL URL")
	tsq := flag.String("tsquery", "", "the search's tsquery, as the store writes it")
	lang := flag.String("lang", "en", "the edition searched")
	from := flag.Int64("from", 0, "the lowest article id read")
	window := flag.Int("window", 1001, "how many of the newest matches are read")
	seconds := flag.Float64("seconds", 3, "how long each variant runs, a round")
	rounds := flag.Int("rounds", 3, "how many times the variants alternate")
	flag.Parse()
	if *url == "" || *tsq == "" {
		log.Fatal("give -url and -tsquery")
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, *url)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	// As the store's searches' connections run them (searchRead in
	// store/query.go).
	for _, set := range []string{"SET enable_seqscan = off", "SET enable_indexscan = off", "SET max_parallel_workers_per_gather = 0"} {
		if _, err := c.Exec(ctx, set); err != nil {
			log.Fatal(err)
		}
	}
	matches := `SELECT m.article_id, m.published_at FROM article_search m WHERE m.tsv @@ CAST(CAST($1 AS text) AS tsquery)
		AND m.lang = $2 AND m.listed = 1 AND m.published_at <= $3 AND m.article_id >= $4 ORDER BY m.article_id DESC LIMIT $5`
	variants := []struct{ name, sql string }{
		{"matches only", `SELECT w.article_id, w.published_at, NULL::bytea FROM (` + matches + `) w ORDER BY w.article_id DESC`},
		{"with records", `SELECT w.article_id, w.published_at, t.terms FROM (` + matches + `) w
			LEFT JOIN article_terms t ON t.article_id = w.article_id ORDER BY w.article_id DESC`},
	}
	args := []any{*tsq, *lang, time.Now().Unix(), *from, *window}
	fmt.Printf("| round | variant | ms a read | matches | record bytes a read |\n|---:|---|---:|---:|---:|\n")
	for r := 1; r <= *rounds; r++ {
		for _, v := range variants {
			n, rows, bytes := 0, 0, 0
			start := time.Now()
			for time.Since(start).Seconds() < *seconds {
				res, err := c.Query(ctx, v.sql, args...)
				if err != nil {
					log.Fatal(err)
				}
				for res.Next() {
					rows++
					bytes += len(res.RawValues()[2])
				}
				if err := res.Err(); err != nil {
					log.Fatal(err)
				}
				n++
			}
			ms := float64(time.Since(start).Microseconds()) / 1000 / float64(n)
			fmt.Printf("| %d | %s | %.2f | %d | %d |\n", r, v.name, ms, rows/n, bytes/n)
		}
	}
}
