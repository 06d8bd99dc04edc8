package media

import (
	"encoding/binary"
	"image"
	"testing"
)

func TestEXIFOrientation(t *testing.T) {
	photo := encodeJPEG(t, gradient(8, 8))
	for _, bo := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := 1; o <= 8; o++ {
			for _, gps := range []bool{false, true} {
				got := exifOrientation(withSegment(photo, 0xE1, exifAPP1(bo, o, gps)))
				if got != o {
					t.Errorf("%v orientation %d gps %v: got %d", bo, o, gps, got)
				}
			}
		}
	}
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"), "<x:xmpmeta/>"...)
	cases := []struct {
		name string
		data []byte
		want int
	}{
		{"no EXIF", photo, 1},
		{"EXIF without orientation", withSegment(photo, 0xE1, exifAPP1(binary.BigEndian, 0, true)), 1},
		{"orientation 9", withSegment(photo, 0xE1, exifAPP1(binary.BigEndian, 9, false)), 1},
		{"orientation 0", withSegment(withSegment(photo, 0xE1, exifAPP1(binary.LittleEndian, 0, false)), 0xE0, []byte("JFIF\x00")), 1},
		{"XMP before EXIF", withSegment(withSegment(photo, 0xE1, exifAPP1(binary.BigEndian, 6, false)), 0xE1, xmp), 6},
		{"EXIF cut short", withSegment(photo, 0xE1, exifAPP1(binary.BigEndian, 6, false)[:20]), 1},
		{"not a JPEG", []byte("II*\x00"), 1},
		{"empty", nil, 1},
	}
	for _, c := range cases {
		if got := exifOrientation(c.data); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
}

func FuzzEXIF(f *testing.F) {
	photo := encodeJPEG(f, gradient(2, 2))
	for o := 0; o <= 9; o++ {
		f.Add(withSegment(photo, 0xE1, exifAPP1(binary.LittleEndian, o, o%2 == 0)))
		f.Add(withSegment(photo, 0xE1, exifAPP1(binary.BigEndian, o, o%2 == 1))[:40])
	}
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := exifOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		if o := tiffOrientation(data); o < 0 || o > 8 {
			t.Fatalf("tiff orientation %d", o)
		}
	})
}

// The expected result of each orientation, built from plain turns and
// mirrors, independently of orient's index arithmetic.
func rot90cw(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out.Set(h-1-y, x, m.At(x, y))
		}
	}
	return out
}

func mirror(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewRGBA(m.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out.Set(w-1-x, y, m.At(x, y))
		}
	}
	return out
}

func TestOrient(t *testing.T) {
	src := gradient(5, 3) // every pixel differs
	r := rot90cw
	want := map[int]*image.RGBA{
		1: src,
		2: mirror(src),
		3: r(r(src)),
		4: mirror(r(r(src))),
		5: mirror(r(src)),
		6: r(src),
		7: mirror(r(r(r(src)))),
		8: r(r(r(src))),
	}
	for o := 1; o <= 8; o++ {
		got := toRGBA(orient(src, o))
		if got.Rect != want[o].Rect || string(got.Pix) != string(want[o].Pix) {
			t.Errorf("orientation %d: wrong pixels (bounds %v, want %v)", o, got.Rect, want[o].Rect)
		}
	}
	// A sub-image whose bounds do not start at 0,0.
	sub := src.SubImage(image.Rect(1, 1, 4, 3))
	if b := orient(sub, 6).Bounds(); b != image.Rect(0, 0, 2, 3) {
		t.Errorf("sub-image turned: %v", b)
	}
}
