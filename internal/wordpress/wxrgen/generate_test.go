package wxrgen

import (
	"bytes"
	"io"
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
