package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/media/s3test"
	"dastan/internal/store"
)

// TestMain lets the cluster test run the test binary itself as dastan
// (bench/cluster.sh runs DASTAN_BIN), without building the command a
// second time, and with the race detector when the test has it.
func TestMain(m *testing.M) {
	if os.Getenv("DASTAN_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// scheduleAhead is how far ahead the failover check schedules a story:
// past the kill of the leader, which follows at once.
const scheduleAhead = 8 * time.Second

// clusterMetricsToken lets the test read each instance's /metrics, which
// says which instance runs the background jobs.
const clusterMetricsToken = "cluster-test-metrics-token"

// instance is one dastan serve process of the cluster.
type instance struct {
	name, base string
	pid        int
	log        string // the file its output goes to
}

// clusterScript is the script that starts the cluster, for people and
// for this test alike.
const clusterScript = "../../bench/cluster.sh"

// The cluster of issue #12, all on 127.0.0.1, as bench/cluster.sh starts
// it: PostgreSQL, an S3 server, three dastan instances and Debian's nginx
// balancing them with the configuration in deploy/cluster. An image
// uploaded through one instance is read through the balancer; a story
// published through one is fresh on all three; with the leader and one
// more instance killed, readers through the balancer see no error and
// the scheduled story is published by the instance that took the jobs
// over; with PostgreSQL stopped for 20 s, readers keep their pages.
func TestClusterBehindNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("the cluster test starts PostgreSQL, S3, three instances and nginx")
	}
	c := startCluster(t)
	insts := c.insts
	lb := c.env["BALANCER"]
	a := insts[0]
	token := apiToken(t, c.env["DATABASE_URL"])

	// An image uploaded through the first instance, read through the balancer.
	img := uploadImage(t, a.base, token)
	if code, body, h := fetch(lb + pathOf(t, img)); code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "image/") || len(body) < 100 {
		t.Fatalf("the uploaded image %s through nginx: %d %s, %d bytes", img, code, h.Get("Content-Type"), len(body))
	}

	// A story published through the first instance is fresh on every instance and through
	// the balancer (invalidation by LISTEN/NOTIFY).
	title := "Cluster story " + time.Now().Format("150405.000")
	id, v := createArticle(t, a.base, token, title)
	storyURL, _ := publish(t, a.base, token, id, v, "")
	storyPath := pathOf(t, storyURL)
	for _, base := range []string{insts[1].base, insts[2].base, lb} {
		waitFor(t, "the published story at "+base, func() bool {
			code, body, _ := fetch(base + storyPath)
			return code == 200 && strings.Contains(body, title)
		})
		waitFor(t, "the story on the front page at "+base, func() bool {
			_, body, _ := fetch(base + "/")
			return strings.Contains(body, title)
		})
	}
	reads := []string{"/", storyPath, pathOf(t, img), "/category/news/kazakhstan/"}
	for _, p := range reads {
		if code, _, _ := fetch(lb + p); code != 200 {
			t.Fatalf("%s through nginx: %d", p, code)
		}
	}

	// A story scheduled a few seconds ahead; then the leader and one more
	// instance die (SIGKILL) while a reader keeps asking through nginx.
	leader := findLeader(t, insts)
	scheduled := "Scheduled story " + time.Now().Format("150405.000")
	sid, sv := createArticle(t, a.base, token, scheduled)
	due := time.Now().Add(scheduleAhead).Truncate(time.Second).Add(time.Second) // RFC 3339 in whole seconds
	schedURL, status := publish(t, a.base, token, sid, sv, due.UTC().Format(time.RFC3339))
	if status != "scheduled" {
		t.Fatalf("the story due at %s is %s: the publish call took longer than %s", due.Format(time.TimeOnly), status, scheduleAhead)
	}
	schedPath := pathOf(t, schedURL)
	var other *instance
	for _, in := range insts {
		if in != leader && other == nil {
			other = in
		}
	}
	var survivor *instance
	for _, in := range insts {
		if in != leader && in != other {
			survivor = in
		}
	}
	seen := len(survivor.out()) // what it logged before the kill
	reader := startReader(lb, reads)
	killed := time.Now()
	leader.kill(t)
	other.kill(t)
	t.Logf("killed %s (the leader) and %s; %s is left", leader.name, other.name, survivor.name)
	waitFor(t, survivor.name+" to take the jobs over", func() bool {
		return strings.Contains(survivor.out()[seen:], "this instance runs the background jobs")
	})
	takeover := time.Since(killed)
	waitFor(t, "the scheduled story through nginx", func() bool {
		code, body, _ := fetch(lb + schedPath)
		return code == 200 && strings.Contains(body, scheduled)
	})
	waitFor(t, survivor.name+" to publish the scheduled story", func() bool {
		return strings.Contains(survivor.out()[seen:], "published scheduled articles")
	})
	moved, late := time.Since(killed), time.Since(due)
	total, failed := reader.stop()
	if failed != 0 {
		t.Errorf("readers through nginx saw %d errors in %d requests while two instances died: %s", failed, total, reader.firstError())
	}
	t.Logf("failover: %d of %d reader requests failed; instance %s took the jobs over %.1f s after the kill and published the scheduled story (due %.1f s after it) %.1f s after it, %.1f s after it was due",
		failed, total, survivor.name, takeover.Seconds(), due.Sub(killed).Seconds(), moved.Seconds(), late.Seconds())

	// PostgreSQL stopped for 20 s: the pages readers had stay 200; past
	// their cache lifetime (5 s here) they are served stale, marked with
	// Warning 110.
	reads = append(reads, schedPath)
	for _, p := range reads {
		if code, _, _ := fetch(lb + p); code != 200 {
			t.Fatalf("%s through nginx before the outage: %d", p, code)
		}
	}
	c.pg(t, "stop")
	outage := time.Now()
	var served, stale, failures int
	for time.Since(outage) < 20*time.Second {
		for _, p := range reads {
			code, _, h := fetch(lb + p)
			served++
			if code != 200 {
				failures++
				t.Errorf("%s through nginx with PostgreSQL down: %d", p, code)
			}
			if strings.HasPrefix(h.Get("Warning"), "110") {
				stale++
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if code, _, _ := fetch(survivor.base + "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with PostgreSQL down: %d, want 503", code)
	}
	c.pg(t, "start")
	waitFor(t, "/readyz after PostgreSQL is back", func() bool {
		code, _, _ := fetch(survivor.base + "/readyz")
		return code == 200
	})
	waitFor(t, "a fresh front page after PostgreSQL is back", func() bool {
		code, _, h := fetch(lb + "/")
		return code == 200 && h.Get("Warning") == ""
	})
	if stale == 0 {
		t.Error("no page past its 5 s cache lifetime was served stale while PostgreSQL was down")
	}
	t.Logf("PostgreSQL down 20 s: %d reader requests, %d failed, %d served stale with Warning 110", served, failures, stale)
}

// cluster is what bench/cluster.sh started.
type cluster struct {
	dir   string
	env   map[string]string // its cluster.env
	insts []*instance
}

// startCluster runs bench/cluster.sh until its cluster answers, and stops
// it (the script then deletes everything) when t ends. The instances run
// this test binary as dastan, so that -race covers them too.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	need(t, "nginx", nginxBinary(), "apt-get install nginx-light")
	need(t, "curl", lookPath("curl"), "apt-get install curl")
	need(t, "PostgreSQL's server binaries", pgCtl(), "apt-get install postgresql")
	if os.Geteuid() == 0 {
		need(t, "the postgres user (PostgreSQL refuses to run as root)", lookUser("postgres"), "apt-get install postgresql")
		need(t, "runuser", lookPath("runuser"), "apt-get install util-linux")
	}
	if _, err := s3test.Binary(); err != nil {
		need(t, "versitygw", "", "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Not under t.TempDir: as root, PostgreSQL runs as the postgres user,
	// who cannot enter the test's private folders.
	dir, err := os.MkdirTemp("", "dastan-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(t.TempDir(), "cluster.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command("bash", clusterScript, "-dir", dir, strconv.Itoa(freeBasePort(t)), "--",
		"-rates-offline", "-log-level", "info", "-cache-ttl", "5s", "-metrics-token", clusterMetricsToken)
	cmd.Env = append(os.Environ(), "DASTAN_BIN="+self, "DASTAN_TEST_RUN_MAIN=1")
	// A file, not a pipe: the cluster's processes, started in the
	// background, would keep a pipe open. Should the test binary die,
	// the script gets SIGTERM and stops what it started.
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	c := &cluster{dir: dir}
	t.Cleanup(func() {
		if t.Failed() {
			c.dumpLogs(t, out.Name())
		}
		cmd.Process.Signal(syscall.SIGTERM)
		<-done
		os.RemoveAll(dir)
	})
	// The demo fill of the first instance takes minutes on a busy machine.
	for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(dir, "cluster.env")); err == nil {
			c.env = parseEnv(string(b))
			break
		}
		select {
		case <-done:
			b, _ := os.ReadFile(out.Name())
			t.Fatalf("%s stopped before the cluster answered:\n%s", clusterScript, b)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cluster did not answer in 10 minutes")
		}
	}
	for i := 1; i <= 3; i++ {
		k := "INSTANCE_" + strconv.Itoa(i)
		pid, err := strconv.Atoi(c.env[k+"_PID"])
		if err != nil || c.env[k] == "" || c.env[k+"_LOG"] == "" {
			t.Fatalf("cluster.env lacks instance %d: %v", i, c.env)
		}
		c.insts = append(c.insts, &instance{name: strconv.Itoa(i), base: c.env[k], pid: pid, log: c.env[k+"_LOG"]})
	}
	return c
}

// need skips t when a program the cluster needs is missing (found is
// empty), except under CI, where that is a failure.
func need(t *testing.T, what, found, install string) {
	t.Helper()
	if found != "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required in CI (%s)", what, install)
	}
	t.Skipf("%s is not installed (%s)", what, install)
}

