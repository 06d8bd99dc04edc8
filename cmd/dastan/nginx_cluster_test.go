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
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/media/s3test"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestMain lets the cluster test start real dastan processes from the
// test binary itself (so that it can kill one with SIGKILL) without
// building the command a second time.
func TestMain(m *testing.M) {
	if os.Getenv("DASTAN_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// clusterMetricsToken lets the test read each instance's /metrics, which
// says which instance runs the background jobs.
const clusterMetricsToken = "cluster-test-metrics-token"

// instance is one dastan serve process of the cluster.
type instance struct {
	name, base string
	cmd        *exec.Cmd
	out        *syncBuffer
	done       chan struct{}
}

// The cluster of issue #12, all on 127.0.0.1: PostgreSQL, an S3 server,
// three dastan instances and Debian's nginx balancing them with the
// configuration in deploy/cluster. An image uploaded through one
// instance is read through the balancer; a story published through one
// is fresh on all three; with the leader and one more instance killed,
// readers through the balancer see no error and the scheduled story is
// published by the instance that took the jobs over; with PostgreSQL
// stopped for 20 s, readers keep their pages.
func TestClusterBehindNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("the cluster test starts PostgreSQL, S3, three instances and nginx")
	}
	nginx := nginxBinary()
	if nginx == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("nginx is required in CI (apt-get install nginx-light)")
		}
		t.Skip("nginx is not installed (apt-get install nginx-light)")
	}
	s3 := s3test.Bucket(t)
	pg := storetest.NewCluster(t)
	dir := t.TempDir()
	env := append(os.Environ(), "DASTAN_TEST_RUN_MAIN=1",
		"DASTAN_MEDIA_S3_BUCKET="+s3.Bucket, "DASTAN_MEDIA_S3_ENDPOINT="+s3.Endpoint, "DASTAN_MEDIA_S3_REGION="+s3.Region,
		"DASTAN_MEDIA_S3_ACCESS_KEY="+s3.AccessKey, "DASTAN_MEDIA_S3_SECRET_KEY="+s3.SecretKey)

	// Three instances started together on the empty database: one fills
	// it with the demo newsroom, the others wait for it.
	names := []string{"A", "B", "C"}
	insts := make([]*instance, len(names))
	for i, name := range names {
		insts[i] = startInstance(t, name, env, pg.URL(), filepath.Join(dir, name))
	}
	for _, in := range insts {
		in.waitReady(t)
	}
	lb := startNginx(t, nginx, filepath.Join(dir, "nginx"), insts)
	a := insts[0]
	token := apiToken(t, pg.URL())

	// An image uploaded through A, read through the balancer.
	img := uploadImage(t, a.base, token)
	if code, body, h := fetch(lb + pathOf(t, img)); code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "image/") || len(body) < 100 {
		t.Fatalf("the uploaded image %s through nginx: %d %s, %d bytes", img, code, h.Get("Content-Type"), len(body))
	}

	// A story published through A is fresh on every instance and through
	// the balancer (invalidation by LISTEN/NOTIFY).
	title := "Cluster story " + time.Now().Format("150405.000")
	id, v := createArticle(t, a.base, token, title)
	storyPath := pathOf(t, publish(t, a.base, token, id, v, ""))
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
	schedPath := pathOf(t, publish(t, a.base, token, sid, sv, time.Now().Add(8*time.Second).UTC().Format(time.RFC3339)))
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
	reader := startReader(lb, reads)
	killed := time.Now()
	leader.kill(t)
	other.kill(t)
	t.Logf("killed %s (the leader) and %s; %s is left", leader.name, other.name, survivor.name)
	waitFor(t, survivor.name+" to take the jobs over", func() bool {
		return strings.Contains(survivor.out.String(), "this instance runs the background jobs")
	})
	takeover := time.Since(killed)
	waitFor(t, "the scheduled story through nginx", func() bool {
		code, body, _ := fetch(lb + schedPath)
		return code == 200 && strings.Contains(body, scheduled)
	})
	waitFor(t, survivor.name+" to publish the scheduled story", func() bool {
		return strings.Contains(survivor.out.String(), "published scheduled articles")
	})
	moved := time.Since(killed)
	total, failed := reader.stop()
	if failed != 0 {
		t.Errorf("readers through nginx saw %d errors in %d requests while two instances died: %s", failed, total, reader.firstError())
	}
	t.Logf("failover: %d of %d reader requests failed; %s took the jobs over %.1f s after the kill and published the scheduled story (due 8 s after it was scheduled) %.1f s after it",
		failed, total, survivor.name, takeover.Seconds(), moved.Seconds())

	// PostgreSQL stopped for 20 s: the pages readers had stay 200; past
	// their cache lifetime (5 s here) they are served stale, marked with
	// Warning 110.
	reads = append(reads, schedPath)
	for _, p := range reads {
		if code, _, _ := fetch(lb + p); code != 200 {
			t.Fatalf("%s through nginx before the outage: %d", p, code)
		}
	}
	pg.Stop(t)
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
	pg.Start(t)
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

