package wordpress_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
	"dastan/internal/wordpress/wxrgen"
)

// galleryExport is an export whose posts each show an id-less [gallery]
// of images listed after the post, half of them with one of those images
// as featured image: every post needs a fix at the end of the import.
func galleryExport(t *testing.T, posts int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := wxrgen.GenerateExportWith(&b, posts, 11, wxrgen.Options{Galleries: true}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// renderedArticles is what readers get of every imported post and page,
// by WordPress kind and id.
func renderedArticles(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for _, kind := range []string{"post", "page"} {
		m, err := db.WPImportMap(ctx, kind)
		if err != nil {
			t.Fatal(err)
		}
		for wp, e := range m {
			a, err := db.ArticleByID(ctx, e.LocalID)
			if err != nil {
				t.Fatal(err)
			}
			img := ""
			if a.Image != nil {
				img = fmt.Sprintf("%+v", *a.Image)
			}
			out[fmt.Sprintf("%s %d", kind, wp)] = fmt.Sprintf("body:%s\nexcerpt:%s\nminutes:%d\nimage:%s\nsource:%s",
				a.BodyHTML, a.Excerpt, a.ReadingMinutes, img, a.BodySource)
		}
	}
	return out
}

func sameArticles(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d articles, want %d", len(got), len(want))
	}
	bad := 0
	for k, w := range want {
		if g := got[k]; g != w {
			if bad++; bad <= 3 {
				i := 0
				for i < len(g) && i < len(w) && g[i] == w[i] {
					i++
				}
				from := max(i-80, 0)
				t.Errorf("%s differs from an uninterrupted import:\n got …%.300s\nwant …%.300s", k, g[from:], w[from:])
			}
		}
	}
	if bad > 3 {
		t.Errorf("… %d articles differ in all", bad)
	}
}

// galleries counts the rendered galleries among articles.
func galleries(arts map[string]string) int {
	n := 0
	for _, a := range arts {
		n += strings.Count(a, `<div class="gallery`)
	}
	return n
}

// An import interrupted half way and run again ends as one that was not:
// every article's rendered body, excerpt and featured image are the same,
// galleries whose images came after the post included. Interrupted by a
// cancelled context, nothing finishes the deferred fixes (as after
// kill -9); cut off between a post and its images, the fixes run without
// those images.
func TestInterruptedImportEndsAsAWholeOne(t *testing.T) {
	const posts = 80
	src := galleryExport(t, posts)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		whole := renderedArticles(t, importAll(t, db, src))
		if n := galleries(whole); n < posts*9/10 {
			t.Fatalf("an uninterrupted import rendered %d galleries for %d posts", n, posts)
		}

		t.Run("cancelled", func(t *testing.T) {
			db := storetest.Open(t, db.Engine())
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := wordpress.Import(ctx, bytes.NewReader(src), wordpress.Options{Store: db, BatchSize: 10, Workers: 2,
				Progress: func(p wordpress.Progress) {
					if p.Offset > int64(len(src)/2) && ctx.Err() == nil {
						// Let the writer catch up with some of what was
						// read, then stop everything, as a kill would.
						waitForPosts(t, db, posts/4)
						cancel()
					}
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted import: %v", err)
			}
			sameArticles(t, renderedArticles(t, importAll(t, db, src)), whole)
		})

		t.Run("cut off", func(t *testing.T) {
			db := storetest.Open(t, db.Engine())
			cut := cutAfterPost(t, src)
			_, err := importBytes(t, db, cut, nil)
			if !errors.Is(err, wordpress.ErrCutOff) {
				t.Fatalf("cut-off import: %v", err)
			}
			half := renderedArticles(t, db)
			unfinished := 0
			for k, a := range half {
				if a != whole[k] {
					unfinished++
				}
			}
			if len(half) == 0 || len(half) >= posts || unfinished == 0 {
				t.Fatalf("the cut should leave some posts, the last without its images: %d posts, %d unfinished", len(half), unfinished)
			}
			sameArticles(t, renderedArticles(t, importAll(t, db, src)), whole)
		})
	})
}

// waitForPosts returns once the store has n posts.
func waitForPosts(t *testing.T, db *store.DB, n int) {
	for {
		m, err := db.WPImportMap(context.Background(), "post")
		if err != nil {
			t.Error(err)
			return
		}
		if len(m) >= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func importAll(t *testing.T, db *store.DB, src []byte) *store.DB {
	t.Helper()
	if _, err := importBytes(t, db, src, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// cutAfterPost cuts an export right after the post nearest its middle,
// before the images uploaded to it.
func cutAfterPost(t *testing.T, src []byte) []byte {
	t.Helper()
	mid := len(src) / 2
	i := bytes.Index(src[mid:], []byte("<wp:post_type><![CDATA[post]]></wp:post_type>"))
	if i < 0 {
		t.Fatal("no post after the middle of the export")
	}
	end := bytes.Index(src[mid+i:], []byte("</item>\n"))
	return src[:mid+i+end+len("</item>\n")]
}
