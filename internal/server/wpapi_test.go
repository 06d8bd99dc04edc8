package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	pngenc "image/png"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/news"
	"dastan/internal/server"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// wpapiDir is the npm package of the client the test drives; .ci/run
// installs its node_modules (pinned by package-lock.json), and so does
// the test when they are missing.
const wpapiDir = "testdata/wpapi"

// needWPAPI finds node and wpapi, installing wpapi when it is missing.
func needWPAPI(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed; CI installs it (.ci/run)")
	}
	if _, err := os.Stat(filepath.Join(wpapiDir, "node_modules", "wpapi")); err == nil {
		return
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--prefix", wpapiDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", wpapiDir, err, out)
	}
}

// wpSite is the whole server on a real address, with its site URL set to
// that address so the API it announces is the one the client reaches.
type wpSite struct {
	url string
	db  *store.DB
}

func startWPSite(t *testing.T, db *store.DB) *wpSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	cfg := testConfig(t)
	cfg.SiteURL = "http://" + ln.Addr().String()
	srv, err := server.New(server.Options{Config: cfg, Store: db, Now: fixtures.NewClock(testNow).Now})
	must(t, err)
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return &wpSite{url: cfg.SiteURL, db: db}
}

// runClient runs client.js against s with expectations, and returns its
// reports by step.
func runClient(t *testing.T, s *wpSite, expect map[string]any) map[string]json.RawMessage {
	t.Helper()
	ex, _ := json.Marshal(expect)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "client.js", s.url, string(ex))
	cmd.Dir = wpapiDir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("client.js: %v\n%s\n%s", err, out, stderr.String())
	}
	steps := map[string]json.RawMessage{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var line struct {
			Step  string
			Value json.RawMessage
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("client.js printed %q: %v", sc.Text(), err)
		}
		steps[line.Step] = line.Value
	}
	if string(steps["done"]) != "true" {
		t.Fatalf("client.js did not finish:\n%s\n%s", out, stderr.String())
	}
	return steps
}

// wpapi, a WordPress client nobody here wrote, discovers the API from the
// site's address and reads through it as it would from WordPress.
func TestWPAPIClient(t *testing.T) {
	needWPAPI(t)
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	nw := news.Section{Name: "News"}
	must(t, db.SaveSection(ctx, &nw))
	kz := news.Section{Name: "Kazakhstan", ParentID: nw.ID}
	must(t, db.SaveSection(ctx, &kz))
	author := news.Author{Name: "Aigerim Sadykova"}
	must(t, db.SaveAuthor(ctx, &author))
	for i := range 12 {
		a := &news.Article{Title: fmt.Sprintf("Story %d", i), BodySource: "Text.", Status: news.StatusPublished,
			PublishedAt: testNow.Add(-time.Duration(i+1) * time.Hour), SectionID: kz.ID, Authors: []news.Author{author}}
		if i%3 == 0 {
			a.Tags = []news.Tag{{Name: "Energy"}}
		}
		fixtures.Save(t, db, a, 0)
	}
	s := startWPSite(t, db)
	editor := fixtures.Users(t, db, nil)[auth.Editor]
	plain, hash, uuid := auth.NewAppPassword()
	must(t, db.CreateAppPassword(ctx, &store.AppPassword{UserID: editor.ID, UUID: uuid, Name: "wpapi", Hash: hash}))
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(2, 2, color.RGBA{200, 10, 10, 255})
	var png bytes.Buffer
	must(t, pngenc.Encode(&png, img))
	steps := runClient(t, s, map[string]any{"posts": 12, "category": "kazakhstan", "tag": "energy",
		"username": editor.Email, "password": auth.ShowAppPassword(plain), "png": base64.StdEncoding.EncodeToString(png.Bytes())})
	if got := string(steps["discovered"]); got != `"`+s.url+`/wp-json/"` {
		t.Errorf("discovered %s", got)
	}
	var filtered struct{ InCategory, Tagged int }
	must(t, json.Unmarshal(steps["filtered"], &filtered))
	if filtered.InCategory != 12 || filtered.Tagged != 4 {
		t.Errorf("filters: %+v", filtered)
	}
	var wrote struct{ Post, Tag, Media int64 }
	must(t, json.Unmarshal(steps["writes"], &wrote))
	if wrote.Post == 0 || wrote.Media == 0 {
		t.Fatalf("writes: %s", steps["writes"])
	}
	ar, err := db.ArticleByID(ctx, wrote.Post)
	must(t, err)
	if ar.Title != "Tokayev signs the 2027 budget" || ar.Status != news.StatusTrash || ar.Image == nil {
		t.Errorf("the post wpapi wrote is stored as %q, %s, image %v", ar.Title, ar.Status, ar.Image)
	}
}