// freeAddr returns a 127.0.0.1 address nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startInstance starts dastan serve --demo as a process of its own,
// killed when the test ends.
func startInstance(t *testing.T, name string, env []string, dbURL, dataDir string) *instance {
	t.Helper()
	addr := freeAddr(t)
	in := &instance{name: name, base: "http://" + addr, out: &syncBuffer{}, done: make(chan struct{})}
	in.cmd = exec.Command(os.Args[0], "serve", "--demo", "-addr", addr, "-rates-offline", "-log-level", "info", "-cache-ttl", "5s",
		"-database-url", dbURL, "-data-dir", dataDir, "-metrics-token", clusterMetricsToken)
	in.cmd.Env = env
	in.cmd.Stdout, in.cmd.Stderr = in.out, in.out
	in.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { in.cmd.Wait(); close(in.done) }()
	t.Cleanup(func() { in.cmd.Process.Signal(syscall.SIGTERM); <-in.done })
	return in
}

func (in *instance) waitReady(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); !strings.Contains(in.out.String(), "ready at "); time.Sleep(50 * time.Millisecond) {
		select {
		case <-in.done:
			t.Fatalf("instance %s stopped:\n%s", in.name, in.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s not ready:\n%s", in.name, in.out.String())
		}
	}
}

// kill ends the instance at once, as a crash would.
func (in *instance) kill(t *testing.T) {
	t.Helper()
	in.cmd.Process.Kill()
	<-in.done
}

// startNginx writes deploy/cluster's configuration for the instances
// into dir, starts nginx on it and returns the balancer's address.
func startNginx(t *testing.T, bin, dir string, insts []*instance) string {
	t.Helper()
	tmpl, err := os.ReadFile("../../deploy/cluster/nginx.conf.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var servers []string
	for _, in := range insts {
		servers = append(servers, "server "+strings.TrimPrefix(in.base, "http://")+" max_fails=1 fail_timeout=10s;")
	}
	addr := freeAddr(t)
	conf := strings.NewReplacer("@DIR@", dir, "@LISTEN@", addr, "@SERVERS@", strings.Join(servers, "\n        ")).Replace(string(tmpl))
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd := exec.Command(bin, "-p", dir, "-c", path, "-e", filepath.Join(dir, "error.log"))
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGQUIT); <-done })
	lb := "http://" + addr
	waitFor(t, "nginx", func() bool {
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx stopped: %s\n%s", out.String(), log)
		default:
		}
		code, _, _ := fetch(lb + "/healthz")
		return code == 200
	})
	return lb
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
// publishAt, and returns its URL.
func publish(t *testing.T, base, token string, id, version int64, publishAt string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"version": version, "publish_at": publishAt})
	var art struct {
		URL string `json:"url"`
	}
	apiCall(t, "POST", fmt.Sprintf("%s/api/v1/articles/%d/publish", base, id), token, "application/json", body, 200, &art)
	return art.URL
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

// fetch GETs u, with a client that keeps no connections between
// requests, and returns the status, body and headers (status 0 when the
// request failed).
func fetch(u string) (int, string, http.Header) {
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
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

// waitFor polls ok until it holds, failing t after a minute.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
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
