// Package storetest opens real stores for tests: a SQLite file in a temp
// directory, and a database in a throwaway PostgreSQL cluster that it
// starts once per test binary from the installed server binaries.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/sys/unix"

	"dastan/internal/store"
)

// Engines lists the engines every store test runs on.
var Engines = []string{"sqlite", "postgres"}

// Open returns a fresh, migrated store on engine, closed when t ends,
// set up with opts (such as store.WithClock). On PostgreSQL, where no
// server binaries are installed, the test is skipped with a message —
// except under CI, where that is a failure.
func Open(t testing.TB, engine string, opts ...store.Option) *store.DB {
	t.Helper()
	ctx := context.Background()
	var db *store.DB
	var err error
	switch engine {
	case "sqlite":
		db, err = store.Open(ctx, t.TempDir(), "", opts...)
	case "postgres":
		db, err = store.Open(ctx, "", NewPostgresDatabase(t), opts...)
	default:
		t.Fatalf("storetest: unknown engine %q", engine)
	}
	if err != nil {
		t.Fatalf("storetest: open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn as a subtest on a fresh store of every engine.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, e := range Engines {
		t.Run(e, func(t *testing.T) { fn(t, Open(t, e)) })
	}
}

var (
	clusterOnce sync.Once
	clusterURL  string // base URL without database name
	clusterErr  error
	dbCounter   atomic.Int64
)

// NewPostgresDatabase creates an empty database in the test cluster and
// returns its URL. DASTAN_TEST_POSTGRES_URL names an existing server to use
// instead (a URL to its maintenance database, e.g. postgres://…/postgres).
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	clusterOnce.Do(func() {
		if u := os.Getenv("DASTAN_TEST_POSTGRES_URL"); u != "" {
			clusterURL = u
			return
		}
		clusterURL, clusterErr = startCluster()
	})
	if clusterErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("storetest: PostgreSQL is required in CI: %v", clusterErr)
		}
		t.Skipf("storetest: skipping PostgreSQL (%v); install the postgresql package to run it", clusterErr)
	}
	name := fmt.Sprintf("dastan_test_%d_%d", os.Getpid(), dbCounter.Add(1))
	admin, err := sql.Open("pgx", clusterURL)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("storetest: create database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", clusterURL)
		if err == nil {
			admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			admin.Close()
		}
	})
	return withDatabase(clusterURL, name)
}

func withDatabase(base, name string) string {
	i := strings.LastIndex(base, "/")
	q := ""
	if j := strings.Index(base[i:], "?"); j >= 0 {
		q = base[i+j:]
	}
	return base[:i+1] + name + q
}

// pgBin finds a PostgreSQL server program on PATH or in Debian's folders.
func pgBin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("%s not found on PATH or in /usr/lib/postgresql/*/bin", name)
}

// startCluster runs initdb and postgres in a temp directory, as the
// postgres user when running as root (PostgreSQL refuses root). The server
// dies with the test binary (Pdeathsig), so nothing is left running.
func startCluster() (string, error) {
	c, err := newCluster()
	if err != nil {
		return "", err
	}
	return c.url, c.start()
}

// Cluster is a PostgreSQL server of one test's own, which the test may
// stop and start again to see what Dastan does while its database is away.
type Cluster struct {
	url, dir, data, postgres string
	port                     int
	cred                     *syscall.Credential
	srv                      *exec.Cmd
}

// NewCluster starts a PostgreSQL server for t alone, stopped when t ends,
// and returns it; like NewPostgresDatabase it skips t where no server
// binaries are installed, except under CI.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := newCluster()
	if err == nil {
		err = c.start()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("storetest: PostgreSQL is required in CI: %v", err)
		}
		t.Skipf("storetest: skipping PostgreSQL (%v); install the postgresql package to run it", err)
	}
	t.Cleanup(func() {
		c.stop()
		os.RemoveAll(c.dir)
	})
	return c
}

// URL is the address of the cluster's postgres database.
func (c *Cluster) URL() string { return c.url }

