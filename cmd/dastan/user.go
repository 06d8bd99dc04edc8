package main

import (
	"bufio"
	"context"
	"dastan/internal/config"
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
	"dastan/internal/users"
)

const userUsage = `user: say one of
  dastan user add --email E --role R [--name N] [--generate-password]
  dastan user disable --email E          end their sessions and API tokens; no more sign-ins
  dastan user enable --email E
  dastan user reset-password --email E [--link]
                                         print a new password, or a one-time link to set one`

// userCmd manages newsroom users from the machine itself, acting as
// users.System: "dastan user add|disable|enable|reset-password …".
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	if isHelp(args[0]) {
		fmt.Fprintln(stdout, userUsage)
		return nil
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	email := fs.String("email", "", "the user's email, which they sign in with")
	var run func(*users.Service, string) error
	switch args[0] {
	case "add":
		name := fs.String("name", "", "the new user's name")
		role := fs.String("role", "contributor", "contributor, author, editor or admin")
		generate := fs.Bool("generate-password", false, "make up a password and print it, without asking")
		run = func(svc *users.Service, _ string) error {
			return userAdd(ctx, svc, users.NewUser{Email: *email, Name: *name, Role: auth.Role(*role)}, !*generate, stdin, stdout)
		}
	case "disable", "enable":
		run = func(svc *users.Service, _ string) error {
			u, err := svc.ByEmail(ctx, users.System, *email)
			if err != nil {
				return err
			}
			if args[0] == "disable" {
				err = svc.Disable(ctx, users.System, u.ID)
			} else {
				err = svc.Enable(ctx, users.System, u.ID)
			}
			if err == nil {
				fmt.Fprintf(stdout, "%s is %sd.\n", u.Email, args[0])
			}
			return err
		}
	case "reset-password":
		link := fs.Bool("link", false, "print a one-time link to set a new password (valid 24 hours) instead of a new password")
		run = func(svc *users.Service, siteURL string) error {
			return userReset(ctx, svc, *email, *link, siteURL, stdout)
		}
	default:
		return errors.New(userUsage)
	}
	cfg, db, _, err := setup(ctx, fs, args[1:], append(config.Store, "site-url", "addr"), stdout, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if *email == "" {
		return fmt.Errorf("user %s: --email is required", args[0])
	}
	svc := users.New(users.Options{Store: db, Auth: auth.New(auth.Options{Store: db, SiteURL: cfg.SiteURL})})
	return run(svc, cfg.SiteURL)
}

// userAdd adds a user with a password read from stdin when ask is set,
// or a generated one, printed once.
func userAdd(ctx context.Context, svc *users.Service, nu users.NewUser, ask bool, stdin io.Reader, stdout io.Writer) error {
	if err := nu.Check(); err != nil {
		return err // before asking for a password that would be wasted
	}
	if ask {
		var err error
		if nu.Password, err = askPassword(stdin, stdout); err != nil {
			return err
		}
	}
	u, generated, err := svc.Add(ctx, users.System, nu)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added %s (%s).\n", u.Email, u.Role)
	if generated != "" {
		fmt.Fprintf(stdout, "Password: %s\n", generated)
	}
	return nil
}

// userReset prints a new password for the user, or a one-time link.
func userReset(ctx context.Context, svc *users.Service, email string, link bool, siteURL string, stdout io.Writer) error {
	u, err := svc.ByEmail(ctx, users.System, email)
	if err != nil {
		return err
	}
	if link {
		token, expires, err := svc.IssueReset(ctx, users.System, u.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "A one-time link for %s to set a new password, valid until %s:\n%s\n", u.Email, expires.Format("2 Jan 2006 15:04 MST"), links.Abs(siteURL, links.NewsroomReset(token)))
		return nil
	}
	pw, err := svc.ResetPassword(ctx, users.System, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "New password for %s (their sessions have ended):\nPassword: %s\n", u.Email, pw)
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
func seedDemoUsers(ctx context.Context, db *store.DB, siteURL string, stdout io.Writer) (bool, error) {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	svc := users.New(users.Options{Store: db, Auth: auth.New(auth.Options{Store: db, SiteURL: siteURL})})
	fmt.Fprintln(stdout, "Newsroom demo users (shown only now):")
	for _, r := range []auth.Role{auth.Admin, auth.Editor, auth.Author, auth.Contributor} {
		email := string(r) + "@demo.dastan.local"
		_, pw, err := svc.Add(ctx, users.System, users.NewUser{Email: email, Name: strings.ToUpper(string(r[:1])) + string(r[1:]), Role: r})
		if err != nil {
			return false, err
		}
		fmt.Fprintf(stdout, "  %-11s %s  password: %s\n", r, email, pw)
	}
	fmt.Fprintf(stdout, "Sign in at %s\n", links.Abs(strings.TrimRight(siteURL, "/"), links.Newsroom))
	return true, nil
}
