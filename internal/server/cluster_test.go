package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dastan/internal/api"
	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// instance is one Dastan serving on a port of its own, as in a cluster.
type instance struct {
	db   *store.DB
	srv  *server.Server
	url  string
	stop func() // ends Serve as SIGTERM does, and waits for it
}

// startInstance opens its own store on the PostgreSQL database at dbURL
// and serves it until t ends (or stop). Its generation poll is an hour,
// so what it hears of other instances' writes comes by notification.
func startInstance(t testing.TB, dbURL string, edit func(*server.Options), opts ...store.Option) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, "", dbURL, opts...)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	cfg := fixtures.Config(t)
	cfg.RatesOffline = true
	o := server.Options{Config: cfg, Store: db, ChangePoll: time.Hour}
	if edit != nil {
		edit(&o)
	}
	srv, err := server.New(o)
	must(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, func(string) { close(ready) }) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("instance did not start: %v", err)
	}
	in := &instance{db: db, srv: srv, url: "http://" + ln.Addr().String()}
	stopped := false
	in.stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	t.Cleanup(in.stop)
	return in
}

// get fetches path from the instance, failing t on a transport error.
func (in *instance) get(t testing.TB, path string) (int, string) {
	t.Helper()
	return getURL(t, in.url+path)
}

// getURL fetches url, failing t on a transport error.
func getURL(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp.StatusCode, string(b)
}

// sneak changes an article's title in the database behind Dastan's back,
// with no notification: a page that still shows the old title came from
// a cache that kept it.
func sneak(t *testing.T, dbURL, slug, title string) {
	t.Helper()
	raw, err := sql.Open("pgx", dbURL)
	must(t, err)
	defer raw.Close()
	_, err = raw.Exec(`UPDATE articles SET title = $1 WHERE slug = $2`, title, slug)
	must(t, err)
}

// hears returns a channel of the changes db hears of.
func hears(db *store.DB) <-chan store.Change {
	heard := make(chan store.Change, 100)
	db.OnChange(func(ch store.Change) { heard <- ch })
	return heard
}

// next is the next change heard, failing t after a generous while.
func next(t *testing.T, heard <-chan store.Change) store.Change {
	t.Helper()
	select {
	case ch := <-heard:
		return ch
	case <-time.After(20 * time.Second):
		t.Fatal("no change heard")
	}
	return store.Change{}
}

