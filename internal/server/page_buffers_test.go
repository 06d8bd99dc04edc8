package server_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// TestPagesKeepTheirBytesWhileOthersRender: pages are rendered into
// buffers that go back to a pool once written. A page the page cache
// keeps, and a page being written, must not share its bytes with the
// next pages rendered: with readers of many pages at once, with the page
// cache on and off, every page is the same as when it was first read.
func TestPagesKeepTheirBytesWhileOthersRender(t *testing.T) {
	for _, cached := range []bool{true, false} {
		t.Run(fmt.Sprintf("cached=%t", cached), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				cfg := testConfig(t)
				cfg.PageCache = cached
				f := newFixtureConfig(t, db, cfg)
				paths := []string{"/", "/category/news/kazakhstan/", "/tag/energy/", "/no-such-story/"}
				for i := range 8 {
					paths = append(paths, fmt.Sprintf("/pipeline-story-%d/", i))
				}
				first := map[string]string{}
				for _, p := range paths {
					_, first[p] = f.get(t, p)
				}
				var wg sync.WaitGroup
				errs := make(chan error, len(paths)*8)
				for reader := range 8 {
					wg.Go(func() {
						for round := range 5 {
							p := paths[(reader+round)%len(paths)]
							resp, err := http.Get(f.srv.URL + p)
							if err != nil {
								errs <- err
								return
							}
							b, err := io.ReadAll(resp.Body)
							resp.Body.Close()
							if err != nil {
								errs <- err
							} else if string(b) != first[p] {
								errs <- fmt.Errorf("%s changed between readings: %d bytes, first %d", p, len(b), len(first[p]))
							}
						}
					})
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Error(err)
				}
			})
		})
	}
}
