package main

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
)

// runCode runs the command line as main would and returns its exit
// status with what it wrote.
func runCode(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errs syncBuffer
	code := exitCode(run(context.Background(), args, &out, &errs), &errs)
	return code, out.String(), errs.String()
}

// Every command's help exits 0, on stdout, lists the settings that
// command reads and no others, and prints each default once.
func TestHelpListsOnlyTheCommandsSettings(t *testing.T) {
	t.Setenv("DASTAN_DATA_DIR", t.TempDir()) // help must not need, or make, a store
	for _, c := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"serve", "--help"}, []string{"-demo", "DASTAN_ADDR (default :8080)", "DASTAN_RATES_VIEW", "DASTAN_SITE_URL"}, nil},
		{[]string{"user", "add", "--help"}, []string{"-email", "-role (default contributor)", "DASTAN_DATA_DIR", "DASTAN_DATABASE_URL"}, []string{"DASTAN_RATES_VIEW", "DASTAN_PAGE_CACHE", "ticker"}},
		{[]string{"user", "reset-password", "-h"}, []string{"-link", "DASTAN_SITE_URL"}, []string{"DASTAN_RATES"}},
		{[]string{"demo", "-h"}, []string{"-articles (default 1200)", "DASTAN_DATA_DIR"}, []string{"DASTAN_ADDR", "DASTAN_SITE_URL"}},
		{[]string{"reindex", "-h"}, []string{"-workers", "DASTAN_DATABASE_URL"}, []string{"DASTAN_ADDR"}},
		{[]string{"rates", "fetch", "-h"}, []string{"DASTAN_RATES ", "DASTAN_TIME_ZONE"}, []string{"DASTAN_PAGE_SIZE"}},
		{[]string{"import", "wordpress", "-h"}, []string{"-media-dir", "DASTAN_EXCERPT_LENGTH"}, []string{"DASTAN_ADDR"}},
		{[]string{"backup", "-h"}, []string{"DASTAN_DATA_DIR"}, []string{"DASTAN_ADDR"}},
		{[]string{"restore", "-h"}, []string{"-force", "DASTAN_DATA_DIR"}, []string{"DASTAN_ADDR"}},
		{[]string{"healthcheck", "-h"}, []string{"-url"}, nil},
		{[]string{"user", "--help"}, []string{"reset-password"}, nil},
		{[]string{"rates", "--help"}, []string{"backfill"}, nil},
		{[]string{"--help"}, []string{"dastan backup DIR", "dastan healthcheck", "dastan version"}, nil},
	} {
		code, out, errs := runCode(t, c.args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: help lacks %q:\n%s", c.args, w, out)
			}
		}
		for _, n := range c.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: help lists %q, which the command does not read:\n%s", c.args, n, out)
			}
		}
		if strings.Count(out, "default") != strings.Count(out, "(default") {
			t.Errorf("%v: a default is printed twice:\n%s", c.args, out)
		}
	}
}

// Wrong input exits 1 with one message on stderr that names what was wrong.
func TestErrorsNameTheSetting(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "-data-dir", dir, "-addr", ":99999"}, `DASTAN_ADDR ":99999": `},
		{[]string{"serve", "-data-dir", dir, "-bogus"}, "serve: flag provided but not defined: -bogus; -h lists the flags"},
		{[]string{"user", "add", "-data-dir", dir, "-site-url", "example.org"}, `DASTAN_SITE_URL "example.org": `},
		{[]string{"nonsense"}, `unknown command "nonsense"`},
		{nil, "name a command"},
	} {
		code, _, errs := runCode(t, c.args...)
		if code != 1 || !strings.Contains(errs, "dastan: "+c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", c.args, code, errs, c.want)
		}
	}
}

// A busy address stops serve before it touches the store, naming the
// setting and what to do.
func TestServeOnABusyAddress(t *testing.T) {
	ln := listenT(t)
	dir := t.TempDir() + "/data"
	code, out, errs := runCode(t, "serve", "--demo", "-data-dir", dir, "-addr", ln.Addr().String())
	if code != 1 || !strings.Contains(errs, `DASTAN_ADDR "`+ln.Addr().String()+`": another program is listening there`) {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.Contains(out, "password") {
		t.Errorf("printed passwords though it could not serve: %s", out)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the store was made though serve could not listen: %v", err)
	}
}

// version names the build; go test binaries carry no commit, so it says so.
func TestVersion(t *testing.T) {
	code, out, _ := runCode(t, "version")
	if code != 0 || !strings.HasPrefix(out, "dastan ") || !strings.Contains(out, "go1.") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func listenT(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// healthcheck exits 0 while the site answers and 1 once it does not.
func TestHealthcheck(t *testing.T) {
	base, _, stop := startServe(t, "-data-dir", t.TempDir())
	if code, out, errs := runCode(t, "healthcheck", "-url", base+"/healthz"); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("healthcheck of a running site: %d %q %q", code, out, errs)
	}
	addr := strings.TrimPrefix(base, "http://")
	if code, _, errs := runCode(t, "healthcheck", "-addr", addr); code != 0 {
		t.Fatalf("healthcheck -addr %s: %d %q", addr, code, errs)
	}
	stop()
	if code, _, errs := runCode(t, "healthcheck", "-addr", addr); code != 1 || !strings.Contains(errs, "dastan: healthcheck: ") {
		t.Fatalf("healthcheck of a stopped site: %d %q", code, errs)
	}
}
