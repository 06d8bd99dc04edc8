package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"syscall"
	"time"

	"dastan/internal/config"
	"dastan/internal/demo"
	"dastan/internal/rates"
	"dastan/internal/server"
	"dastan/internal/store"
)

// serveCmd runs the site until SIGINT or SIGTERM. It claims its address
// before anything else, so a wrong or busy one stops it before the store
// is touched. With --demo it then fills an empty store with a demo
// newsroom, and prints the sign-ins once the site answers.
func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	withDemo := fs.Bool("demo", false, "fill an empty store with a demo newsroom, and print its sign-ins")
	cfg, err := loadConfig(fs, args, nil, stdout)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	tuneCollector(os.Getenv, cfg.PageCache)
	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close() // Serve closes it too; this is for the paths that never get there
	if cfg.SiteURLDerived {
		// Links follow the address actually served (":0" picks a port).
		cfg.SiteURL = config.SiteURLFor(ln.Addr().String())
	}
	db, err := openStore(ctx, cfg, log, store.WithQueryTimeout(cfg.QueryTimeout), store.WithSearchMerge())
	if err != nil {
		return err
	}
	defer db.Close()
	logTermFill(ctx, db, log)
	var signIns bytes.Buffer // printed once the site answers
	if *withDemo {
		// Instances started together on one PostgreSQL take turns: the
		// first fills the store, the others find it filled.
		err := db.Exclusive(ctx, "demo", func() error { return fillDemo(ctx, db, cfg, log, &signIns) })
		if err != nil {
			return err
		}
	}
	db.WarmSearch() // after the demo's fill, whose articles it counts
	srv, err := server.New(server.Options{Config: cfg, Store: db, Logger: log})
	if err != nil {
		return err
	}
	return srv.Serve(ctx, ln, func(addr string) {
		log.Info("dastan is serving", "addr", addr, "engine", db.Engine(), "site", cfg.SiteURL)
		stdout.Write(signIns.Bytes())
		fmt.Fprintf(stdout, "Dastan is ready at %s/\n", config.SiteURLFor(addr))
		if cfg.SiteURL != config.SiteURLFor(addr) {
			fmt.Fprintf(stdout, "Its links name %s (DASTAN_SITE_URL).\n", cfg.SiteURL)
		}
	})
}

// logTermFill says, when a store upgraded from before the records of
// terms fills them in the background, that searches are ranked by the
// database until then, and logs when they are filled.
func logTermFill(ctx context.Context, db *store.DB, log *slog.Logger) {
	if db.TermRecordsFilled() {
		return
	}
	log.Info("filling the records of terms searches rank by, in the background; until then the database ranks searches")
	start := time.Now()
	go func() {
		if db.WaitForTermRecords(ctx) == nil {
			log.Info("records of terms filled: searches are ranked by them", "took", time.Since(start).Round(time.Second))
		}
	}()
}

// listen claims serve's address, and names the setting when it cannot.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("DASTAN_ADDR %q: another program is listening there; stop it, or set DASTAN_ADDR (or -addr) to a free port such as :8081", addr)
	case err != nil:
		return nil, fmt.Errorf("DASTAN_ADDR %q: %w", addr, err)
	}
	return ln, nil
}

// fillDemo adds the demo newsroom, its users and a year of rates to an
// empty store, writing the sign-ins to signIns. A store with articles
// keeps them, and signIns says how to get in.
func fillDemo(ctx context.Context, db *store.DB, cfg config.Config, log *slog.Logger, signIns io.Writer) error {
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
		log.Info("store already has articles; demo not added", "articles", n, "data_dir", cfg.DataDir)
	}
	added, err := seedDemoUsers(ctx, db, cfg.SiteURL, signIns)
	if err != nil {
		return err
	}
	if !added {
		// The passwords were printed when the users were made; a lost
		// one is replaced, not recovered.
		fmt.Fprintf(signIns, "The newsroom already has users (the demo's are admin@demo.dastan.local, editor@…, author@…, contributor@…).\n"+
			"Lost the password? Make a new one:  dastan user reset-password --email admin@demo.dastan.local\n"+
			"Or start afresh: stop Dastan and delete %s.\n", cfg.DataDir)
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
	return nil
}
