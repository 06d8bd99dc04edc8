// Command dastan runs the Dastan news platform: the public site, the
// newsroom, the API and feeds, and the background jobs, in one binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the masthead's zone works on machines without tzdata

	"dastan/internal/config"
	"dastan/internal/store"
)

const usage = `Dastan, a news publishing platform.

Usage:
  dastan serve [--demo] [flags]   run the site, newsroom, API and jobs
  dastan demo [-articles N]       fill an empty store with a demo newsroom
  dastan user add --email E --role R   add a newsroom user (contributor, author, editor, admin)
  dastan user disable|enable --email E  stop a user signing in (ending their sessions and
                                  API tokens at once), or let them again
  dastan user reset-password --email E [--link]
                                  print a new password, or a one-time link to set one
  dastan import wordpress FILE    bring a newsroom over from a WordPress export
  dastan rates fetch              ask every central bank for today's rates once
  dastan rates backfill --from YYYY-MM-DD [--to YYYY-MM-DD]
                                  fill rate history where a bank has it
  dastan reindex                  rebuild the search index
  dastan help                     show this text

Settings come from DASTAN_* variables and flags; "dastan serve -h" lists them.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "dastan:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("name a command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serveCmd(ctx, rest, stdout, stderr)
	case "demo":
		return demoCmd(ctx, rest, stdout, stderr)
	case "user":
		return userCmd(ctx, rest, os.Stdin, stdout, stderr)
	case "import":
		return importCmd(ctx, rest, stdout, stderr)
	case "rates":
		return ratesCmd(ctx, rest, stdout, stderr)
	case "reindex":
		return reindexCmd(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// setup reads the configuration from the environment and fs's flags, and
// opens the store it names.
func setup(ctx context.Context, fs *flag.FlagSet, args []string, stderr io.Writer) (config.Config, *store.DB, *slog.Logger, error) {
	fs.SetOutput(stderr)
	cfg, err := config.Load(fs, args, os.Getenv)
	if err != nil {
		return cfg, nil, nil, err
	}
	log := newLogger(cfg, stderr)
	db, err := store.Open(ctx, cfg.DataDir, cfg.DatabaseURL)
	if err != nil {
		return cfg, nil, nil, err
	}
	for _, c := range db.ModeChanges() {
		if c.Err != nil {
			log.Warn("the store stays readable by other users", "path", c.Path, "mode", c.From.String(), "err", c.Err)
			continue
		}
		log.Info("the store is now readable by Dastan's user only", "path", c.Path, "was", c.From.String(), "now", c.To.String())
	}
	return cfg, db, log, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
