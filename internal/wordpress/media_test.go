package wordpress_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dastan/internal/media"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
	"dastan/internal/wordpress"
)

// jpegOf makes a real w×h JPEG whose pixels depend on seed.
func jpegOf(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x) + seed, uint8(y), seed, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func library(db *store.DB, dir string) wordpress.Library {
	return wordpress.Library{Service: &media.Service{Store: db, Storage: media.NewLocalStorage(dir)}}
}

// Files come from the uploads folder into the media library, once per
// content; a missing one is reported and the import goes on.
func TestImportMedia(t *testing.T) {
	src := readExport(t)
	uploads := t.TempDir()
	img := jpegOf(t, 800, 500, 1)
	for _, rel := range []string{"2008/06/canola2.jpg", "2008/06/100_5478.jpg"} {
		p := filepath.Join(uploads, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := storetest.Open(t, "sqlite")
	mediaDir := t.TempDir()
	m := &wordpress.Media{Source: wordpress.DirSource{Root: uploads}, Store: library(db, mediaDir)}
	rep, err := importBytes(t, db, src, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.MissingMedia) == 0 {
		t.Error("missing files not reported")
	}
	atts, _ := db.WPAttachments(context.Background())
	var got []string
	for _, a := range atts {
		if a.LocalURL != "" {
			got = append(got, a.LocalURL)
		}
	}
	// canola2.jpg and 100_5478.jpg are both attachments, with equal
	// content: one library item, shown by its largest rendition.
	if len(got) != 2 || got[0] != got[1] || !strings.HasPrefix(got[0], "/media/") || !strings.HasSuffix(got[0], "-800.jpg") {
		t.Errorf("attachments with files: %v", got)
	}
	items, total, err := db.ListMedia(context.Background(), "", 10, 0)
	if err != nil || total != 1 {
		t.Fatalf("library holds %d items (%v), want 1", total, err)
	}
	if w := items[0].Widths(); len(w) < 2 || w[len(w)-1] != 800 {
		t.Errorf("renditions %v", w)
	}
	// The library item takes the words WordPress kept for its attachments.
	words := map[string]bool{}
	for _, a := range atts {
		if a.LocalURL != "" {
			words[a.Alt+"|"+a.Caption] = true
		}
	}
	if got := items[0].Alt + "|" + items[0].Caption; !words[got] || got == "|" {
		t.Errorf("library item's alt|caption %q, want one of %v", got, words)
	}
	body := byWP(t, db, "post", 1163).BodyHTML
	if !strings.Contains(body, `src="/media/`) || strings.Contains(body, "100_5478.jpg") {
		t.Errorf("caption post's image not rewritten:\n%s", body)
	}
}

// An export's images become library items with renditions; the featured
// image carries a srcset; audio and PDF are kept as files; WordPress's
// smaller sizes resolve to their original; other types are refused.
func TestImportMediaTypes(t *testing.T) {
	uploads := t.TempDir()
	files := map[string][]byte{
		"2025/03/steppe.jpg": jpegOf(t, 1400, 900, 2),
		"2025/03/anthem.mp3": append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{0x55}, 600)...),
		"2025/03/report.pdf": []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"),
		"2025/03/fake.pdf":   []byte("<html><script>alert(1)</script></html>"),
		"2025/03/tool.exe":   []byte("MZ\x90\x00"),
	}
	for rel, b := range files {
		p := filepath.Join(uploads, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	up := "https://timesca.example/wp-content/uploads/2025/03/"
	body := `<img src="` + up + `steppe-300x193.jpg" alt="Steppe">` + "\n\n" +
		`[audio mp3="` + up + `anthem.mp3"][/audio]` + "\n\n" +
		`<a href="` + up + `report.pdf">Report</a> <a href="` + up + `fake.pdf">Fake</a> <a href="` + up + `tool.exe">Tool</a>`
	doc := wxrDoc("https", "1.2", true,
		wxrAttachment(21, 20, up+"steppe.jpg", "The steppe"),
		wxrPost(20, "steppe", "The steppe in spring", body, "_thumbnail_id", "21"),
	)
	db := storetest.Open(t, "sqlite")
	mediaDir := t.TempDir()
	m := &wordpress.Media{Source: wordpress.DirSource{Root: uploads}, Store: library(db, mediaDir)}
	rep, err := importBytes(t, db, []byte(doc), m)
	if err != nil {
		t.Fatal(err)
	}
	a := byWP(t, db, "post", 20)
	if a.Image == nil || !strings.HasSuffix(a.Image.URL, "-1400.jpg") || !strings.Contains(a.Image.SrcSet, "320w") || a.Image.Width != 1400 || a.Image.Height != 900 || a.Image.Alt != "The steppe" {
		t.Errorf("featured image %+v", a.Image)
	}
	if strings.Contains(a.BodyHTML, "steppe-300x193") || !strings.Contains(a.BodyHTML, a.Image.URL) {
		t.Errorf("sized image not resolved to the original:\n%s", a.BodyHTML)
	}
	for _, want := range []string{".mp3", ".pdf"} {
		if !strings.Contains(a.BodyHTML, `/media/`) || !strings.Contains(a.BodyHTML, want) {
			t.Errorf("no %s in body:\n%s", want, a.BodyHTML)
		}
	}
	if strings.Contains(a.BodyHTML, up+"report.pdf") || strings.Contains(a.BodyHTML, up+"anthem.mp3") {
		t.Errorf("file URLs not rewritten:\n%s", a.BodyHTML)
	}
	if !strings.Contains(a.BodyHTML, up+"fake.pdf") || !strings.Contains(a.BodyHTML, up+"tool.exe") {
		t.Errorf("refused files should keep their old URL:\n%s", a.BodyHTML)
	}
	missing := strings.Join(rep.MissingMedia, "\n")
	// An .exe is not taken for an upload at all: its link is left alone.
	if !strings.Contains(missing, "fake.pdf (the file's content") || strings.Contains(missing, "tool.exe") {
		t.Errorf("missing: %q", missing)
	}
	if strings.Contains(missing, "steppe") {
		t.Errorf("the sized image's original was found, yet reported: %q", missing)
	}
	if _, total, _ := db.ListMedia(context.Background(), "", 10, 0); total != 1 {
		t.Errorf("library holds %d items, want the one image", total)
	}
	var stored []string
	filepath.Walk(mediaDir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			stored = append(stored, filepath.Base(p))
		}
		return nil
	})
	for _, ext := range []string{".mp3", ".pdf"} {
		n := 0
		for _, s := range stored {
			if strings.HasSuffix(s, ext) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d %s files stored: %v", n, ext, stored)
		}
	}
}

