package newsroom_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dastan/internal/auth"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// previewLinks returns the preview addresses the share page lists, as
// paths.
func previewLinks(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`value="([^"]*/preview/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		u, err := url.Parse(m[1])
		must(t, err)
		out = append(out, u.Path)
	}
	return out
}

// TestPreviewLinks: an editor makes a link to a draft; anyone opens it
// without signing in and sees the article's page, marked noindex and
// never cached; an altered link, a revoked one, an expired one and one
// to a trashed article show nothing.
func TestPreviewLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.article(t, f.users[auth.Author], news.StatusDraft, "Draft on the Rogun dam")
		ed, co, anon := f.as(t, auth.Editor), f.as(t, auth.Contributor), f.anon(t)
		share := links.NewsroomShare(a.ID)

		if code, _ := ed.post(share, url.Values{"lifetime": {"forever"}}); code != http.StatusUnprocessableEntity {
			t.Fatalf("a link without a lifetime we offer: %d, want 422", code)
		}
		if code, _ := co.post(share, url.Values{"lifetime": {"week"}}); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("a contributor shared someone else's draft: %d", code)
		}
		if code, _ := ed.post(share, url.Values{"lifetime": {"day"}}); code != http.StatusSeeOther {
			t.Fatalf("make a link: %d", code)
		}
		_, page := ed.get(share)
		ls := previewLinks(t, page)
		if len(ls) != 1 || !strings.Contains(page, "editor@example.com") {
			t.Fatalf("share page lists %q", ls)
		}
		link := ls[0]

		resp, err := anon.c.Get(f.srv.URL + link)
		must(t, err)
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Draft on the Rogun dam") || !strings.Contains(body, `class="story`) {
			t.Fatalf("the link without signing in: %d", resp.StatusCode)
		}
		h := resp.Header
		if h.Get("X-Robots-Tag") != "noindex" || !strings.Contains(body, `<meta name="robots" content="noindex`) ||
			h.Get("Cache-Control") != "no-store" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("preview headers: robots %q, cache %q, referrer %q; meta noindex %v", h.Get("X-Robots-Tag"), h.Get("Cache-Control"), h.Get("Referrer-Policy"), strings.Contains(body, `name="robots"`))
		}
		// The draft itself stays hidden from readers.
		if code, _ := anon.get(links.Article(a.Slug)); code != http.StatusNotFound {
			t.Fatalf("the draft's own address: %d", code)
		}
		// One character changed in the signature, or another id with
		// this signature, opens nothing.
		last := link[len(link)-1]
		other := byte('A')
		if last == 'A' {
			other = 'B'
		}
		for _, bad := range []string{link[:len(link)-1] + string(other), strings.Replace(link, "/preview/1.", "/preview/2.", 1), "/preview/x", "/preview/1"} {
			if code, _ := anon.get(bad); code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", bad, code)
			}
		}
		// Revoked from the newsroom, it stops at once.
		id := regexp.MustCompile(`name="revoke" value="(\d+)"`).FindStringSubmatch(page)
		if id == nil {
			t.Fatal("no revoke button")
		}
		if code, _ := ed.post(share, url.Values{"revoke": {id[1]}}); code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", code)
		}
		if code, body := anon.get(link); code != http.StatusNotFound || !strings.Contains(body, "expired or been revoked") {
			t.Fatalf("revoked link: %d", code)
		}
		// A second link lapses after its day.
		must2(t, ed, share, url.Values{"lifetime": {"day"}})
		_, page = ed.get(share)
		ls = previewLinks(t, page)
		if len(ls) != 1 {
			t.Fatalf("live links after revoking one and making another: %q", ls)
		}
		if code, _ := anon.get(ls[0]); code != http.StatusOK {
			t.Fatalf("second link: %d", code)
		}
		f.clock.Add(24*time.Hour + time.Second)
		if code, _ := anon.get(ls[0]); code != http.StatusNotFound {
			t.Fatalf("expired link: %d", code)
		}
		// The author shares their own draft; trashing it ends the link.
		au := f.as(t, auth.Author)
		must2(t, au, share, url.Values{"lifetime": {"week"}})
		_, page = au.get(share)
		ls = previewLinks(t, page)
		if len(ls) != 1 {
			t.Fatalf("author's links: %q", ls)
		}
		got, err := db.ArticleByID(t.Context(), a.ID)
		must(t, err)
		if code, _ := au.post(links.NewsroomTrashArticle(a.ID), url.Values{"version": {itoa(got.Version)}}); code != http.StatusSeeOther {
			t.Fatalf("trash: %d", code)
		}
		if code, _ := anon.get(ls[0]); code != http.StatusNotFound {
			t.Fatalf("link to a trashed article: %d", code)
		}
	})
}

func must2(t *testing.T, c *client, path string, v url.Values) {
	t.Helper()
	if code, body := c.post(path, v); code != http.StatusSeeOther {
		t.Fatalf("POST %s: %d %s", path, code, body)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return string(b)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
