package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"dastan/internal/demo"
	"dastan/internal/rates"
	"dastan/internal/server"
)

// serveCmd runs the site until SIGINT or SIGTERM. With --demo it first
// fills an empty store with a demo newsroom.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	withDemo := fs.Bool("demo", false, "fill an empty store with a demo newsroom first")
	cfg, db, log, err := setup(ctx, fs, args, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		n, err := db.CountArticles(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			start := time.Now()
			if err := demo.Fill(ctx, db, demo.Options{Articles: 1200, Seed: 1}); err != nil {
				return err
			}
			log.Info("demo newsroom created", "articles", 1200, "took", time.Since(start).Round(time.Millisecond))
		} else {
			log.Info("store already has articles; demo not added", "articles", n)
		}
		if err := seedDemoUsers(ctx, db, cfg.SiteURL, stdout); err != nil {
			return err
		}
		rcfg, err := rates.ParseConfig(cfg.Rates)
		if err != nil {
			return err
		}
		if n, err := demo.FillRates(ctx, db, rcfg.Codes(), time.Now().In(cfg.Location), 1); err != nil {
			return err
		} else if n > 0 {
			log.Info("demo rates created; real ones replace them as the banks answer", "rates", n)
		}
	}
	srv, err := server.New(server.Options{Config: cfg, Store: db, Logger: log})
	if err != nil {
		return err
	}
	return srv.Run(ctx, func(addr string) {
		log.Info("dastan is serving", "addr", addr, "engine", db.Engine(), "site", cfg.SiteURL)
		fmt.Fprintf(stdout, "Dastan is ready at http://%s/\n", displayAddr(addr))
	})
}

// displayAddr turns ":8080" or "[::]:8080" into something a browser opens.
func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "localhost" + addr
	}
	if len(addr) > 5 && addr[:5] == "[::]:" {
		return "localhost:" + addr[5:]
	}
	return addr
}
