// Command signin floods a real `dastan serve` with sign-in attempts and
// reports what the flood does to the process: its resident memory, how
// fast /healthz still answers, and whether a real user can still sign in.
//
// It starts the binary on 127.0.0.1 over a fresh SQLite store, adds one
// editor, and runs two floods of -duration each with -workers parallel
// clients posting random emails and passwords to /newsroom/signin:
//
//   - one address: every attempt comes from the same client address;
//   - many addresses: each attempt names a different address, as a botnet
//     behind the site's CDN would (the server trusts 127.0.0.1 as its
//     proxy, so X-Forwarded-For names the client).
//
// Beside each flood it asks /healthz every 50 ms, reads the server's
// VmRSS every 100 ms, and signs the editor in from an address of their
// own every two seconds. A "quiet" phase runs the same probes without a
// flood, to show what the machine gives when nothing attacks.
//
//	go build -o /tmp/dastan ./cmd/dastan && go run ./bench/signin -bin /tmp/dastan
//
// To measure the code before a change, build that commit's binary:
//
//	git worktree add /tmp/dastan-base COMMIT && (cd /tmp/dastan-base && go build -o /tmp/dastan-base.bin ./cmd/dastan)
//	go run ./bench/signin -bin /tmp/dastan-base.bin
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dastan/internal/links"
)

func main() {
	bin := flag.String("bin", "", "the dastan binary to measure (required)")
	workers := flag.Int("workers", 64, "parallel attackers")
	duration := flag.Duration("duration", 30*time.Second, "length of each flood")
	port := flag.Int("port", 18181, "port the server listens on, on 127.0.0.1")
	phases := flag.String("phases", "quiet,one,many", "phases to run: quiet (no flood), one (address), many (addresses)")
	flag.Parse()
	if *bin == "" {
		log.Fatal("say which binary to measure: -bin /path/to/dastan")
	}
	dir, err := os.MkdirTemp("", "dastan-signin-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	password := addEditor(*bin, dir)
	base := fmt.Sprintf("http://127.0.0.1:%d", *port)
	cmd := exec.Command(*bin, "serve", "-addr", fmt.Sprintf("127.0.0.1:%d", *port), "-data-dir", dir,
		"-rates-offline", "-log-level", "error", "-trusted-proxies", "127.0.0.1")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	waitReady(base)
	pid := cmd.Process.Pid
	fmt.Printf("date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Printf("machine: %d CPUs, %s, %s\n", runtime.NumCPU(), memTotal(), kernel())
	fmt.Printf("binary: %s   workers: %d   flood: %s each\n", *bin, *workers, *duration)
	fmt.Printf("resident memory at rest: %.0f MB\n\n", rssMB(pid))
	fmt.Println("| flood | attempts/s | answers | peak RSS | /healthz p50 | p99 | max | editor signs in |")
	fmt.Println("|---|---:|---|---:|---:|---:|---:|---|")
	for _, ph := range strings.Split(*phases, ",") {
		n := *workers
		if ph == "quiet" {
			n = 0
		}
		r := flood(base, pid, ph == "many", n, *duration, password)
		name := map[string]string{"quiet": "no flood", "one": "one address", "many": "many addresses"}[ph]
		fmt.Printf("| %s | %.0f | %s | %.0f MB | %s | %s | %s | %d of %d (slowest %s) |\n", name,
			float64(r.attempts)/duration.Seconds(), r.statuses(), r.peakRSS, ms(pct(r.health, 50)), ms(pct(r.health, 99)), ms(pct(r.health, 100)),
			r.signedIn, r.signIns, ms(r.slowestSignIn))
		time.Sleep(3 * time.Second) // let the last attempts drain between floods
	}
}

// addEditor adds the user whose sign-ins the flood must not stop, and
// returns their generated password.
func addEditor(bin, dir string) string {
	out, err := exec.Command(bin, "user", "add", "-data-dir", dir, "-email", "editor@example.com", "-role", "editor", "-generate-password").CombinedOutput()
	if err != nil {
		log.Fatalf("user add: %v\n%s", err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if pw, ok := strings.CutPrefix(sc.Text(), "Password: "); ok {
			return pw
		}
	}
	log.Fatalf("user add printed no password:\n%s", out)
	return ""
}

func waitReady(base string) {
	for i := 0; i < 500; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Fatal("the server did not become ready")
}

type result struct {
	attempts      int64
	status        map[int]int64
	peakRSS       float64
	health        []time.Duration
	signIns       int
	signedIn      int
	slowestSignIn time.Duration
}

func (r result) statuses() string {
	codes := make([]int, 0, len(r.status))
	for c := range r.status {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var parts []string
	for _, c := range codes {
		name := strconv.Itoa(c)
		if c == 0 {
			name = "failed"
		}
		parts = append(parts, fmt.Sprintf("%s × %d", name, r.status[c]))
	}
	return strings.Join(parts, ", ")
}

// flood runs workers attackers for d, with the probes beside them.
func flood(base string, pid int, many bool, workers int, d time.Duration, password string) result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	res := result{status: map[int]int64{}}
	var mu sync.Mutex
	var attempts atomic.Int64
	var wg sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: 0}
	attacker := &http.Client{Transport: tr, Timeout: 2 * time.Minute}
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				addr := "203.0.113.9"
				if many {
					addr = randomAddr()
				}
				code := signIn(attacker, base, randomHex(8)+"@example.com", randomHex(12), addr)
				if ctx.Err() != nil && code == 0 {
					return // cut off by the end of the flood
				}
				attempts.Add(1)
				mu.Lock()
				res.status[code]++
				mu.Unlock()
			}
		}()
	}
	// Probes: health, memory, a real sign-in.
	probe := &http.Client{Transport: &http.Transport{}, Timeout: time.Minute}
	wg.Add(3)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			start := time.Now()
			if resp, err := probe.Get(base + "/healthz"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			mu.Lock()
			res.health = append(res.health, time.Since(start))
			mu.Unlock()
			time.Sleep(50 * time.Millisecond)
		}
	}()
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			if m := rssMB(pid); m > 0 {
				mu.Lock()
				res.peakRSS = max(res.peakRSS, m)
				mu.Unlock()
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			start := time.Now()
			code := signIn(probe, base, "editor@example.com", password, "198.51.100.7")
			took := time.Since(start)
			mu.Lock()
			res.signIns++
			if code == http.StatusSeeOther {
				res.signedIn++
			}
			res.slowestSignIn = max(res.slowestSignIn, took)
			mu.Unlock()
			time.Sleep(2 * time.Second)
		}
	}()
	wg.Wait()
	res.attempts = attempts.Load()
	slices.Sort(res.health)
	return res
}

// signIn posts the sign-in form as from addr and returns the status, or
// 0 when there was no answer.
func signIn(c *http.Client, base, email, password, addr string) int {
	form := url.Values{"email": {email}, "password": {password}, "next": {links.NewsroomArticles}}
	req, _ := http.NewRequest("POST", links.Abs(base, links.NewsroomSignin), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// randomAddr is an address in 10.0.0.0/8, a fresh one nearly every time.
func randomAddr() string {
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("10.%d.%d.%d", b[0], b[1], b[2])
}

func rssMB(pid int) float64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := (len(d)*p + 99) / 100
	return d[min(max(i-1, 0), len(d)-1)]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return fmt.Sprintf("%.0f GB RAM", kb/1024/1024)
		}
	}
	return "? RAM"
}

func kernel() string {
	out, err := exec.Command("uname", "-sr").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}