func TestInstancesHearEachOthersWrites(t *testing.T) {
	dbURL := storetest.NewPostgresDatabase(t)
	a := startInstance(t, dbURL, nil)
	b := startInstance(t, dbURL, nil)
	heard := hears(b.db)
	ctx := context.Background()

	sec := news.Section{Name: "News"}
	must(t, a.db.SaveSection(ctx, &sec))
	other := news.Section{Name: "Opinion"}
	must(t, a.db.SaveSection(ctx, &other))
	au := news.Author{Name: "Aigerim Sadykova"}
	must(t, a.db.SaveAuthor(ctx, &au))
	old := &news.Article{Title: "Old story", BodySource: "Told before.", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), SectionID: other.ID, Authors: []news.Author{au}}
	fixtures.Save(t, a.db, old, 0)
	for _, want := range []string{"all", "all", "old-story"} { // two sections (an author's first save purges nothing), the story
		if ch := next(t, heard); (want == "all") != ch.All || (!ch.All && ch.Articles[0] != want) {
			t.Fatalf("b heard %+v, want %s", ch, want)
		}
	}
	b.get(t, "/old-story/") // cached on b, as are these
	b.get(t, "/category/opinion/")

	// Published through a: b's front page, section and author pages show
	// it, while b's pages the write did not touch stay cached.
	sneak(t, dbURL, "old-story", "Sneaked title")
	fresh := &news.Article{Title: "Fresh story", BodySource: "Just in.", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Minute), SectionID: sec.ID, Authors: []news.Author{au}}
	fixtures.Save(t, a.db, fresh, 0)
	if ch := next(t, heard); ch.All || len(ch.Articles) != 1 || ch.Articles[0] != "fresh-story" {
		t.Fatalf("b heard %+v, want the fresh story alone", ch)
	}
	for path, want := range map[string]string{"/": "Fresh story", "/fresh-story/": "Just in.", "/category/news/": "Fresh story", "/author/aigerim-sadykova/": "Fresh story"} {
		if code, body := b.get(t, path); code != 200 || !strings.Contains(body, want) {
			t.Errorf("b %s: %d, without %q", path, code, want)
		}
	}
	if _, body := b.get(t, "/old-story/"); !strings.Contains(body, "Old story") {
		t.Errorf("b rendered an article page the write did not touch again")
	}
	if _, body := b.get(t, "/category/opinion/"); strings.Contains(body, "Sneaked title") {
		t.Errorf("b dropped the listing of a section the write did not touch")
	}

	// A draft saved through a empties nothing on b: b hears of the
	// publish after it, and nothing before.
	sneak(t, dbURL, "fresh-story", "Sneaked again")
	draft := &news.Article{Title: "Draft story", BodySource: "Not yet.", Status: news.StatusDraft, SectionID: sec.ID, Authors: []news.Author{au}}
	fixtures.Save(t, a.db, draft, 0)
	later := &news.Article{Title: "Later story", BodySource: "Next.", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Second), SectionID: other.ID, Authors: []news.Author{au}}
	fixtures.Save(t, a.db, later, 0)
	if ch := next(t, heard); ch.All || len(ch.Articles) != 1 || ch.Articles[0] != "later-story" {
		t.Errorf("b heard %+v first, want the later story alone", ch)
	}
	if _, body := b.get(t, "/fresh-story/"); strings.Contains(body, "Sneaked again") {
		t.Error("b rendered a page again that neither the draft nor the later story touched")
	}

	// Taking a story down empties every page, related lists included.
	fresh.Status = news.StatusDraft
	fixtures.Save(t, a.db, fresh, 0)
	if ch := next(t, heard); !ch.All {
		t.Errorf("unpublishing sent %+v, want everything", ch)
	}
	if _, body := b.get(t, "/"); strings.Contains(body, "Sneaked again") || strings.Contains(body, "Fresh story") {
		t.Error("b's front page still shows the unpublished story")
	}
}

// BenchmarkCommitToFreshPage measures, on two instances of one
// PostgreSQL database, the time from a publish's commit on one to its
// story on the other's cached front page: by notification, and by the
// 2 s generation poll alone (what instances had before), in the same
// run. Run it with -benchtime 200x; the figures are p50, p99 and max.
func BenchmarkCommitToFreshPage(b *testing.B) {
	for _, mode := range []string{"notify", "poll"} {
		b.Run(mode, func(b *testing.B) {
			dbURL := storetest.NewPostgresDatabase(b)
			a := startInstance(b, dbURL, nil)
			opts := []store.Option{}
			poll := time.Hour
			if mode == "poll" {
				opts, poll = append(opts, store.WithoutListen()), 2*time.Second
			}
			other := startInstance(b, dbURL, func(o *server.Options) { o.ChangePoll = poll }, opts...)
			ctx := context.Background()
			sec := news.Section{Name: "News"}
			must(b, a.db.SaveSection(ctx, &sec))
			var lat []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				other.get(b, "/") // cached before the publish
				title := fmt.Sprintf("Story number %d", i)
				ar := &news.Article{Title: title, BodySource: "News.", Status: news.StatusPublished,
					PublishedAt: time.Now().Add(-time.Second), SectionID: sec.ID}
				fixtures.Save(b, a.db, ar, 0)
				committed := time.Now()
				for {
					if _, body := other.get(b, "/"); strings.Contains(body, title) {
						break
					}
					time.Sleep(time.Millisecond)
				}
				lat = append(lat, time.Since(committed))
			}
			b.StopTimer()
			slices.Sort(lat)
			at := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(at(0.5), "p50-ms")
			b.ReportMetric(at(0.99), "p99-ms")
			b.ReportMetric(at(1), "max-ms")
		})
	}
}

