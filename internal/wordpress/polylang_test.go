package wordpress_test

import (
	"os"
	"strings"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A Polylang site keeps its languages and translation links: each article
// in its language term's language, each translation linked to the post
// in the site's language, the broken link reported and the rest imported;
// a second import changes nothing.
func TestImportPolylang(t *testing.T) {
	b, err := os.ReadFile("testdata/polylang.wordpress.xml")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rep, err := importBytes(t, db, b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created["post"] != 9 || rep.Linked != 3 {
			t.Fatalf("created %d posts and linked %d translations, want 9 and 3", rep.Created["post"], rep.Linked)
		}
		pairs := []struct{ orig, tr int64 }{{12, 13}, {20, 21}, {32, 31}}
		for _, p := range pairs {
			o, tr := byWP(t, db, "post", p.orig), byWP(t, db, "post", p.tr)
			if o.Lang != "en" || tr.Lang != "ru" {
				t.Errorf("posts %d and %d are in %q and %q, want en and ru", p.orig, p.tr, o.Lang, tr.Lang)
			}
			if tr.TranslationOf != o.ID || o.TranslationOf != 0 {
				t.Errorf("post %d translates article %d, post %d translates %d; want %d and 0", p.tr, tr.TranslationOf, p.orig, o.TranslationOf, o.ID)
			}
		}
		for _, wp := range []int64{40, 50, 51} {
			if a := byWP(t, db, "post", wp); a.TranslationOf != 0 {
				t.Errorf("post %d translates article %d, want none", wp, a.TranslationOf)
			}
		}
		if a := byWP(t, db, "post", 51); a.Lang != "ru" {
			t.Errorf("post 51 is in %q, want ru", a.Lang)
		}
		warned := false
		for _, n := range rep.Notes {
			warned = warned || strings.Contains(n, "pll_5f1a2b3c4d5e9") && strings.Contains(n, "not a list of translations")
		}
		if !warned {
			t.Errorf("no note on the broken translations term; notes: %q", rep.Notes)
		}
		for _, a := range []int64{12, 13} {
			for _, tag := range byWP(t, db, "post", a).Tags {
				if tag.Slug == "en" || tag.Slug == "ru" || strings.HasPrefix(tag.Slug, "pll") {
					t.Errorf("post %d is tagged %q", a, tag.Slug)
				}
			}
		}
		if secs, _ := db.Sections(t.Context()); len(secs) != 1 {
			t.Errorf("%d sections, want News alone", len(secs))
		}
		for k, n := range rep.SkippedByReason {
			if strings.Contains(k, "language") || strings.Contains(k, "post_translations") {
				t.Errorf("reported as skipped: %d %s", n, k)
			}
		}

		again, err := importBytes(t, db, b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Unchanged["post"] != 9 || again.Linked != 0 {
			t.Errorf("second import: %d posts unchanged, %d linked; want 9 and 0", again.Unchanged["post"], again.Linked)
		}
		if tr := byWP(t, db, "post", 13); tr.TranslationOf != byWP(t, db, "post", 12).ID {
			t.Errorf("after a second import post 13 translates %d", tr.TranslationOf)
		}

		// A translation edited in WordPress is updated and stays linked.
		edited := []byte(strings.Replace(string(b), "Тенге держит курс", "Тенге снова держит курс", 1))
		third, err := importBytes(t, db, edited, nil)
		if err != nil {
			t.Fatal(err)
		}
		tr := byWP(t, db, "post", 13)
		if third.Updated["post"] != 1 || tr.Title != "Тенге снова держит курс" || tr.TranslationOf != byWP(t, db, "post", 12).ID {
			t.Errorf("after an edit: %d posts updated; post 13 %q translates %d", third.Updated["post"], tr.Title, tr.TranslationOf)
		}
	})
}
