package server_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// suggestItem is one item of /search/suggest's answer.
type suggestItem struct {
	Kind, Label, URL string
}

func (f *fixture) suggest(t *testing.T, q string) []suggestItem {
	t.Helper()
	resp, body := f.get(t, "/search/suggest?q="+url.QueryEscape(q))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("suggest %q: %d %s", q, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "public, max-age=") {
		t.Errorf("suggest %q: Cache-Control %q", q, cc)
	}
	var items []suggestItem
	if err := json.Unmarshal([]byte(body), &items); err != nil || items == nil {
		t.Fatalf("suggest %q: %v in %s", q, err, body)
	}
	return items
}

// The search box's suggestions: titles that start with what is typed,
// then sections, tags and people whose names (or a word of them) do —
// only those readers can see — at most eight, and nothing for a letter
// or for hostile input.
func TestSearchSuggest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.save(t, &news.Article{Title: "Газопровод открыт", Lang: "ru", BodySource: "Газ пошёл.",
			Status: news.StatusPublished, PublishedAt: testNow.Add(-time.Hour), Tags: []news.Tag{{Name: "Pipeline politics"}}})
		hidden := news.Author{Name: "Pipa Hidden"}
		must(t, db.SaveAuthor(context.Background(), &hidden))
		f.save(t, &news.Article{Title: "Pipeline secrets", BodySource: "Not yet.", Status: news.StatusDraft,
			Tags: []news.Tag{{Name: "Pipeline leaks"}}, Authors: []news.Author{hidden}})
		f.save(t, &news.Article{Title: "Pipeline tomorrow", BodySource: "Scheduled.", Status: news.StatusPublished,
			PublishedAt: testNow.Add(time.Hour)})

		items := f.suggest(t, "  pipe ")
		if len(items) != 8 {
			t.Fatalf("%d suggestions for pipe, want 8: %v", len(items), items)
		}
		// The newest first; the tag whose second word matches is offered;
		// the draft, the scheduled article, the draft-only tag and the
		// draft-only byline are not.
		if items[0] != (suggestItem{"article", "Pipeline story 0", "/pipeline-story-0/"}) {
			t.Errorf("first suggestion: %v", items[0])
		}
		last := items[len(items)-1]
		if last != (suggestItem{"tag", "Pipeline politics", "/tag/pipeline-politics/"}) {
			t.Errorf("last suggestion: %v", last)
		}
		for _, it := range items {
			if strings.Contains(it.Label, "secrets") || strings.Contains(it.Label, "tomorrow") ||
				strings.Contains(it.Label, "leaks") || strings.Contains(it.Label, "Hidden") {
				t.Errorf("a suggestion readers may not see: %v", it)
			}
		}

		// Sections and people; case does not matter; Cyrillic titles too.
		items = f.suggest(t, "KAZ")
		if len(items) != 1 || items[0] != (suggestItem{"section", "Kazakhstan", "/category/news/kazakhstan/"}) {
			t.Errorf("suggestions for KAZ: %v", items)
		}
		items = f.suggest(t, "sady")
		if len(items) != 1 || items[0] != (suggestItem{"author", "Aigerim Sadykova", "/author/aigerim-sadykova/"}) {
			t.Errorf("suggestions for sady: %v", items)
		}
		items = f.suggest(t, "газо")
		if len(items) != 1 || items[0].Kind != "article" || items[0].Label != "Газопровод открыт" {
			t.Errorf("suggestions for газо: %v", items)
		}
		items = f.suggest(t, "Pipeline story 1")
		if len(items) != 8 || items[0].Label != "Pipeline story 1" || items[1].Label != "Pipeline story 10" {
			t.Errorf("suggestions for Pipeline story 1: %v", items)
		}

		// Too short, empty, LIKE's wildcards and worse: an empty list.
		for _, q := range []string{"", "p", " p ", "%", "%%", "_i", "\\%", "' OR 1=1 --", "pipe\x00line", strings.Repeat("pipe", 500)} {
			if items := f.suggest(t, q); len(items) != 0 {
				t.Errorf("suggestions for %q: %v", q, items)
			}
		}
	})
}