// leaders counts the instances that run the background jobs.
func leaders(ins ...*instance) int {
	n := 0
	for _, in := range ins {
		if in.srv.Leading() {
			n++
		}
	}
	return n
}

// waitFor retries check until it holds, failing t after a generous
// while: what it waits for takes a few retries of 50 ms.
func waitFor(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !check(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
	}
}

func TestOneInstanceRunsTheJobsAndAnotherTakesOver(t *testing.T) {
	dbURL := storetest.NewPostgresDatabase(t)
	fast := func(o *server.Options) { o.LeaderRetry = 50 * time.Millisecond }
	a := startInstance(t, dbURL, fast)
	b := startInstance(t, dbURL, fast)
	c := startInstance(t, dbURL, fast)
	waitFor(t, "an instance leads", func() bool { return leaders(a, b, c) == 1 })
	// Many retries later, still one.
	for i := 0; i < 20; i++ {
		time.Sleep(50 * time.Millisecond)
		if n := leaders(a, b, c); n != 1 {
			t.Fatalf("%d instances run the jobs", n)
		}
	}
	var leader *instance
	var rest []*instance
	for _, in := range []*instance{a, b, c} {
		if in.srv.Leading() {
			leader = in
		} else {
			rest = append(rest, in)
		}
	}
	// A story scheduled for a moment from now, after the leader last
	// looked at the schedule: the new leader is the one to mark it
	// published.
	ctx := context.Background()
	sec := news.Section{Name: "News"}
	must(t, rest[0].db.SaveSection(ctx, &sec))
	due := &news.Article{Title: "Due story", BodySource: "Now.", Status: news.StatusScheduled,
		PublishedAt: time.Now().Add(2 * time.Second), SectionID: sec.ID}
	fixtures.Save(t, rest[0].db, due, 0)
	leader.stop()
	waitFor(t, "another instance takes over", func() bool { return leaders(rest...) == 1 })
	waitFor(t, "the scheduled story is marked published", func() bool {
		a, err := rest[1].db.ArticleBySlug(ctx, "due-story")
		return err == nil && a.Status == news.StatusPublished
	})
}

func TestSQLiteInstanceAlwaysLeads(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	led := make(chan struct{})
	go db.Lead(ctx, time.Hour, func(ctx context.Context) { close(led); <-ctx.Done() })
	select {
	case <-led:
	case <-time.After(10 * time.Second):
		t.Fatal("the only instance on SQLite does not lead")
	}
}

// getHeader fetches url and returns the response (body read and closed).
func getHeader(t testing.TB, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp, string(b)
}

