package wordpress_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
)

// A featured image reaches the API, JSON Feed, the RSS enclosure and
// og:image as it is, so an attachment address that is not http(s) or
// site-relative (javascript:, data:, protocol-relative) is reported and
// dropped; the articles keep no image rather than a dangerous one. In
// bodies the sanitizer drops such addresses.
func TestImportDropsAddressesReadersMustNotFollow(t *testing.T) {
	att := map[int]string{
		7:  "javascript:alert(document.cookie)",
		8:  "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
		9:  "//evil.example/wp-content/uploads/x.jpg",
		12: " JaVaScRiPt:alert(1)",
		10: "/wp-content/uploads/2025/03/ok.jpg",
		11: "https://timesca.example/wp-content/uploads/2025/03/fine.jpg",
	}
	var items []string
	for _, id := range []int{7, 8, 9, 10, 11, 12} {
		items = append(items, wxrAttachment(id, 0, att[id], "alt"))
	}
	thumbOf := map[int]int{100: 7, 101: 8, 102: 9, 103: 10, 104: 11, 105: 12, 107: 13}
	for _, post := range []int{100, 101, 102, 103, 104, 105} {
		items = append(items, wxrPost(post, "post-"+string(rune('a'+post-100)), "Post", "Text.", "_thumbnail_id", strconv.Itoa(thumbOf[post])))
	}
	items = append(items,
		wxrPost(106, "body", "Body", `<img src="javascript:alert(1)" alt="x"> [gallery ids="7,8,11"] [caption id="attachment_7" width="300"]<img src="javascript:alert(2)"> Cap[/caption] <a href="javascript:alert(3)">link</a>`),
		// The featured image comes after the post: the deferred fix obeys the rule too.
		wxrPost(107, "later", "Later", "Text.", "_thumbnail_id", "13"),
		wxrAttachment(13, 107, "javascript:alert(13)", "alt"),
	)
	src := []byte(wxrDoc("https", "1.2", true, items...))
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rep, err := importBytes(t, db, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		for post, thumb := range thumbOf {
			a := byWP(t, db, "post", int64(post))
			switch thumb {
			case 10, 11:
				if a.Image == nil || a.Image.URL != att[thumb] {
					t.Errorf("post %d: image %+v, want %s", post, a.Image, att[thumb])
				}
			default:
				if a.Image != nil {
					t.Errorf("post %d: featured image %q kept", post, a.Image.URL)
				}
			}
		}
		body := byWP(t, db, "post", 106).BodyHTML
		for _, bad := range []string{"javascript:", "data:", "evil.example"} {
			if strings.Contains(strings.ToLower(body), bad) {
				t.Errorf("body keeps %q:\n%s", bad, body)
			}
		}
		if !strings.Contains(body, "fine.jpg") {
			t.Errorf("the gallery lost its good image:\n%s", body)
		}
		if rep.Refused != 5 || len(rep.RefusedAddresses) != 5 {
			t.Errorf("report: %d addresses dropped (%q), want 5", rep.Refused, rep.RefusedAddresses)
		}
		var out bytes.Buffer
		rep.Write(&out)
		if !strings.Contains(out.String(), "Addresses dropped (5;") || !strings.Contains(out.String(), `"javascript:alert(document.cookie)"`) {
			t.Errorf("report does not name the dropped addresses:\n%s", out.String())
		}
		atts, err := db.WPAttachments(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range atts {
			if a.URL != "" && a.URL != att[int(a.WPID)] {
				t.Errorf("attachment %d stored as %q", a.WPID, a.URL)
			}
			if strings.Contains(strings.ToLower(a.URL), "script:") || strings.HasPrefix(a.URL, "data:") || strings.HasPrefix(a.URL, "//") {
				t.Errorf("attachment %d keeps the address %q", a.WPID, a.URL)
			}
		}
	})
}

// A post bigger than the limit for one item is reported by line and
// title and skipped; the import carries on with the next item.
func TestImportSkipsAnItemOverTheLimit(t *testing.T) {
	big := strings.Repeat("<p>Pasted from a word processor, with its images inline.</p>\n", 4000)
	src := wxrDoc("https", "1.2", true,
		wxrPost(1, "first", "First", "One."),
		wxrPost(2, "huge", "Huge", big),
		wxrPost(3, "third", "Third", "Three."))
	line := strings.Count(src[:strings.Index(src, "<title>Huge")], "\n") // <item> is on the line before
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rep, err := wordpress.Import(context.Background(), strings.NewReader(src), wordpress.Options{Store: db, MaxItemSize: 64 << 10})
		if err != nil {
			t.Fatal(err)
		}
		m, err := db.WPImportMap(context.Background(), "post")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := m[2]; ok || len(m) != 2 {
			t.Errorf("imported %v, want posts 1 and 3", m)
		}
		if rep.SkippedByReason["post: larger than the 64 KiB limit for one item (--max-item-size)"] != 1 {
			t.Errorf("skipped: %v", rep.SkippedByReason)
		}
		var out bytes.Buffer
		rep.Write(&out)
		want := fmt.Sprintf("Too large to import (skipped; see --max-item-size):\n  post 2 \"Huge\" at line %d: ", line)
		if !strings.Contains(out.String(), want) {
			t.Errorf("report does not name the item by line and title (%q):\n%s", want, out.String())
		}
	})
}
