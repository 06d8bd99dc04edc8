package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/store"
)

// dastan user add, disable, enable and reset-password act on the store
// serve uses, as the operator; each is audited.
func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	user := func(args ...string) (string, error) {
		var out, errs syncBuffer
		err := run(ctx, append(append([]string{"user"}, args...), "-data-dir", dir, "-log-level", "error"), &out, &errs)
		return out.String(), err
	}
	out, err := user("add", "-email", "Ed@example.com", "-role", "editor", "-generate-password")
	if err != nil || !strings.Contains(out, "Added ed@example.com (editor).") || !strings.Contains(out, "Password: ") {
		t.Fatalf("add: %v\n%s", err, out)
	}
	if _, err := user("add", "-email", "x@example.com", "-role", "owner", "-generate-password"); err == nil || !strings.Contains(err.Error(), "Choose a role") {
		t.Fatalf("add with a bad role: %v", err)
	}
	if _, err := user("disable", "-email", "ghost@example.com"); err == nil || !strings.Contains(err.Error(), "no user") {
		t.Fatalf("disable an unknown email: %v", err)
	}
	if out, err := user("disable", "-email", "ed@example.com"); err != nil || !strings.Contains(out, "ed@example.com is disabled.") {
		t.Fatalf("disable: %v\n%s", err, out)
	}
	if _, err := user("reset-password", "-email", "ed@example.com", "-link"); err == nil || !strings.Contains(err.Error(), "enable them first") {
		t.Fatalf("a link for a disabled user: %v", err)
	}
	if out, err := user("enable", "-email", "ed@example.com"); err != nil || !strings.Contains(out, "ed@example.com is enabled.") {
		t.Fatalf("enable: %v\n%s", err, out)
	}
	out, err = user("reset-password", "-email", "ed@example.com")
	pw := regexp.MustCompile(`Password: (\S+)`).FindStringSubmatch(out)
	if err != nil || pw == nil {
		t.Fatalf("reset-password: %v\n%s", err, out)
	}
	out, err = user("reset-password", "-email", "ed@example.com", "-link")
	if err != nil || !regexp.MustCompile(`http://localhost:8080/newsroom/reset/[A-Za-z0-9_-]{43}\n`).MatchString(out) {
		t.Fatalf("reset-password -link: %v\n%s", err, out)
	}
	if _, err := user("promote", "-email", "ed@example.com"); err == nil || !strings.Contains(err.Error(), "reset-password") {
		t.Fatalf("an unknown subcommand: %v", err)
	}
	db, err := store.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, "ed@example.com")
	if err != nil || u.Disabled {
		t.Fatalf("after enable: %+v %v", u, err)
	}
	if ok, _ := auth.CheckPassword(pw[1], u.PasswordHash); !ok {
		t.Fatal("the printed password is not the user's")
	}
	log, err := db.AuditLog(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "reset-link reset-password enable-user disable-user add-user" {
		t.Errorf("audit log: %s", got)
	}
}