func lookPath(name string) string {
	p, _ := exec.LookPath(name)
	return p
}

func lookUser(name string) string {
	if _, err := user.Lookup(name); err != nil {
		return ""
	}
	return name
}

// pgCtl finds PostgreSQL's pg_ctl where bench/cluster.sh looks for it.
func pgCtl() string {
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) > 0 {
		return m[0]
	}
	return lookPath("pg_ctl")
}

// parseEnv reads the KEY=VALUE lines of cluster.env.
func parseEnv(s string) map[string]string {
	env := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			env[k] = v
		}
	}
	return env
}

// dumpLogs logs the end of every log of the cluster, for a failed run.
func (c *cluster) dumpLogs(t *testing.T, scriptOut string) {
	logs := []string{scriptOut, filepath.Join(c.dir, "pg", "server.log"), filepath.Join(c.dir, "s3.log"),
		filepath.Join(c.dir, "nginx", "error.log")}
	for _, in := range c.insts {
		logs = append(logs, in.log)
	}
	for _, name := range logs {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		if len(lines) > 40 {
			lines = lines[len(lines)-40:]
		}
		t.Logf("the end of %s:\n%s", name, strings.Join(lines, "\n"))
	}
}

// pg stops or starts again the cluster's PostgreSQL through the script.
func (c *cluster) pg(t *testing.T, verb string) {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "pg-")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command("bash", clusterScript, "pg-"+verb, c.dir)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(out.Name())
		t.Fatalf("%s pg-%s: %v\n%s", clusterScript, verb, err, b)
	}
}

