package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestRenditionWidths(t *testing.T) {
	for w, want := range map[int]string{
		1:    "[1]",
		320:  "[320]",
		321:  "[320 321]",
		1000: "[320 640 960 1000]",
		1920: "[320 640 960 1280 1920]",
		4000: "[320 640 960 1280 1920]",
	} {
		if got := fmt.Sprint(renditionWidths(w)); got != want {
			t.Errorf("width %d: %s, want %s", w, got, want)
		}
	}
}

func TestResizeFormats(t *testing.T) {
	// Opaque sources become JPEGs, transparent ones PNGs, whatever they were.
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"opaque WebP", readTestdata(t, "photo-12x8.lossy.webp"), "image/jpeg"},
		{"lossless WebP with clear half", readTestdata(t, "half-clear-12x8.lossless.webp"), "image/png"},
		{"lossy WebP with clear half", readTestdata(t, "half-clear-12x8.lossy-alpha.webp"), "image/png"},
		{"opaque PNG", encodePNG(t, gradient(700, 10)), "image/jpeg"},
		{"clear PNG", encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 700, 10))), "image/png"},
	}
	for _, c := range cases {
		info, _, img, err := inspect(bytes.NewReader(c.data), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		rends, err := Resize(img, info.Format != "jpeg" && hasTransparency(img))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rends {
			if r.ContentType != c.want {
				t.Errorf("%s: %d wide is %s, want %s", c.name, r.Width, r.ContentType, c.want)
			}
			var cfg image.Config
			if r.ContentType == "image/png" {
				cfg, err = png.DecodeConfig(bytes.NewReader(r.Data))
			} else {
				cfg, err = jpeg.DecodeConfig(bytes.NewReader(r.Data))
			}
			if err != nil || cfg.Width != r.Width || cfg.Height != r.Height {
				t.Errorf("%s: rendition %d×%d decodes as %+v, %v", c.name, r.Width, r.Height, cfg, err)
			}
		}
	}
}

func TestAnimatedGIFKeepsFirstFrame(t *testing.T) {
	data := encodeGIF(t, solidFrame(400, 300, color.RGBA{255, 0, 0, 255}), solidFrame(400, 300, color.RGBA{0, 0, 255, 255}))
	_, _, img, err := inspect(bytes.NewReader(data), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rends, err := Resize(img, hasTransparency(img))
	if err != nil {
		t.Fatal(err)
	}
	if len(rends) != 2 || rends[0].Width != 320 || rends[0].Height != 240 || rends[1].Width != 400 {
		t.Fatalf("renditions: %+v", rends)
	}
	out, err := jpeg.Decode(bytes.NewReader(rends[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if r, _, b, _ := out.At(100, 100).RGBA(); r < 0xc000 || b > 0x4000 {
		t.Fatalf("first frame is red; got %v", out.At(100, 100))
	}
}

func TestHalve(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 5, 2)) // the odd column is dropped
	copy(src.Pix, []byte{
		0, 0, 0, 255, 100, 100, 100, 255, 10, 20, 30, 40, 10, 20, 30, 40, 9, 9, 9, 9,
		200, 0, 0, 255, 100, 0, 0, 255, 10, 20, 30, 40, 14, 24, 34, 44, 9, 9, 9, 9,
	})
	got := halve(src)
	want := []byte{100, 25, 25, 255, 11, 21, 31, 41}
	if got.Rect != image.Rect(0, 0, 2, 1) || string(got.Pix) != string(want) {
		t.Fatalf("halve = %v %v, want %v", got.Rect, got.Pix, want)
	}
	// Scaling a large image down goes through halving and keeps its size right.
	if b := scale(gradient(1001, 667), 320, 213).Bounds(); b != image.Rect(0, 0, 320, 213) {
		t.Fatalf("scaled to %v", b)
	}
}

func TestHalveYCbCrMatchesRGBA(t *testing.T) {
	img, err := jpeg.Decode(bytes.NewReader(encodeJPEG(t, gradient(101, 61))))
	if err != nil {
		t.Fatal(err)
	}
	y := img.(*image.YCbCr)
	for _, src := range []*image.YCbCr{y, y.SubImage(image.Rect(3, 5, 90, 60)).(*image.YCbCr)} {
		a, b := halveYCbCr(src), halve(toRGBA(src))
		if a.Rect != b.Rect {
			t.Fatalf("bounds %v and %v", a.Rect, b.Rect)
		}
		for i := range a.Pix {
			if d := int(a.Pix[i]) - int(b.Pix[i]); d < -1 || d > 1 {
				t.Fatalf("byte %d: %d and %d", i, a.Pix[i], b.Pix[i])
			}
		}
	}
}
