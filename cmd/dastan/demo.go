package main

import (
	"context"
	"dastan/internal/config"
	"flag"
	"fmt"
	"io"
	"time"

	"dastan/internal/demo"
)

// demoCmd fills an empty store with a demo newsroom of the size asked,
// e.g. 100,000 articles for benchmarks.
func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	n := fs.Int("articles", 1200, "how many published articles to generate (the newsroom's drafts, pending and scheduled stories come on top)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed makes the same newsroom")
	_, db, _, err := setup(ctx, fs, args, config.Store, stdout, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	err = demo.Fill(ctx, db, demo.Options{Articles: *n, Seed: *seed, Progress: func(done int) {
		if done%10000 == 0 || done == *n {
			fmt.Fprintf(stdout, "%d of %d articles (%.0f/s)\n", done, *n, float64(done)/time.Since(start).Seconds())
		}
	}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Made a demo newsroom of %d articles in %s.\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}
