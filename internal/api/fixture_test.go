package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/fixtures"
	"dastan/internal/media"
	"dastan/internal/news"
	"dastan/internal/server"
	"dastan/internal/store"
)

// The shared fixtures under the names these tests use.
var (
	cheap = fixtures.Cheap
	must  = fixtures.Must
)

const password = fixtures.Password

var testNow = time.Date(2026, 3, 26, 9, 0, 0, 0, time.UTC)

// fixture is the whole router over a real store with a small newsroom:
// News > Kazakhstan and Economy, two bylines, two tags, one user and one
// token per role, an image, and articles in every state.
type fixture struct {
	db                 *store.DB
	srv                *httptest.Server
	users              map[auth.Role]auth.User
	tokens             map[auth.Role]string
	tokenIDs           map[auth.Role]int64
	news, kz, economy  news.Section
	aigerim, bakhtiyor news.Author
	img                store.Media
	// pub are the published articles, newest first; draft belongs to the
	// contributor, future is scheduled, locked has a password.
	pub                   []news.Article
	draft, future, locked news.Article
}

func newFixture(t *testing.T, db *store.DB, limits api.Limits) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, users: map[auth.Role]auth.User{}, tokens: map[auth.Role]string{}, tokenIDs: map[auth.Role]int64{}}
	clk := fixtures.NewClock(testNow)
	hash, err := auth.HashPassword(password, cheap)
	must(t, err)
	for _, r := range auth.Roles {
		su := store.User{Email: string(r) + "@example.com", Name: string(r), Role: string(r), PasswordHash: hash}
		must(t, db.CreateUser(ctx, &su, nil)) // no audit entry: tests here read the API's
		u := auth.User{ID: su.ID, Email: su.Email, Name: su.Name, Role: r}
		f.users[r] = u
		plain, hash := auth.NewAPIToken()
		tok := store.APIToken{UserID: u.ID, Name: string(r) + " app", Role: string(r), Hash: hash}
		must(t, db.CreateAPIToken(ctx, &tok))
		f.tokens[r], f.tokenIDs[r] = plain, tok.ID
	}
	f.news = news.Section{Name: "News"}
	must(t, db.SaveSection(ctx, &f.news))
	f.kz = news.Section{Name: "Kazakhstan", ParentID: f.news.ID}
	must(t, db.SaveSection(ctx, &f.kz))
	f.economy = news.Section{Name: "Economy"}
	must(t, db.SaveSection(ctx, &f.economy))
	f.aigerim = news.Author{Name: "Aigerim Sadykova", Bio: "Economics correspondent.", UserID: f.users[auth.Author].ID}
	must(t, db.SaveAuthor(ctx, &f.aigerim))
	f.bakhtiyor = news.Author{Name: "Bakhtiyor Rasulov"}
	must(t, db.SaveAuthor(ctx, &f.bakhtiyor))

	cfg := fixtures.Config(t)
	cfg.PageCache = false
	cfg.SiteURL = "https://timesca.example"
	if limits == (api.Limits{}) {
		limits = api.Limits{Anonymous: api.Budget{Rate: 1000, Burst: 100000}, Token: api.Budget{Rate: 1000, Burst: 100000}}
	}
	srv, hs := fixtures.Serve(t, server.Options{Config: cfg, Store: db, Now: clk.Now, AuthParams: cheap, APILimits: limits})
	f.srv = hs
	f.img = upload(t, srv.Media, f.users[auth.Author]) // the byline Aigerim's user

	type spec struct {
		title   string
		sec     news.Section
		au      news.Author
		tags    []string
		lang    string
		daysAgo int
	}
	for _, s := range []spec{
		{"Kazakhstan raises its base rate", f.kz, f.aigerim, []string{"Banking", "Inflation"}, "en", 1},
		{"Tenge steadies after the decision", f.kz, f.aigerim, []string{"Banking"}, "en", 2},
		{"Uzbekistan cotton harvest 100% done", f.economy, f.bakhtiyor, []string{"Agriculture"}, "en", 3},
		{"Нацбанк Казахстана повысил ставку", f.kz, f.aigerim, []string{"Banking"}, "ru", 4},
		{"Regional trade grows", f.economy, f.bakhtiyor, nil, "en", 40},
	} {
		a := news.Article{Title: s.title, BodySource: "First paragraph with a [link](/about/).\n\n![Almaty](/media/x.jpg)", BodyFormat: news.FormatMarkdown,
			Lang: s.lang, Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Duration(s.daysAgo) * 24 * time.Hour),
			SectionID: s.sec.ID, Authors: []news.Author{s.au}}
		for _, tg := range s.tags {
			a.Tags = append(a.Tags, news.Tag{Name: tg})
		}
		if len(f.pub) == 0 {
			fig := srv.Media.Figure(f.img)
			a.Image = &fig
		}
		f.pub = append(f.pub, f.save(t, a, f.users[auth.Editor]))
	}
	f.draft = f.save(t, news.Article{Title: "Contributor's draft", BodySource: "Draft.", Status: news.StatusDraft, SectionID: f.kz.ID}, f.users[auth.Contributor])
	f.future = f.save(t, news.Article{Title: "Embargoed report", BodySource: "Later.", Status: news.StatusScheduled, PublishedAt: testNow.Add(48 * time.Hour), SectionID: f.kz.ID}, f.users[auth.Editor])
	f.locked = f.save(t, news.Article{Title: "Members only", BodySource: "Secret words.", Status: news.StatusPublished, Password: "pw", PublishedAt: testNow.Add(-100 * 24 * time.Hour), SectionID: f.economy.ID}, f.users[auth.Editor])

	return f
}

func (f *fixture) save(t *testing.T, a news.Article, owner auth.User) news.Article {
	t.Helper()
	fixtures.Save(t, f.db, &a, owner.ID)
	got, err := f.db.ArticleByID(context.Background(), a.ID)
	must(t, err)
	return got
}

func upload(t *testing.T, svc *media.Service, u auth.User) store.Media {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for x := 0; x < 1200; x++ {
		for y := 0; y < 800; y++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	m, err := svc.Upload(context.Background(), u, "almaty-square.png", &buf, media.Text{Caption: "Almaty", Alt: "A square in Almaty", Credit: "TCA"})
	must(t, err)
	return m
}

// call makes a request; token may be "" for a reader.
func (f *fixture) call(t *testing.T, method, path, token string, body any, header ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		must(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	must(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// getJSON asks path and decodes the answer, which must have status want.
func (f *fixture) getJSON(t *testing.T, path, token string, want int, v any) *http.Response {
	t.Helper()
	resp, b := f.call(t, "GET", path, token, nil)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, want, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v: %s", path, err, b)
		}
	}
	return resp
}

func titles(list []api.Article) string {
	var s []string
	for _, a := range list {
		s = append(s, a.Title)
	}
	return strings.Join(s, " | ")
}
