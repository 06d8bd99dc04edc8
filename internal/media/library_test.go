package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/media"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// author uploads and editor edits in these tests; who may do what is
// tested in rules_test.go.
var (
	author = auth.User{ID: 3, Role: auth.Author}
	editor = auth.User{ID: 4, Role: auth.Editor}
)

func newService(t testing.TB, db *store.DB) (*media.Service, string) {
	dir := t.TempDir()
	return &media.Service{Store: db, Storage: media.NewLocalStorage(dir)}, dir
}

// stored returns every file under dir, by path relative to it.
func stored(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func photo(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withSegment inserts a JPEG segment after SOI.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(append(append(append([]byte{}, jpg[:2]...), seg...), payload...), jpg[2:]...)
}

// exifWithGPS is an APP1 payload: orientation o in IFD0 and a GPS IFD
// holding a latitude and a marker string.
func exifWithGPS(o int, mark string) []byte {
	be := binary.BigEndian
	t := []byte("MM\x00*\x00\x00\x00\x08")
	t = be.AppendUint16(t, 2)
	t = append(t, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0)
	gpsOff := uint32(8 + 2 + 24 + 4)
	t = append(t, 0x88, 0x25, 0, 4, 0, 0, 0, 1)
	t = be.AppendUint32(t, gpsOff)
	t = be.AppendUint32(t, 0)
	t = be.AppendUint16(t, 2)
	t = append(t, 0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0)
	t = append(t, 0, 0x12, 0, 2)
	t = be.AppendUint32(t, uint32(len(mark)+1))
	t = be.AppendUint32(t, gpsOff+2+24+4)
	t = be.AppendUint32(t, 0)
	t = append(t, mark+"\x00"...)
	return append([]byte("Exif\x00\x00"), t...)
}

func TestUploadRenditionsAndSrcSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, dir := newService(t, db)
		data := photo(t, 1000, 600)
		m, err := svc.Upload(ctx, author, `C:\Users\desk\Ala-Too.jpg`, bytes.NewReader(data),
			media.Text{Caption: " Ala-Too Square\r\n", Credit: "Photo: TCA", Alt: "A square in Bishkek"})
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.Width != 1000 || m.Height != 600 || m.ContentType != "image/jpeg" || m.Bytes != int64(len(data)) ||
			m.Filename != "Ala-Too.jpg" || m.Caption != "Ala-Too Square" || m.UserID != 3 {
			t.Fatalf("item = %+v", m)
		}
		if fmt.Sprint(m.Widths()) != "[320 640 960 1000]" {
			t.Fatalf("widths = %v", m.Widths())
		}
		sha := m.SHA256
		wantSrcSet := fmt.Sprintf("/media/%s/%s/%s-320.jpg 320w, /media/%[1]s/%[2]s/%[3]s-640.jpg 640w, /media/%[1]s/%[2]s/%[3]s-960.jpg 960w, /media/%[1]s/%[2]s/%[3]s-1000.jpg 1000w",
			sha[:2], sha[2:4], sha)
		if got := svc.SrcSet(m); got != wantSrcSet {
			t.Fatalf("srcset:\n got %s\nwant %s", got, wantSrcSet)
		}
		fig := svc.Figure(m)
		if fig.URL != "/media/"+m.Renditions[1000] || fig.Width != 1000 || fig.Height != 600 || fig.Alt != m.Alt || fig.SrcSet != wantSrcSet {
			t.Fatalf("figure = %+v", fig)
		}
		if u := svc.URL(m, 500); !strings.HasSuffix(u, "-640.jpg") {
			t.Fatalf("URL(500) = %s", u)
		}
		files := stored(t, dir)
		if len(files) != 4 {
			t.Fatalf("stored %d files: %v", len(files), files)
		}
		for w, key := range m.Renditions {
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(files[key]))
			if err != nil || cfg.Width != w || cfg.Height != (600*w+500)/1000 {
				t.Errorf("rendition %d: %v %+v", w, err, cfg)
			}
		}

		// The same bytes again, under another name: the same item, no new files.
		again, err := svc.Upload(ctx, author, "copy.jpeg", bytes.NewReader(data), media.Text{Caption: "other"})
		if err != nil || again.ID != m.ID || again.Caption != "Ala-Too Square" {
			t.Fatalf("second upload: %v %+v", err, again)
		}
		if len(stored(t, dir)) != 4 {
			t.Fatal("second upload wrote files")
		}

		if err := svc.Edit(ctx, editor, m.ID, media.Text{Alt: "Ala-Too Square at dusk", Caption: "  Bishkek, 2025 ", Credit: "Photo: TCA"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.MediaByID(ctx, m.ID); got.Alt != "Ala-Too Square at dusk" || got.Caption != "Bishkek, 2025" {
			t.Fatalf("after Edit: %+v", got)
		}

		if err := svc.Delete(ctx, editor, m.ID); err != nil {
			t.Fatal(err)
		}
		if n := len(stored(t, dir)); n != 0 {
			t.Fatalf("%d files left after delete", n)
		}
		if _, err := db.MediaByID(ctx, m.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("row left after delete: %v", err)
		}
	})
}

