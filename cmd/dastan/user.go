package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/store"
)

// userCmd manages newsroom users: "dastan user add --email … --role …".
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(`user: say "dastan user add --email you@example.com --role admin"`)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	email := fs.String("email", "", "the new user's email, which they sign in with")
	name := fs.String("name", "", "the new user's name")
	role := fs.String("role", "contributor", "contributor, author, editor or admin")
	generate := fs.Bool("generate-password", false, "make up a password and print it, without asking")
	cfg, db, _, err := setup(ctx, fs, args[1:], stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if *email == "" {
		return errors.New("user add: --email is required")
	}
	if !auth.ValidRole(*role) {
		return fmt.Errorf("user add: --role must be contributor, author, editor or admin, not %q", *role)
	}
	password := ""
	if !*generate {
		if password, err = askPassword(stdin, stdout); err != nil {
			return err
		}
	}
	shown := password == ""
	if shown {
		password = auth.GeneratePassword()
	}
	svc := auth.New(auth.Options{Store: db, SiteURL: cfg.SiteURL})
	u, err := svc.AddUser(ctx, *email, *name, auth.Role(*role), password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added %s (%s).\n", u.Email, u.Role)
	if shown {
		fmt.Fprintf(stdout, "Password: %s\n", password)
	}
	return nil
}

// askPassword reads a password from stdin, without echo on a terminal.
// An empty answer asks for a generated one.
func askPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	tty := false
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	if tty {
		fmt.Fprint(stdout, "Password (empty to generate one): ")
		off := exec.Command("stty", "-echo")
		off.Stdin = os.Stdin
		if off.Run() == nil {
			defer func() {
				on := exec.Command("stty", "echo")
				on.Stdin = os.Stdin
				on.Run()
				fmt.Fprintln(stdout)
			}()
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user add: read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// seedDemoUsers gives an empty newsroom one user per role and prints
// their passwords once: the demo's way in.
func seedDemoUsers(ctx context.Context, db *store.DB, siteURL string, stdout io.Writer) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	svc := auth.New(auth.Options{Store: db, SiteURL: siteURL})
	fmt.Fprintln(stdout, "Newsroom demo users (shown only now):")
	for _, r := range []auth.Role{auth.Admin, auth.Editor, auth.Author, auth.Contributor} {
		pw := auth.GeneratePassword()
		email := string(r) + "@demo.dastan.local"
		if _, err := svc.AddUser(ctx, email, strings.ToUpper(string(r[:1]))+string(r[1:]), r, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %-11s %s  password: %s\n", r, email, pw)
	}
	fmt.Fprintf(stdout, "Sign in at %s\n", links.Abs(strings.TrimRight(siteURL, "/"), links.Newsroom))
	return nil
}