// Files fetched from the old site: concurrently, a 404 reported and not
// retried, a server error retried, a server that never answers or stops
// sending given up on after the wait (a file stopped halfway is fetched
// once more), and a file that comes slowly, taking longer than the wait
// in all, brought over whole.
func TestImportMediaOverHTTP(t *testing.T) {
	img := jpegOf(t, 700, 400, 3)
	var flaky, notFound, inFlight, most, stops, stopsOnce atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		switch r.URL.Path {
		case "/wp-content/uploads/2025/03/a.jpg", "/wp-content/uploads/2025/03/b.jpg", "/wp-content/uploads/2025/03/c.jpg":
			w.Write(img)
		case "/wp-content/uploads/2025/03/flaky.jpg":
			if flaky.Add(1) == 1 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			w.Write(jpegOf(t, 300, 200, 4))
		case "/wp-content/uploads/2025/03/slow.jpg":
			<-r.Context().Done() // never answers: only the wait ends it
		case "/wp-content/uploads/2025/03/trickle.jpg":
			// A quarter of the file every 300 ms: 1.2 s in all, more than
			// the wait, but never a wait without bytes.
			q := (len(img) + 3) / 4
			for i := 0; i < len(img); i += q {
				w.Write(img[i:min(i+q, len(img))])
				w.(http.Flusher).Flush()
				time.Sleep(300 * time.Millisecond)
			}
		case "/wp-content/uploads/2025/03/stops.jpg", "/wp-content/uploads/2025/03/stops-once.jpg":
			// Half the file, then nothing: every time, or the first time.
			if strings.HasSuffix(r.URL.Path, "once.jpg") && stopsOnce.Add(1) > 1 {
				w.Write(img)
				return
			}
			stops.Add(1)
			w.Header().Set("Content-Length", strconv.Itoa(len(img)))
			w.Write(img[:len(img)/2])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		default:
			notFound.Add(1)
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	up := "https://timesca.example/wp-content/uploads/2025/03/"
	var body strings.Builder
	for _, name := range []string{"a", "b", "c", "flaky", "slow", "gone", "trickle", "stops", "stops-once"} {
		body.WriteString(`<p><img src="` + up + name + `.jpg"></p>`)
	}
	doc := wxrDoc("https", "1.2", true, wxrPost(30, "pictures", "Pictures", body.String()))
	db := storetest.Open(t, "sqlite")
	m := &wordpress.Media{
		// The wait is what gives up on the slow file, which never
		// answers, and on the one that stops; it is long enough that
		// the others, answered at once, are never cut off on a busy
		// machine, and the trickle's gaps stay well within it.
		Source: wordpress.HTTPSource{Base: srv.URL + "/wp-content/uploads", Wait: time.Second,
			Retries: 2, Backoff: 10 * time.Millisecond},
		Store: library(db, t.TempDir()), Concurrency: 4,
	}
	// The slow file never answers, so the import ending at all shows it
	// was not held up: the timeout let it go, and the report says so.
	rep, err := importBytes(t, db, []byte(doc), m)
	if err != nil {
		t.Fatal(err)
	}
	missing := strings.Join(rep.MissingMedia, "\n")
	if !strings.Contains(missing, "gone.jpg (not found)") || !strings.Contains(missing, "slow.jpg (timed out)") ||
		!strings.Contains(missing, "stops.jpg (timed out)") || len(rep.MissingMedia) != 3 {
		t.Errorf("missing: %q", rep.MissingMedia)
	}
	if notFound.Load() != 1 {
		t.Errorf("a 404 was asked for %d times, want once", notFound.Load())
	}
	if flaky.Load() != 2 {
		t.Errorf("the failing file was asked for %d times, want 2", flaky.Load())
	}
	if stops.Load() != 3 || stopsOnce.Load() != 2 {
		t.Errorf("files stopping halfway cut %d times, the one stopping once asked %d times; want 3 (twice, once) and 2",
			stops.Load(), stopsOnce.Load())
	}
	if most.Load() < 2 {
		t.Errorf("at most %d requests at a time: fetching is not concurrent", most.Load())
	}
	html := byWP(t, db, "post", 30).BodyHTML
	if strings.Count(html, `src="/media/`) != 6 || !strings.Contains(html, up+"gone.jpg") || !strings.Contains(html, up+"stops.jpg") {
		t.Errorf("body:\n%s", html)
	}
}