func TestUploadHostileFilesByName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, dir := newService(t, db)
		var gifBuf, pngBuf bytes.Buffer
		gif.Encode(&gifBuf, image.NewPaletted(image.Rect(0, 0, 30, 20), color.Palette{color.White}), nil)
		clear := image.NewNRGBA(image.Rect(0, 0, 30, 20))
		clear.Set(3, 3, color.NRGBA{255, 0, 0, 128})
		png.Encode(&pngBuf, clear)
		payload := "PK\x03\x04<script>alert(document.cookie)</script>"
		cases := []struct {
			name     string
			data     []byte
			want     error
			ctype    string
			rendType string
		}{
			{"photo.jpg", gifBuf.Bytes(), nil, "image/gif", ".jpg"},    // a GIF, by content
			{"photo.png", photo(t, 40, 30), nil, "image/jpeg", ".jpg"}, // a JPEG, by content
			{"clear.gif", pngBuf.Bytes(), nil, "image/png", ".png"},    // transparency kept as PNG
			{"photo.jpg", []byte("<html><script>x</script>"), media.ErrNotImage, "", ""},
			{"logo.png", []byte(`<svg><script>x</script></svg>`), media.ErrSVG, "", ""},
			{"polyglot.jpg", append(photo(t, 50, 40), payload...), nil, "image/jpeg", ".jpg"},
		}
		for _, c := range cases {
			m, err := svc.Upload(ctx, author, c.name, bytes.NewReader(c.data), media.Text{})
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if m.ContentType != c.ctype {
				t.Errorf("%s: content type %s, want %s", c.name, m.ContentType, c.ctype)
			}
			for _, k := range m.Renditions {
				if !strings.HasSuffix(k, c.rendType) {
					t.Errorf("%s: rendition %s, want %s", c.name, k, c.rendType)
				}
			}
		}
		for key, b := range stored(t, dir) {
			if bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte("PK\x03\x04")) {
				t.Errorf("%s holds the polyglot's payload", key)
			}
		}
	})
}

