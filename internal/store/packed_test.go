package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/search"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// longStory is a body long enough to be packed on SQLite: a news story's
// paragraphs, with an image in the HTML and, given more, a <!--more-->
// in the source.
func longStory(t *testing.T, db *store.DB, title, img string, more bool) *news.Article {
	t.Helper()
	var src, html strings.Builder
	for i := range 20 {
		p := fmt.Sprintf("Paragraph %d of %s: the steppe pipeline carried gas to Shymkent and Almaty, officials said.", i, title)
		src.WriteString(p + "\n\n")
		html.WriteString("<p>" + p + "</p>\n")
		if i == 2 && more {
			src.WriteString("<!--more-->\n\n")
		}
	}
	html.WriteString(`<figure><img src="` + img + `" alt=""></figure>`)
	_, kz, _, a1, _ := seed(t, db)
	a := &news.Article{Title: title, BodySource: src.String(), BodyFormat: news.FormatHTML, BodyHTML: html.String(),
		Excerpt: "The steppe pipeline.", Lang: "en", Status: news.StatusPublished, PublishedAt: searchNow.Add(-time.Hour),
		SectionID: kz.ID, Authors: []news.Author{a1}}
	must(t, db.SaveArticle(context.Background(), a, 0, "first"))
	return a
}

// Long bodies are stored packed on SQLite (a BLOB about half the text's
// size) and as text on PostgreSQL, and every reader gets the text back:
// the article, its revisions, its search snippet's plain text, the
// listings' body texts; and the SQL that looks inside bodies (a
// <!--more--> in the source, an image still used in the HTML) finds
// what it looked for in packed bodies too.
func TestLongTextsStoredPackedReadWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := longStory(t, db, "Pipeline story", "/media/ab/abcdef0123456789-800.jpg", false)
		if db.Engine() == "sqlite" {
			rows, err := db.RowsForTest(ctx, fmt.Sprintf(`SELECT typeof(body_source), typeof(body_html), typeof(body_text)
				FROM articles WHERE id = %d`, a.ID))
			must(t, err)
			if len(rows) != 1 || rows[0] != "blob | blob | blob" {
				t.Errorf("stored as %q, want three blobs", rows)
			}
			var packedLen, textLen int
			rows, err = db.RowsForTest(ctx, fmt.Sprintf(`SELECT length(CAST(body_html AS BLOB)), length(unpacked(body_html)) FROM articles WHERE id = %d`, a.ID))
			must(t, err)
			fmt.Sscanf(rows[0], "%d | %d", &packedLen, &textLen)
			if textLen != len(a.BodyHTML) || packedLen*2 > textLen {
				t.Errorf("body HTML of %d bytes stored in %d, unpacked to %d", len(a.BodyHTML), packedLen, textLen)
			}
			rows, err = db.RowsForTest(ctx, `SELECT typeof(body_source) FROM revisions`)
			must(t, err)
			if strings.Join(rows, ",") != "blob" {
				t.Errorf("revision's source stored as %q", rows)
			}
		}
		got, err := db.ArticleBySlug(ctx, a.Slug)
		must(t, err)
		if got.BodySource != a.BodySource || got.BodyHTML != a.BodyHTML {
			t.Errorf("read back:\nsource %q\nhtml %q", got.BodySource, got.BodyHTML)
		}
		shown, err := db.ArticleToShow(ctx, a.Slug)
		must(t, err)
		if shown.BodyHTML != a.BodyHTML {
			t.Errorf("shown html %q", shown.BodyHTML)
		}
		revs, err := db.Revisions(ctx, a.ID, 10)
		must(t, err)
		if len(revs) != 1 || revs[0].BodySource != a.BodySource {
			t.Errorf("revisions: %+v", revs)
		}
		res, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("shymkent"), VisibleAt: searchNow})
		must(t, err)
		if len(res.Results) != 1 || !strings.HasPrefix(res.Results[0].BodyText, "Paragraph 0 of Pipeline story: the steppe") ||
			!strings.Contains(res.Results[0].BodyText, "Paragraph 19 of") {
			t.Errorf("search results %+v", res.Results)
		}
		texts, err := db.BodyTexts(ctx, []int64{a.ID})
		must(t, err)
		if !strings.Contains(texts[a.ID], "Paragraph 19 of Pipeline story") {
			t.Errorf("body texts %v", texts)
		}
		uses, err := db.MediaUses(ctx, "abcdef0123456789")
		must(t, err)
		if uses != 1 {
			t.Errorf("an image in a packed body: %d uses, want 1", uses)
		}

		// Editing packs the new body; the first revision keeps the old.
		got.BodySource = strings.Replace(got.BodySource, "Paragraph 3", "<!--more-->\n\nParagraph 3", 1)
		got.BodyHTML = strings.ReplaceAll(got.BodyHTML, "Shymkent", "Turkistan")
		must(t, db.SaveArticle(ctx, &got, 0, "second"))
		again, err := db.ArticleBySlug(ctx, a.Slug)
		must(t, err)
		if again.BodySource != got.BodySource || again.BodyHTML != got.BodyHTML {
			t.Errorf("after an edit, read back:\nsource %q\nhtml %q", again.BodySource, again.BodyHTML)
		}
		revs, err = db.Revisions(ctx, a.ID, 10)
		must(t, err)
		if len(revs) != 2 || revs[0].BodySource != got.BodySource || revs[1].BodySource != a.BodySource {
			t.Errorf("revisions after an edit: %d", len(revs))
		}
		texts, err = db.BodyTexts(ctx, []int64{a.ID})
		must(t, err)
		if _, ok := texts[a.ID]; ok {
			t.Errorf("a source with <!--more--> still gave its body text")
		}
		res, err = db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("turkistan"), VisibleAt: searchNow})
		must(t, err)
		if len(res.Results) != 1 || !strings.Contains(res.Results[0].BodyText, "gas to Turkistan") {
			t.Errorf("search after an edit: %+v", res.Results)
		}
	})
}

