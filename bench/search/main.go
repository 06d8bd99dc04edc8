// Command search measures search latency over a store: a mixed set of
// queries, each run as the search page runs it (count, one page of ten
// ranked results with bylines, a highlighted title and a snippet each),
// reporting p50, p95 and p99. The count stops where the search page's
// does (10,000: "of more than 10,000"); -count-limit 0 counts every match,
// as the page did before it stopped.
//
//	go run ./bench/search -data-dir /tmp/s100k
//	go run ./bench/search -database-url postgres://…
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	"dastan/internal/search"
	"dastan/internal/store"
)

type benchQuery struct {
	name, q string
	filter  func(*store.SearchQuery, *store.DB)
}

func main() {
	dataDir := flag.String("data-dir", "./data", "SQLite data directory")
	dbURL := flag.String("database-url", "", "PostgreSQL URL; empty uses SQLite")
	rounds := flag.Int("rounds", 30, "times each query is run")
	countLimit := flag.Int("count-limit", 10000, "where counting matches stops, as on the search page (0: count all)")
	waitTerms := flag.Bool("wait-terms", false, "report how long the store took to open and, on a store upgraded from before the records of terms, to fill them in the background, before searching")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the searches (not the start) to this file")
	flag.Parse()
	ctx := context.Background()
	opening := time.Now()
	db, err := store.Open(ctx, *dataDir, *dbURL)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if *waitTerms {
		fmt.Printf("opened in %s; records of terms filled: %v\n", time.Since(opening).Round(time.Millisecond), db.TermRecordsFilled())
		filling, cpu := time.Now(), processCPU()
		if err := db.WaitForTermRecords(ctx); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("records of terms filled %s later, %.1f CPU s of this process\n\n", time.Since(filling).Round(time.Millisecond), (processCPU() - cpu).Seconds())
	}
	n, _ := db.CountArticles(ctx)
	secs, err := db.Sections(ctx)
	if err != nil {
		log.Fatal(err)
	}
	sectionID := func(path string) []int64 {
		for _, s := range secs {
			if s.Path == path {
				return []int64{s.ID}
			}
		}
		log.Fatalf("no section %s", path)
		return nil
	}
	tag := func(db *store.DB, slug string) int64 {
		t, err := db.TagBySlug(ctx, slug)
		if err != nil {
			log.Fatal(err)
		}
		return t.ID
	}
	now := time.Now()
	queries := []benchQuery{
		{"common word", "pipeline", nil},
		{"two words", "central bank", nil},
		{"phrase", `"rail link"`, nil},
		{"rare word", "archaeology", nil},
		{"Russian", "газопровод Китай", nil},
		{"name in both scripts", "Tashkent", nil},
		{"exclusion and OR", "wheat OR cotton -russia", nil},
		{"common word, section", "pipeline", func(q *store.SearchQuery, db *store.DB) { q.SectionIDs = sectionID("news/kazakhstan") }},
		{"two words, language + dates", "central bank", func(q *store.SearchQuery, db *store.DB) {
			q.Lang, q.From = "en", now.AddDate(-1, 0, 0)
		}},
		{"Russian, tag", "газопровод", func(q *store.SearchQuery, db *store.DB) { q.TagID = tag(db, "energy") }},
		{"common word, by date, page 3", "pipeline", func(q *store.SearchQuery, db *store.DB) { q.SortByDate, q.Offset = true, 20 }},
		{"question, partial matches", "why is the Aral Sea shrinking", nil},
		{"many words, partial matches", "gas pipeline china harvest wheat", nil},
	}
	fmt.Printf("engine %s, %d articles, %d rounds, counting up to %d matches (0: all)\n\n", db.Engine(), n, *rounds, *countLimit)
	fmt.Println("| query | matches | p50 ms | p95 ms | p99 ms |")
	fmt.Println("|---|---:|---:|---:|---:|")
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	var all []time.Duration
	for _, bq := range queries {
		var times []time.Duration
		total := 0
		for r := 0; r < *rounds+2; r++ {
			start := time.Now()
			sq := store.SearchQuery{Query: search.ParseQuery(bq.q), VisibleAt: now, Limit: 10, Partial: true, CountLimit: *countLimit}
			if bq.filter != nil {
				bq.filter(&sq, db)
			}
			res, err := db.SearchArticles(ctx, sq)
			if err != nil {
				log.Fatal(err)
			}
			hl := search.NewHighlighter(sq.Query) // as the search page marks its results
			for _, r := range res.Results {
				_ = hl.Title(r.Article.Title)
				_ = hl.SnippetIn(r.BodyText, r.Article.Lang, 240)
			}
			hl.Release()
			total = res.Total
			if r >= 2 { // the first two warm the caches
				times = append(times, time.Since(start))
			}
		}
		all = append(all, times...)
		fmt.Printf("| %s `%s` | %d | %s | %s | %s |\n", bq.name, bq.q, total, ms(pct(times, 50)), ms(pct(times, 95)), ms(pct(times, 99)))
	}
	fmt.Printf("| **all** | | %s | %s | %s |\n", ms(pct(all, 50)), ms(pct(all, 95)), ms(pct(all, 99)))
	_ = os.Stdout.Sync()
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)]
}

// processCPU is the user and system time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
