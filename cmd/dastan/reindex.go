package main

import (
	"context"
	"dastan/internal/config"
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"
)

// reindexCmd rebuilds the search index of every article, for after an
// import that bypassed it or a change to the analyzer.
func reindexCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	workers := fs.Int("workers", runtime.NumCPU(), "goroutines analyzing text")
	_, db, _, err := setup(ctx, fs, args, config.Store, stdout, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	last := time.Time{}
	err = db.Reindex(ctx, *workers, func(done, total int) {
		if time.Since(last) >= time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(stdout, "%d of %d articles (%.0f/s)\n", done, total, float64(done)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Rebuilt the search index in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}
