package wxrgen

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"dastan/internal/wordpress"
)

func TestGeneratedExportReads(t *testing.T) {
	var a, b bytes.Buffer
	if err := GenerateExport(&a, 300, 7); err != nil {
		t.Fatal(err)
	}
	if err := GenerateExport(&b, 300, 7); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed, different exports")
	}
	r := wordpress.NewReader(&a)
	counts := map[string]int{}
	var captions, blocks, ru, comments, seo, nested, drafts int
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch v := rec.(type) {
		case *wordpress.Category:
			if v.Parent != "" {
				nested++
			}
		case *wordpress.Item:
			counts[v.Type]++
			if v.Type != "post" {
				continue
			}
			if bytes.Contains([]byte(v.Content), []byte("[caption id=\"attachment_")) {
				captions++
			}
			if bytes.Contains([]byte(v.Content), []byte("<!-- wp:paragraph -->")) {
				blocks++
			}
			if bytes.ContainsAny([]byte(v.Title), "абвгдежзиклмнопрстуфхцчшщыэюя") {
				ru++
			}
			if title, _ := v.SEO(); title != "" {
				seo++
			}
			if v.Status == "draft" && v.PostDateGMT.IsZero() && v.PublishedGMT().IsZero() {
				t.Errorf("draft %d has no date at all", v.ID)
			}
			if v.Status == "draft" {
				drafts++
			}
			comments += len(v.Comments)
			if v.PublishedGMT().IsZero() || len(v.CategorySlugs()) == 0 {
				t.Errorf("post %d: date %s categories %v", v.ID, v.PublishedGMT(), v.CategorySlugs())
			}
		}
	}
	if counts["post"] != 300 || counts["attachment"] == 0 {
		t.Errorf("counts = %v", counts)
	}
	if captions == 0 || blocks == 0 || ru == 0 || comments == 0 || seo == 0 || nested < 5 {
		t.Errorf("captions %d blocks %d russian %d comments %d seo %d nested categories %d", captions, blocks, ru, comments, seo, nested)
	}
	if r.Replaced() != 0 {
		t.Errorf("generator wrote %d characters XML forbids", r.Replaced())
	}
}

// Options.News gives the proportions of the WordPress news corpus that
// issue 17 measured: 828 words a post, 30 % with a [caption], 10 % in
// Russian, 4.5 tags a post, 25 % in two categories (each within a tenth
// of its share, over 2,000 posts).
func TestNewsShapedExport(t *testing.T) {
	var buf bytes.Buffer
	if err := GenerateExportWith(&buf, 2000, 3, Options{News: true}); err != nil {
		t.Fatal(err)
	}
	r := wordpress.NewReader(&buf)
	var posts, words, captions, ru, tags, twoCats float64
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		it, ok := rec.(*wordpress.Item)
		if !ok || it.Type != "post" {
			continue
		}
		posts++
		words += float64(len(strings.Fields(it.Content)))
		if strings.Contains(it.Content, "[caption id=\"attachment_") {
			captions++
		}
		if strings.ContainsAny(it.Title, "абвгдежзиклмнопрстуфхцчшщыэюя") {
			ru++
		}
		for _, term := range it.Terms {
			if term.Domain == "post_tag" {
				tags++
			}
		}
		if len(it.CategorySlugs()) == 2 {
			twoCats++
		}
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"words a post", words / posts, 828}, {"share with a caption", captions / posts, 0.30},
		{"share in Russian", ru / posts, 0.10}, {"tags a post", tags / posts, 4.5}, {"share in two categories", twoCats / posts, 0.25},
	} {
		if c.got < c.want*0.9 || c.got > c.want*1.1 {
			t.Errorf("%s: %.3f, want %.3f", c.what, c.got, c.want)
		}
	}
}