// freeBasePort picks the cluster's ports (bench/cluster.sh's BASE_PORT
// and the ports above it) where nothing listens, below the kernel's
// ephemeral range, from which the other tests' servers take theirs.
func freeBasePort(t *testing.T) int {
	t.Helper()
	for range 100 {
		base := 20000 + 10*rand.IntN(1000)
		free := true
		for _, off := range []int{0, 1, 2, 3, 10, 20} {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+off))
			if err != nil {
				free = false
				break
			}
			l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatal("no free ports for the cluster between 20000 and 30000")
	return 0
}

// out is what the instance has written so far.
func (in *instance) out() string {
	b, _ := os.ReadFile(in.log)
	return string(b)
}

// kill ends the instance at once, as a crash would, and waits until it
// is gone.
func (in *instance) kill(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(in.pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill instance %s (pid %d): %v", in.name, in.pid, err)
	}
	waitFor(t, "instance "+in.name+" to die", func() bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", in.pid))
		// Gone, or dead and not yet reaped by the script.
		return err != nil || strings.Contains(string(b), ") Z ")
	})
}

// apiToken makes an API token for one of the demo's editors.
func apiToken(t *testing.T, dbURL string) string {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	users, err := db.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Role == string(auth.Editor) {
			plain, hash := auth.NewAPIToken()
			if err := db.CreateAPIToken(ctx, &store.APIToken{UserID: u.ID, Name: "cluster test", Role: u.Role, Hash: hash}); err != nil {
				t.Fatal(err)
			}
			return plain
		}
	}
	t.Fatal("the demo has no editor")
	return ""
}

