package newsroom_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// postResp posts a form and returns the whole response, body read.
func (c *client) postResp(path string, v url.Values) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.c.PostForm(c.base+path, v)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestSigninFlood: sign-ins with made-up emails from one address are
// refused with 429 and Retry-After once the address's budget is spent,
// before any password is hashed.
func TestSigninFlood(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	c := f.anon(t)
	for i := 0; i < 30; i++ {
		resp, body := c.postResp("/newsroom/signin", url.Values{"email": {fmt.Sprintf("guess%d@example.com", i)}, "password": {"guess"}})
		retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		switch {
		case i < 20 && resp.StatusCode != http.StatusUnauthorized:
			t.Fatalf("attempt %d within the budget: %d %s", i, resp.StatusCode, errorText(body))
		case i >= 20 && (resp.StatusCode != http.StatusTooManyRequests || retry < 1 || !strings.Contains(errorText(body), "Too many")):
			t.Fatalf("attempt %d past the budget: %d, Retry-After %q, %q", i, resp.StatusCode, resp.Header.Get("Retry-After"), errorText(body))
		}
	}
}

// TestDisableInNewsroom: an admin disables an editor on the users page;
// the editor's open session and API token stop working at once.
func TestDisableInNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ed := f.as(t, auth.Editor)
		plain, hash := auth.NewAPIToken()
		must(t, db.CreateAPIToken(ctx, &store.APIToken{UserID: f.users[auth.Editor].ID, Name: "app", Role: "editor", Hash: hash}))
		api := func() int {
			req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/sections", nil)
			req.Header.Set("Authorization", "Bearer "+plain)
			resp, err := http.DefaultClient.Do(req)
			must(t, err)
			resp.Body.Close()
			return resp.StatusCode
		}
		if code := api(); code != http.StatusOK {
			t.Fatalf("the editor's token before: %d", code)
		}
		admin := f.as(t, auth.Admin)
		id := fmt.Sprint(f.users[auth.Editor].ID)
		if code, body := admin.post("/newsroom/users/", url.Values{"op": {"disable"}, "id": {id}}); code != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", code, errorText(body))
		}
		if code, _ := ed.get("/newsroom/articles/"); code != http.StatusSeeOther {
			t.Fatalf("the disabled editor's session: %d, want 303 to sign-in", code)
		}
		if code := api(); code != http.StatusUnauthorized {
			t.Fatalf("the disabled editor's token: %d, want 401", code)
		}
		_, page := admin.get("/newsroom/users/?done=disabled")
		if !strings.Contains(page, "Their sessions have ended") || !strings.Contains(page, `value="enable"`) {
			t.Fatal("the users page does not show the editor disabled")
		}
		// Admins cannot disable themselves; the refusal is plain words.
		if code, body := admin.post("/newsroom/users/", url.Values{"op": {"disable"}, "id": {fmt.Sprint(f.users[auth.Admin].ID)}}); code != http.StatusUnprocessableEntity || !strings.Contains(errorText(body), "yourself") {
			t.Fatalf("self-disable: %d %q", code, errorText(body))
		}
		if code, _ := admin.post("/newsroom/users/", url.Values{"op": {"enable"}, "id": {id}}); code != http.StatusSeeOther {
			t.Fatalf("enable: %d", code)
		}
		if code, _ := f.as(t, auth.Editor).get("/newsroom/articles/"); code != http.StatusOK {
			t.Fatalf("the enabled editor: %d", code)
		}
	})
}

var resetLink = regexp.MustCompile(`http://localhost:8080(/newsroom/reset/[A-Za-z0-9_-]{43})`)

// TestResetLinkInNewsroom: an admin makes a link and sees it once; the
// page it opens sets a new password and signs in; it works only once.
func TestResetLinkInNewsroom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		before := f.as(t, auth.Author)
		admin := f.as(t, auth.Admin)
		code, page := admin.post("/newsroom/users/", url.Values{"op": {"reset-link"}, "id": {fmt.Sprint(f.users[auth.Author].ID)}})
		m := resetLink.FindStringSubmatch(page)
		if code != http.StatusOK || m == nil {
			t.Fatalf("reset link: %d, no link on the page %s", code, errorText(page))
		}
		if _, again := admin.get("/newsroom/users/"); resetLink.MatchString(again) {
			t.Fatal("the link is shown a second time")
		}
		path := m[1]
		c := f.anon(t)
		for i := 0; i < 2; i++ { // opening the page spends nothing
			if code, body := c.get(path); code != http.StatusOK || !strings.Contains(body, "author@example.com") {
				t.Fatalf("open the link (%d): %d", i, code)
			}
		}
		if code, body := c.post(path, url.Values{"password": {"short"}}); code != http.StatusUnprocessableEntity || !strings.Contains(errorText(body), "10 characters") {
			t.Fatalf("a short password: %d %q", code, errorText(body))
		}
		if code, _ := c.post(path, url.Values{"password": {"a fresh new password"}}); code != http.StatusSeeOther {
			t.Fatalf("set the password: %d", code)
		}
		if code, _ := c.get("/newsroom/articles/"); code != http.StatusOK {
			t.Fatalf("signed in after the reset: %d", code)
		}
		if code, _ := before.get("/newsroom/articles/"); code != http.StatusSeeOther {
			t.Fatalf("a session from before the reset: %d, want 303 to sign-in", code)
		}
		if code, body := f.anon(t).post(path, url.Values{"password": {"another new password"}}); code != http.StatusNotFound || !strings.Contains(errorText(body), "used or has expired") {
			t.Fatalf("the link used again: %d %q", code, errorText(body))
		}
		if code, _ := f.anon(t).post("/newsroom/signin", url.Values{"email": {"author@example.com"}, "password": {"a fresh new password"}}); code != http.StatusSeeOther {
			t.Fatalf("sign in with the new password: %d", code)
		}
	})
}

// TestAccountPassword: a user changes their own password, giving the
// current one; their other sessions end, this one stays.
func TestAccountPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		here, there := f.as(t, auth.Contributor), f.as(t, auth.Contributor)
		if code, body := here.get("/newsroom/account/"); code != http.StatusOK || !strings.Contains(body, "contributor@example.com") {
			t.Fatalf("account page: %d", code)
		}
		if code, body := here.post("/newsroom/account/", url.Values{"current": {"wrong one"}, "password": {"a newer password"}}); code != http.StatusUnprocessableEntity || !strings.Contains(errorText(body), "current password") {
			t.Fatalf("wrong current password: %d %q", code, errorText(body))
		}
		if code, _ := here.post("/newsroom/account/", url.Values{"current": {password}, "password": {"a newer password"}}); code != http.StatusSeeOther {
			t.Fatalf("change: %d", code)
		}
		if code, body := here.get("/newsroom/account/?done=password"); code != http.StatusOK || !strings.Contains(body, "Password changed") {
			t.Fatalf("this session after the change: %d", code)
		}
		if code, _ := there.get("/newsroom/articles/"); code != http.StatusSeeOther {
			t.Fatalf("the other session after the change: %d, want 303 to sign-in", code)
		}
		if code, _ := f.anon(t).post("/newsroom/signin", url.Values{"email": {"contributor@example.com"}, "password": {"a newer password"}}); code != http.StatusSeeOther {
			t.Fatalf("sign in with the new password: %d", code)
		}
	})
}