func TestReadersKeepPagesWhileTheDatabaseIsDown(t *testing.T) {
	pg := storetest.NewCluster(t)
	clock := fixtures.NewClock(time.Now())
	setup := func(o *server.Options) { o.Now = clock.Now }
	a := startInstance(t, pg.URL(), setup, store.WithQueryTimeout(2*time.Second))
	b := startInstance(t, pg.URL(), setup)
	ctx := context.Background()
	sec := news.Section{Name: "News"}
	must(t, a.db.SaveSection(ctx, &sec))
	fixtures.Save(t, a.db, &news.Article{Title: "Cached story", BodySource: "Kept.", Status: news.StatusPublished,
		PublishedAt: clock.Now().Add(-time.Hour), SectionID: sec.ID}, 0)
	fixtures.Save(t, a.db, &news.Article{Title: "Uncached story", BodySource: "Never asked for.", Status: news.StatusPublished,
		PublishedAt: clock.Now().Add(-time.Hour), SectionID: sec.ID}, 0)
	for _, path := range []string{"/", "/cached-story/", "/readyz"} {
		if resp, _ := getHeader(t, a.url+path); resp.StatusCode != 200 {
			t.Fatalf("%s: %d before the database went away", path, resp.StatusCode)
		}
	}

	pg.Stop(t)
	clock.Add(10 * time.Minute) // every cached page is past its lifetime
	for _, path := range []string{"/", "/cached-story/"} {
		resp, body := getHeader(t, a.url+path)
		if resp.StatusCode != 200 || !strings.Contains(body, "Cached story") {
			t.Errorf("%s with the database down: %d, want the last good page", path, resp.StatusCode)
		}
		age, _ := strconv.Atoi(resp.Header.Get("Age"))
		if !strings.HasPrefix(resp.Header.Get("Warning"), "110 ") || age < 600 || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: Warning %q, Age %q, Cache-Control %q: want it marked stale, 10 minutes old, kept by nobody",
				path, resp.Header.Get("Warning"), resp.Header.Get("Age"), resp.Header.Get("Cache-Control"))
		}
	}
	if resp, _ := getHeader(t, a.url+"/uncached-story/"); resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a page never cached, with the database down: %d, Retry-After %q; want 503 with one", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := getHeader(t, a.url+"/readyz"); resp.StatusCode != 503 {
		t.Errorf("readyz with the database down: %d, want 503", resp.StatusCode)
	}
	if resp, _ := getHeader(t, a.url+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz with the database down: %d; liveness does not depend on it", resp.StatusCode)
	}

	// Back: both instances reconnect by themselves; b hears of a's write
	// on its new LISTEN connection.
	pg.Start(t)
	waitFor(t, "a is ready again", func() bool {
		resp, _ := getHeader(t, a.url+"/readyz")
		return resp.StatusCode == 200
	})
	b.get(t, "/")
	fixtures.Save(t, a.db, &news.Article{Title: "After the outage", BodySource: "Back.", Status: news.StatusPublished,
		PublishedAt: clock.Now().Add(-time.Minute), SectionID: sec.ID}, 0)
	waitFor(t, "b shows a's write after the outage", func() bool {
		_, body := b.get(t, "/")
		return strings.Contains(body, "After the outage")
	})
	resp, body := getHeader(t, a.url+"/uncached-story/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Never asked for.") || resp.Header.Get("Warning") != "" {
		t.Errorf("after the outage: %d, Warning %q", resp.StatusCode, resp.Header.Get("Warning"))
	}
}

func TestNotReadyAsSoonAsToldToStop(t *testing.T) {
	dbURL := storetest.NewPostgresDatabase(t)
	a := startInstance(t, dbURL, func(o *server.Options) { o.Config.ShutdownDelay = 3 * time.Second })
	if resp, _ := getHeader(t, a.url+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("readyz: %d", resp.StatusCode)
	}
	go a.stop()
	waitFor(t, "readyz turns 503", func() bool {
		resp, err := http.Get(a.url + "/readyz")
		if err != nil {
			t.Fatal("stopped serving before the delay was over")
		}
		resp.Body.Close()
		return resp.StatusCode == 503
	})
	if resp, _ := getHeader(t, a.url+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz while draining: %d", resp.StatusCode)
	}
}

// Two instances share one client's API budget: requests spread over
// both get the burst once, not twice.
func TestInstancesShareRateLimits(t *testing.T) {
	dbURL := storetest.NewPostgresDatabase(t)
	tiny := func(o *server.Options) {
		o.APILimits = api.Limits{Anonymous: api.Budget{Rate: 1.0 / 3600, Burst: 4}, Token: api.Budget{Rate: 1, Burst: 100}, MaxClients: 100}
	}
	a := startInstance(t, dbURL, tiny)
	b := startInstance(t, dbURL, tiny)
	allowed := 0
	for i := 0; i < 8; i++ {
		in := a
		if i%2 == 1 {
			in = b
		}
		resp, _ := getHeader(t, in.url+"/api/v1/articles")
		switch resp.StatusCode {
		case 200:
			allowed++
		case 429:
			if resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		default:
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
	}
	if allowed != 4 {
		t.Errorf("%d requests allowed across two instances, want the burst of 4 once", allowed)
	}
}