// Stop stops the server (a fast shutdown: connections are cut) and
// waits for it.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if err := c.stop(); err != nil {
		t.Fatalf("storetest: stop postgres: %v", err)
	}
}

// Start starts the stopped server again, on the same port and data.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if err := c.start(); err != nil {
		t.Fatalf("storetest: start postgres: %v", err)
	}
}

func (c *Cluster) stop() error {
	if c.srv == nil {
		return nil
	}
	c.srv.Process.Signal(syscall.SIGINT)
	c.srv.Wait()
	c.srv = nil
	return nil
}

// newCluster makes a cluster's data folder with initdb.
func newCluster() (*Cluster, error) {
	initdb, err := pgBin("initdb")
	if err != nil {
		return nil, err
	}
	postgres, err := pgBin("postgres")
	if err != nil {
		return nil, err
	}
	removeStaleClusters()
	dir, err := os.MkdirTemp("", "dastan-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, data: filepath.Join(dir, "data"), postgres: postgres}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and there is no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(initdb, "-D", c.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if c.port, err = freePort(); err != nil {
		return nil, err
	}
	c.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
	return c, nil
}

// start runs the server and waits until it answers.
func (c *Cluster) start() error {
	srv := exec.Command(c.postgres, "-D", c.data, "-p", strconv.Itoa(c.port), "-k", c.dir, "-h", "127.0.0.1",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
		// A test binary's server dies by SIGKILL (Pdeathsig), which leaves
		// its parallel queries' shared memory behind. As files in the
		// data folder (not /dev/shm, PostgreSQL's default) it goes with
		// the folder, rather than pile up in memory run after run.
		"-c", "dynamic_shared_memory_type=mmap")
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Pdeathsig: syscall.SIGKILL}
	logf, _ := os.OpenFile(filepath.Join(c.dir, "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.srv = srv
	deadline := time.Now().Add(30 * time.Second)
	for {
		db, err := sql.Open("pgx", c.url)
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
			return fmt.Errorf("postgres did not start: %v\n%s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// removeStaleClusters deletes the folders of clusters whose test binary
// has ended: the server dies with it (Pdeathsig), but nothing is left to
// remove its data. A folder is stale when its server is not running and it
// is older than any start-up could take.
func removeStaleClusters() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "dastan-pg-*"))
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil || time.Since(info.ModTime()) < 10*time.Minute {
			continue
		}
		pid, key, shmid := postmasterPID(dir)
		if pid > 0 {
			if err := syscall.Kill(pid, 0); err == nil || err == syscall.EPERM {
				continue // a running test binary's cluster
			}
		}
		removeSegment(key, shmid)
		os.RemoveAll(dir)
	}
}

// postmasterPID reads from a data folder's postmaster.pid the server's
// process id and its System V shared memory segment's key and id; 0 and
// -1 when unknown.
func postmasterPID(dir string) (pid, key, shmid int) {
	b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		return 0, -1, -1
	}
	lines := strings.Split(string(b), "\n")
	pid, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	key, shmid = -1, -1
	if len(lines) > 6 { // the seventh line: "  5432001     32769"
		if f := strings.Fields(lines[6]); len(f) == 2 {
			k, err1 := strconv.Atoi(f[0])
			id, err2 := strconv.Atoi(f[1])
			if err1 == nil && err2 == nil {
				key, shmid = k, id
			}
		}
	}
	return pid, key, shmid
}

// removeSegment removes a dead cluster's System V segment, which
// outlives a SIGKILL: the kernel holds 4,096 at most, and PostgreSQL
// cannot start once they are taken. Only a segment that still has the
// cluster's key and nothing attached is removed, not one whose id has
// since been given to someone else.
func removeSegment(key, shmid int) {
	if shmid < 0 {
		return
	}
	var ds unix.SysvShmDesc
	if _, err := unix.SysvShmCtl(shmid, unix.IPC_STAT, &ds); err != nil {
		return
	}
	if int(ds.Perm.Key) == key && ds.Nattch == 0 {
		unix.SysvShmCtl(shmid, unix.IPC_RMID, nil)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
