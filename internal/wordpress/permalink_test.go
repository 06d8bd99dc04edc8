package wordpress

import (
	"reflect"
	"testing"
)

func TestOldPaths(t *testing.T) {
	for _, c := range []struct {
		name string
		it   Item
		base string
		want []string
	}{
		{"dated permalink", Item{ID: 29119, Type: "post", Link: "https://timesca.com/2025/03/26/kazakhstan-rates/", GUID: "https://timesca.com/?p=29119"},
			"https://timesca.com", []string{"/2025/03/26/kazakhstan-rates/", "/?p=29119"}},
		{"plain permalink", Item{ID: 12, Type: "post", Link: "https://timesca.com/?p=12", GUID: "https://timesca.com/?p=12"},
			"https://timesca.com", []string{"/?p=12"}},
		{"page", Item{ID: 2, Type: "page", Link: "https://timesca.com/about/", GUID: "https://timesca.com/?page_id=2"},
			"https://timesca.com/", []string{"/about/", "/?page_id=2"}},
		{"subdirectory", Item{ID: 5, Type: "post", Link: "https://example.org/blog/hello/"},
			"https://example.org/blog", []string{"/blog/hello/", "/blog/?p=5"}},
		{"www and moved guid", Item{ID: 7, Type: "attachment", Link: "https://www.timesca.com/photo/", GUID: "http://old-host.example/photo.jpg"},
			"https://timesca.com", []string{"/photo/", "/?attachment_id=7"}},
		{"cyrillic slug", Item{ID: 9, Type: "post", Link: "https://timesca.com/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8/"},
			"https://timesca.com", []string{"/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8/", "/?p=9"}},
		{"guid not a url", Item{ID: 3, Type: "post", Link: "https://timesca.com/x/", GUID: "urn:uuid:1"},
			"https://timesca.com", []string{"/x/", "/?p=3"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := OldPaths(&c.it, c.base); !reflect.DeepEqual(got, c.want) {
				t.Errorf("OldPaths = %q, want %q", got, c.want)
			}
		})
	}
}

func TestPathOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://timesca.com":                   "/",
		"https://timesca.com/a/b/?utm=x#frag":   "/a/b/?utm=x",
		"/relative/":                            "/relative/",
		"not a url":                             "",
		"https://timesca.com/%D0%BD%D0%BE%D0%B": "",
	} {
		if got := PathOf(in); got != want {
			t.Errorf("PathOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArchivePaths(t *testing.T) {
	if got := OldCategoryPath([]string{"news", "kazakhstan"}); got != "/category/news/kazakhstan/" {
		t.Errorf("OldCategoryPath = %q", got)
	}
	if got := OldCategoryPath(nil); got != "" {
		t.Errorf("OldCategoryPath(nil) = %q", got)
	}
	if got := OldTagPath("tokayev"); got != "/tag/tokayev/" {
		t.Errorf("OldTagPath = %q", got)
	}
	if got := OldAuthorPath("Editor"); got != "/author/editor/" {
		t.Errorf("OldAuthorPath = %q", got)
	}
	parents := map[string]string{"kazakhstan": "news", "news": "", "loop-a": "loop-b", "loop-b": "loop-a"}
	if got := CategoryChain("kazakhstan", parents); !reflect.DeepEqual(got, []string{"news", "kazakhstan"}) {
		t.Errorf("CategoryChain = %q", got)
	}
	if got := CategoryChain("loop-a", parents); !reflect.DeepEqual(got, []string{"loop-b", "loop-a"}) {
		t.Errorf("CategoryChain with a loop = %q", got)
	}
	if got := DecodeSlug("%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8"); got != "новости" {
		t.Errorf("DecodeSlug = %q", got)
	}
	if got := DecodeSlug("100%-sure"); got != "100%-sure" {
		t.Errorf("DecodeSlug(bad) = %q", got)
	}
}
