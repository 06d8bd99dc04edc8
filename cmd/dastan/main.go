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
	"runtime/debug"
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
  dastan media move --to s3|disk  copy the media library into the bucket, or back
  dastan reindex                  rebuild the search index
  dastan backup DIR               copy the store and media, while serving, into DIR
  dastan restore DIR [--force]    put a backup into an empty data directory
  dastan healthcheck              ask the running site whether it is well (exit 0 or 1)
  dastan version                  the release and commit this binary was built from
  dastan help                     show this text

Settings come from DASTAN_* variables and flags; "dastan COMMAND -h" lists
the ones that command reads.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(exitCode(run(ctx, os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// exitCode reports err and turns it into the process's status: 0 for
// success and for help asked for, 1 otherwise.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "dastan:", err)
	return 1
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
	case "media":
		return mediaCmd(ctx, rest, stdout, stderr)
	case "reindex":
		return reindexCmd(ctx, rest, stdout, stderr)
	case "backup":
		return backupCmd(ctx, rest, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, rest, stdout, stderr)
	case "healthcheck":
		return healthcheckCmd(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// setup reads the configuration from the environment and fs's flags, and
// opens the store it names. uses names the settings the command reads
// (nil: all), which alone become its flags; -h prints them on stdout.
func setup(ctx context.Context, fs *flag.FlagSet, args []string, uses []string, stdout, stderr io.Writer) (config.Config, *store.DB, *slog.Logger, error) {
	cfg, err := loadConfig(fs, args, uses, stdout)
	if err != nil {
		return cfg, nil, nil, err
	}
	log := newLogger(cfg, stderr)
	db, err := openStore(ctx, cfg, log)
	return cfg, db, log, err
}

// openStore opens (or creates) the store the configuration names.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...store.Option) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DataDir, cfg.DatabaseURL, append([]store.Option{store.WithLogger(log)}, opts...)...)
	if err != nil {
		return nil, err
	}
	for _, c := range db.ModeChanges() {
		if c.Err != nil {
			log.Warn("the store stays readable by other users", "path", c.Path, "mode", c.From.String(), "err", c.Err)
			continue
		}
		log.Info("the store is now readable by Dastan's user only", "path", c.Path, "was", c.From.String(), "now", c.To.String())
	}
	return db, nil
}

// loadConfig reads the command's settings and flags. Help goes to stdout
// and ends the command with flag.ErrHelp (status 0).
func loadConfig(fs *flag.FlagSet, args []string, uses []string, stdout io.Writer) (config.Config, error) {
	fs.SetOutput(io.Discard) // errors are reported once, by main
	fs.Usage = func() {}
	cfg, err := config.LoadOnly(fs, args, os.Getenv, uses)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, fs)
	}
	return cfg, err
}

// printHelp lists a command's own flags, then the settings it reads,
// each with its variable and its default, once.
func printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: dastan %s [flags]\n", fs.Name())
	var own, settings []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := config.Lookup(f.Name); ok {
			settings = append(settings, f)
		} else {
			own = append(own, f)
		}
	})
	for _, f := range own {
		fmt.Fprintf(w, "  -%s", f.Name)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "\n      %s\n", f.Usage)
	}
	if len(settings) == 0 {
		return
	}
	fmt.Fprintln(w, "\nSettings, from the variable or the flag (the flag wins):")
	for _, f := range settings {
		s, _ := config.Lookup(f.Name)
		fmt.Fprintf(w, "  -%s, %s", f.Name, s.Env)
		if s.Default != "" {
			fmt.Fprintf(w, " (default %s)", s.Default)
		}
		fmt.Fprintf(w, "\n      %s\n", s.Help)
	}
}

// commit is the build's commit where the toolchain cannot record it: the
// container image is built without .git and sets it with
// -ldflags "-X main.commit=…".
var commit string

// version names the release and commit this binary was built from, as
// the Go toolchain recorded them (go build in a git checkout records
// the commit; go run does not).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dastan (no build information)"
	}
	v := "dastan " + bi.Main.Version
	var rev, modified, when string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		case "vcs.time":
			when = s.Value
		}
	}
	if rev == "" {
		rev = commit
	}
	if rev == "" {
		v += ", commit unknown (built without version control information)"
	} else {
		v += ", commit " + rev
		if modified == "true" {
			v += " with uncommitted changes"
		}
		if when != "" {
			v += " of " + when
		}
	}
	return v + ", " + bi.GoVersion
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// isHelp tells whether a command's first word asks for its help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}
