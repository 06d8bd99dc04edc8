package wordpress_test

import (
	"strings"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
)

// A site moved in parts: the second export's posts show attachments the
// first import brought (a featured image, a gallery by ids, and an
// id-less gallery of the post's own uploads, one of which only the second
// export lists, after the post). The import looks each batch's
// attachments up in the store, so all of them are shown.
func TestImportShowsAttachmentsOfAnEarlierImport(t *testing.T) {
	url := func(n string) string { return "https://timesca.example/wp-content/uploads/2025/03/" + n + ".jpg" }
	first := wxrDoc("https", "1.2", true,
		wxrAttachment(901, 800, url("a"), "First"),
		wxrAttachment(902, 800, url("b"), "Second"),
		wxrAttachment(903, 0, url("c"), "Cover"),
	)
	second := wxrDoc("https", "1.2", true,
		wxrPost(800, "own-gallery", "Own gallery", `Photos. [gallery columns="2"]`),
		wxrPost(801, "named-gallery", "Named gallery", `Photos. [gallery ids="903,901"]`, "_thumbnail_id", "903"),
		wxrAttachment(904, 800, url("d"), "Third"),
	)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := importBytes(t, db, []byte(first), nil); err != nil {
			t.Fatal(err)
		}
		rep, err := importBytes(t, db, []byte(second), nil)
		if err != nil {
			t.Fatal(err)
		}
		checkNoMissingImage(t, rep)
		own := byWP(t, db, "post", 800).BodyHTML
		if !inOrder(own, url("a"), url("b"), url("d")) || strings.Count(own, `<figure class="gallery-item">`) != 3 {
			t.Errorf("the id-less gallery does not show the post's three uploads:\n%s", own)
		}
		named := byWP(t, db, "post", 801)
		if !inOrder(named.BodyHTML, url("c"), url("a")) || strings.Count(named.BodyHTML, `<figure class="gallery-item">`) != 2 {
			t.Errorf("the gallery by ids does not show the earlier import's attachments:\n%s", named.BodyHTML)
		}
		if named.Image == nil || named.Image.URL != url("c") || named.Image.Alt != "Cover" {
			t.Errorf("featured image %+v, want the earlier import's attachment 903", named.Image)
		}
	})
}

func checkNoMissingImage(t *testing.T, rep *wordpress.Report) {
	t.Helper()
	for _, n := range rep.Notes {
		if strings.Contains(n, "not in the export") {
			t.Errorf("report: %s", n)
		}
	}
}

// inOrder says whether s holds each of parts, in that order.
func inOrder(s string, parts ...string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}