// apiCall sends body as JSON (or as is when ctype is set) and decodes
// the answer into out, failing t unless the status is want.
func apiCall(t *testing.T, method, u, token, ctype string, body []byte, want int, out any, header ...string) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, u, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, u, err, b)
		}
	}
}

// uploadImage uploads a small PNG through base's API and returns its URL.
func uploadImage(t *testing.T, base, token string) string {
	t.Helper()
	im := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for x := range 320 {
		for y := range 200 {
			im.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, im); err != nil {
		t.Fatal(err)
	}
	var m struct {
		URL string `json:"url"`
	}
	apiCall(t, "POST", base+"/api/v1/media?alt=A+gradient", token, "image/png", buf.Bytes(), http.StatusCreated, &m,
		"Content-Disposition", `attachment; filename="gradient.png"`)
	return m.URL
}

// createArticle makes a draft in the demo's first section and returns
// its id and version.
func createArticle(t *testing.T, base, token, title string) (id, version int64) {
	t.Helper()
	var sections struct {
		Sections []struct {
			ID int64 `json:"id"`
		} `json:"sections"`
	}
	apiCall(t, "GET", base+"/api/v1/sections", token, "", nil, 200, &sections)
	if len(sections.Sections) == 0 {
		t.Fatal("no sections")
	}
	body, _ := json.Marshal(map[string]any{"title": title, "body": "<p>Written through one instance, read through all.</p>",
		"section_id": sections.Sections[0].ID})
	var art struct {
		ID      int64 `json:"id"`
		Version int64 `json:"version"`
	}
	apiCall(t, "POST", base+"/api/v1/articles", token, "application/json", body, http.StatusCreated, &art)
	return art.ID, art.Version
}

// publish publishes article id at version now, or schedules it at
// publishAt, and returns its URL and status.
func publish(t *testing.T, base, token string, id, version int64, publishAt string) (link, status string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"version": version, "publish_at": publishAt})
	var art struct {
		URL    string `json:"url"`
		Status string `json:"status"`
	}
	apiCall(t, "POST", fmt.Sprintf("%s/api/v1/articles/%d/publish", base, id), token, "application/json", body, 200, &art)
	return art.URL, art.Status
}

// findLeader asks each instance's /metrics which one runs the jobs.
func findLeader(t *testing.T, insts []*instance) *instance {
	t.Helper()
	var leader *instance
	waitFor(t, "a leader", func() bool {
		for _, in := range insts {
			req, _ := http.NewRequest("GET", in.base+"/metrics", nil)
			req.Header.Set("Authorization", "Bearer "+clusterMetricsToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if regexp.MustCompile(`(?m)^dastan_leader 1$`).Match(b) {
				leader = in
				return true
			}
		}
		return false
	})
	return leader
}

// nginxBinary finds nginx on PATH or where Debian puts it.
func nginxBinary() string {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	return ""
}

// fetch GETs u, with a client that keeps no connections between
// requests, and returns the status, body and headers (status 0 when the
// request failed).
func fetch(u string) (int, string, http.Header) {
	// nginx's own limit on an instance's answer (proxy_read_timeout).
	c := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(u)
	if err != nil {
		return 0, err.Error(), nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func pathOf(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.RequestURI()
}

// waitFor polls ok until it holds, failing t after three minutes (the
// machine may be busy: this waits for conditions, not timings).
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited three minutes for %s", what)
		}
	}
}

// reader asks for pages through the balancer one after another until
// stopped, counting the answers that are not 200.
type reader struct {
	quit  chan struct{}
	done  chan struct{}
	total int
	bad   []string
}

func startReader(lb string, paths []string) *reader {
	r := &reader{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for i := 0; ; i++ {
			select {
			case <-r.quit:
				return
			default:
			}
			p := paths[i%len(paths)]
			code, body, _ := fetch(lb + p)
			r.total++
			if code != 200 {
				r.bad = append(r.bad, fmt.Sprintf("%s: %d %.200s", p, code, body))
			}
		}
	}()
	return r
}

func (r *reader) stop() (total, failed int) {
	close(r.quit)
	<-r.done
	return r.total, len(r.bad)
}

func (r *reader) firstError() string {
	if len(r.bad) == 0 {
		return ""
	}
	return r.bad[0]
}