func TestUploadOrientsAndStripsLocation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, dir := newService(t, db)

		// 4 × 2, orientation 6: stored 2 × 4.
		small := withSegment(photo(t, 4, 2), 0xE1, exifWithGPS(6, "GPS-MARK-43N"))
		m, err := svc.Upload(ctx, author, "phone.jpg", bytes.NewReader(small), media.Text{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Width != 2 || m.Height != 4 || fmt.Sprint(m.Widths()) != "[2]" {
			t.Fatalf("4×2 with orientation 6: %d×%d, widths %v", m.Width, m.Height, m.Widths())
		}

		// 40 × 20, left half red and right half blue, orientation 6: the
		// red half ends up on top.
		img := image.NewRGBA(image.Rect(0, 0, 40, 20))
		for y := 0; y < 20; y++ {
			for x := 0; x < 40; x++ {
				c := color.RGBA{220, 0, 0, 255}
				if x >= 20 {
					c = color.RGBA{0, 0, 220, 255}
				}
				img.Set(x, y, c)
			}
		}
		var b bytes.Buffer
		jpeg.Encode(&b, img, &jpeg.Options{Quality: 95})
		data := withSegment(b.Bytes(), 0xE1, exifWithGPS(6, "GPS-MARK-43N"))
		m, err = svc.Upload(ctx, author, "turned.jpg", bytes.NewReader(data), media.Text{})
		if err != nil {
			t.Fatal(err)
		}
		f, _ := os.ReadFile(filepath.Join(dir, m.Renditions[20]))
		out, err := jpeg.Decode(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		if out.Bounds().Dx() != 20 || out.Bounds().Dy() != 40 {
			t.Fatalf("turned size %v", out.Bounds())
		}
		top, bottom := out.At(10, 5), out.At(10, 35)
		if r, _, bl, _ := top.RGBA(); r < bl {
			t.Errorf("top is not red: %v", top)
		}
		if r, _, bl, _ := bottom.RGBA(); bl < r {
			t.Errorf("bottom is not blue: %v", bottom)
		}

		for key, b := range stored(t, dir) {
			for _, s := range []string{"Exif", "GPS-MARK-43N", "MM\x00*"} {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s still holds %q", key, s)
				}
			}
		}
	})
}

// failingStorage fails the nth Put, or runs after() once n Puts are done.
type failingStorage struct {
	media.Storage
	n, puts int
	after   func()
}

func (f *failingStorage) Put(ctx context.Context, key string, r io.Reader, ct string) error {
	f.puts++
	if f.after == nil && f.puts == f.n {
		return errors.New("disk full")
	}
	if err := f.Storage.Put(ctx, key, r, ct); err != nil {
		return err
	}
	if f.after != nil && f.puts == f.n {
		f.after()
	}
	return nil
}

func TestUploadLeavesNothingOnFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dir := t.TempDir()
		data := photo(t, 1000, 600) // four renditions

		// The third file cannot be written.
		svc := &media.Service{Store: db, Storage: &failingStorage{Storage: media.NewLocalStorage(dir), n: 3}}
		if _, err := svc.Upload(context.Background(), author, "a.jpg", bytes.NewReader(data), media.Text{}); err == nil {
			t.Fatal("upload succeeded with a failing disk")
		}
		if files := stored(t, dir); len(files) != 0 {
			t.Fatalf("files left after a storage failure: %v", files)
		}

		// Every file is written, then the database write fails (the request
		// is cancelled just before it).
		ctx, cancel := context.WithCancel(context.Background())
		svc.Storage = &failingStorage{Storage: media.NewLocalStorage(dir), n: 4, after: cancel}
		if _, err := svc.Upload(ctx, author, "a.jpg", bytes.NewReader(data), media.Text{}); err == nil {
			t.Fatal("upload succeeded with a failing database")
		}
		if files := stored(t, dir); len(files) != 0 {
			t.Fatalf("files left after a database failure: %v", files)
		}
		if _, total, _ := db.ListMedia(context.Background(), "", 10, 0); total != 0 {
			t.Fatalf("%d rows after failed uploads", total)
		}
	})
}

func BenchmarkUpload4000x3000(b *testing.B) {
	db := storetest.Open(b, "sqlite")
	svc, _ := newService(b, db)
	src := photo(b, 4000, 3000)
	ctx := context.Background()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// A comment segment makes each upload a new file, so none is
		// answered from the library.
		data := withSegment(src, 0xFE, fmt.Appendf(nil, "upload %d", i))
		if _, err := svc.Upload(ctx, author, "big.jpg", bytes.NewReader(data), media.Text{}); err != nil {
			b.Fatal(err)
		}
	}
}
