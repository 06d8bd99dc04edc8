package newsroom_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store/storetest"
)

// A link such as /newsroom/articles/?done=Your+session+expired…+call+us
// once put its text in the newsroom's status box, for phishing with the
// newsroom's own look. Status messages are fixed sentences chosen by a
// key: this visits every screen reachable from the newsroom's links, as
// an admin, with made-up text in every parameter a message could come
// from, and finds the text on none of them.
func TestStatusMessagesAreFixed(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"))
	a := f.article(t, f.users[auth.Admin], news.StatusPublished, "Budget passes")
	f.article(t, f.users[auth.Admin], news.StatusTrash, "Old draft")
	c := f.as(t, auth.Admin)

	const bait = "Phishing42 call the number below"
	href := regexp.MustCompile(`href="(/newsroom/[^"#]*)"`)
	seen := map[string]bool{}
	queue := []string{"/newsroom/articles/", "/newsroom/articles/" + strconv.FormatInt(a.ID, 10) + "/", "/newsroom/signin", "/newsroom/trash/"}
	visited := 0
	for len(queue) > 0 && visited < 80 {
		p := queue[0]
		queue = queue[1:]
		u, err := url.Parse(p)
		if err != nil || seen[u.Path] || strings.HasPrefix(u.Path, "/newsroom/static/") {
			continue
		}
		seen[u.Path] = true
		q := u.Query()
		for _, k := range []string{"done", "error", "msg", "message", "notice", "flash", "status"} {
			q.Set(k, bait)
		}
		u.RawQuery = q.Encode()
		code, body := c.get(u.String())
		visited++
		if strings.Contains(body, "Phishing42") {
			t.Errorf("%s (%d) shows the text of its query", u.Path, code)
		}
		for _, m := range href.FindAllStringSubmatch(body, -1) {
			queue = append(queue, strings.ReplaceAll(m[1], "&amp;", "&"))
		}
	}
	if visited < 10 {
		t.Fatalf("only %d newsroom screens reached; the crawl is broken", visited)
	}
	// Signed out, the sign-in screen is the one screen there is.
	if _, body := f.anon(t).get("/newsroom/signin?error=" + url.QueryEscape(bait) + "&done=" + url.QueryEscape(bait)); strings.Contains(body, "Phishing42") {
		t.Error("the sign-in screen shows the text of its query")
	}
	// The real messages still show, chosen by their keys.
	if _, body := c.get("/newsroom/articles/?done=trashed"); !strings.Contains(body, "Moved to the trash") {
		t.Error("the trash message no longer shows")
	}
}