// Rows written before packing hold their bodies as text and read as they
// did; a packed body that is damaged is reported, not shown as garbage.
func TestPlainAndDamagedBodies(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	a := longStory(t, db, "Old story", "/media/x.jpg", false)
	must(t, db.SetBodyColumnsForTest(ctx, a.ID, a.BodySource, a.BodyHTML, "plain text of the old story"))
	got, err := db.ArticleBySlug(ctx, a.Slug)
	must(t, err)
	if got.BodySource != a.BodySource || got.BodyHTML != a.BodyHTML {
		t.Errorf("a plain row read back:\nsource %q\nhtml %q", got.BodySource, got.BodyHTML)
	}
	texts, err := db.BodyTexts(ctx, []int64{a.ID})
	must(t, err)
	if texts[a.ID] != "plain text of the old story" {
		t.Errorf("plain body text %q", texts[a.ID])
	}

	packed, ok := db.PackForTest(a.BodyHTML).([]byte)
	if !ok {
		t.Fatalf("a long body was not packed: %T", db.PackForTest(a.BodyHTML))
	}
	damaged := append([]byte{}, packed[:len(packed)/2]...)
	must(t, db.SetBodyColumnsForTest(ctx, a.ID, a.BodySource, damaged, ""))
	if _, err := db.ArticleBySlug(ctx, a.Slug); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("a damaged body read as: %v", err)
	}
	unknown := append([]byte{9}, packed[1:]...)
	must(t, db.SetBodyColumnsForTest(ctx, a.ID, a.BodySource, unknown, ""))
	if _, err := db.ArticleBySlug(ctx, a.Slug); err == nil || !strings.Contains(err.Error(), "unknown packing") {
		t.Errorf("a body in an unknown packing read as: %v", err)
	}
}

// What rewrites a stored body keeps it packed and whole: the import's
// late fixes (UpdateRendered) and a rebuild of the search index, which
// reads the packed plain text or HTML back.
func TestPackedBodiesRewrittenAndReindexed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := longStory(t, db, "Gallery story", "/media/cd/cdef-800.jpg", false)
		a.BodyHTML += `<div class="gallery"><img src="/media/ef/ef01-800.jpg" alt=""></div>`
		a.BodySource += "\n\n[gallery ids=\"7\"]"
		must(t, db.UpdateRendered(ctx, []news.Article{*a}))
		got, err := db.ArticleBySlug(ctx, a.Slug)
		must(t, err)
		if got.BodyHTML != a.BodyHTML || got.BodySource != a.BodySource {
			t.Errorf("after UpdateRendered:\nsource %q\nhtml %q", got.BodySource, got.BodyHTML)
		}
		if db.Engine() == "sqlite" {
			rows, err := db.RowsForTest(ctx, fmt.Sprintf(`SELECT typeof(body_source), typeof(body_html) FROM articles WHERE id = %d`, a.ID))
			must(t, err)
			if rows[0] != "blob | blob" {
				t.Errorf("after UpdateRendered stored as %q", rows)
			}
		}
		uses, err := db.MediaUses(ctx, "ef01")
		must(t, err)
		if uses != 1 {
			t.Errorf("the gallery's image: %d uses", uses)
		}
		must(t, db.Reindex(ctx, 2, nil))
		res, err := db.SearchArticles(ctx, store.SearchQuery{Query: search.ParseQuery("almaty officials"), VisibleAt: searchNow})
		must(t, err)
		if len(res.Results) != 1 || !strings.Contains(res.Results[0].BodyText, "Paragraph 19 of Gallery story") {
			t.Errorf("search after a rebuild: %+v", res.Results)
		}
	})
}

// A long text that packing would not shrink is stored as it is.
func TestIncompressibleTextStaysText(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "%c", rune(0x4e00+(i*7919)%20000)) // CJK characters in no order
	}
	if v, ok := db.PackForTest(b.String()).(string); !ok || v != b.String() {
		t.Errorf("an incompressible text was stored as %T", db.PackForTest(b.String()))
	}
	if v := db.PackForTest(strings.Repeat("short ", 20)); v != strings.Repeat("short ", 20) {
		t.Errorf("a short text was stored as %T", v)
	}
}

// A store that a newer release has migrated is refused with a plain
// message: an older binary would misread what it no longer knows (such
// as packed bodies, for a binary from before them).
func TestNewerSchemaRefused(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	must(t, db.RecordMigrationForTest(ctx, 9999))
	dir := filepath.Dir(db.SQLitePathForTest())
	db.Close()
	again, err := store.Open(ctx, dir, "")
	if err == nil {
		again.Close()
		t.Fatal("a store at schema version 9999 was opened")
	}
	if !strings.Contains(err.Error(), "newer Dastan") || !strings.Contains(err.Error(), "9999") {
		t.Errorf("refused with %q", err)
	}
}
