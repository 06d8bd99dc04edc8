package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"testing"
)

func TestInspectHostileFiles(t *testing.T) {
	photo := encodeJPEG(t, gradient(64, 48))
	pngOK := encodePNG(t, gradient(10, 10))
	gifOK := encodeGIF(t, solidFrame(8, 8, color.RGBA{200, 0, 0, 255}))
	webpAlpha := readTestdata(t, "half-clear-12x8.lossy-alpha.webp")
	animWebP := append([]byte{}, webpAlpha...)
	animWebP[20] |= 0x02

	cases := []struct {
		name    string
		data    []byte
		want    error  // nil: accepted
		format  string // when accepted
		w, h    int
		message string // when set, the exact message
	}{
		{"zero bytes", nil, ErrEmpty, "", 0, 0, "the file is empty"},
		{"1×1 JPEG", encodeJPEG(t, gradient(1, 1)), nil, "jpeg", 1, 1, ""},
		{"1×1 PNG", encodePNG(t, gradient(1, 1)), nil, "png", 1, 1, ""},
		{"1×1 GIF", encodeGIF(t, solidFrame(1, 1, color.White)), nil, "gif", 1, 1, ""},
		{"JPEG", photo, nil, "jpeg", 64, 48, ""},
		{"PNG", pngOK, nil, "png", 10, 10, ""},
		{"GIF", gifOK, nil, "gif", 8, 8, ""},
		{"WebP lossy", readTestdata(t, "photo-12x8.lossy.webp"), nil, "webp", 12, 8, ""},
		{"WebP lossless", readTestdata(t, "half-clear-12x8.lossless.webp"), nil, "webp", 12, 8, ""},
		{"WebP with alpha", webpAlpha, nil, "webp", 12, 8, ""},

		{"PNG bomb 100000×100000", pngHeaderOnly(100000, 100000), ErrTooManyPixels, "", 0, 0,
			"the image is 100000 × 100000 pixels; the largest accepted is 50 megapixels and 12000 pixels on a side"},
		{"PNG 12001 wide", pngHeaderOnly(12001, 1), ErrTooManyPixels, "", 0, 0, ""},
		{"PNG 10000×10000 (100 MP, sides allowed)", pngHeaderOnly(10000, 10000), ErrTooManyPixels, "", 0, 0, ""},
		{"PNG 0×0", pngHeaderOnly(0, 0), ErrDamaged, "", 0, 0, ""},
		{"PNG within limits, data missing", pngHeaderOnly(300, 300), ErrDamaged, "", 0, 0, ""},
		{"JPEG bomb 65000×65000", jpegWithSize(photo, 65000, 65000), ErrTooManyPixels, "", 0, 0, ""},
		{"GIF bomb 65535×65535", gifWithScreen(gifOK, 65535, 65535), ErrTooManyPixels, "", 0, 0, ""},
		{"WebP canvas 16000×16000", webpCanvas(webpAlpha, 16000, 16000), ErrTooManyPixels, "", 0, 0, ""},
		{"animated WebP", animWebP, ErrAnimWebP, "", 0, 0, ""},

		{"truncated JPEG", photo[:len(photo)/2], ErrDamaged, "", 0, 0, "the image is incomplete or damaged"},
		{"JPEG without its end marker", photo[:len(photo)-2], ErrDamaged, "", 0, 0, ""},
		{"JPEG header only", photo[:200], ErrDamaged, "", 0, 0, ""},
		{"truncated PNG", pngOK[:len(pngOK)-20], ErrDamaged, "", 0, 0, ""},
		{"truncated GIF", gifOK[:len(gifOK)/2], ErrDamaged, "", 0, 0, ""},
		{"truncated WebP", webpAlpha[:len(webpAlpha)/2], ErrDamaged, "", 0, 0, ""},
		{"magic bytes only", []byte{0xFF, 0xD8, 0xFF}, ErrDamaged, "", 0, 0, ""},

		{"SVG with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`),
			ErrSVG, "", 0, 0, "SVG images are not accepted, because they can carry scripts"},
		{"SVG with prolog, BOM and doctype", []byte("\xEF\xBB\xBF\n  <?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<SVG onload=\"alert(1)\"/>"), ErrSVG, "", 0, 0, ""},
		{"HTML named photo.jpg", []byte("<!doctype html><html><body><script>alert(1)</script></body></html>"),
			ErrNotImage, "", 0, 0, "this is not a JPEG, PNG, WebP or GIF image"},
		{"PDF", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), ErrNotImage, "", 0, 0, ""},
		{"ZIP", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), ErrNotImage, "", 0, 0, ""},
		{"ELF executable", []byte("\x7fELF\x02\x01\x01\x00"), ErrNotImage, "", 0, 0, ""},
		{"Windows executable", []byte("MZ\x90\x00\x03\x00\x00\x00"), ErrNotImage, "", 0, 0, ""},
		{"BMP", []byte("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00"), ErrNotImage, "", 0, 0, ""},
		{"RIFF that is not WebP (WAV)", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), ErrNotImage, "", 0, 0, ""},
		{"text", []byte("just words"), ErrNotImage, "", 0, 0, ""},

		{"JPEG + ZIP polyglot", append(append([]byte{}, photo...), "PK\x03\x04<script>alert(1)</script>"...), nil, "jpeg", 64, 48, ""},
		{"PNG + HTML polyglot", append(append([]byte{}, pngOK...), "<html><script>alert(1)</script>"...), nil, "png", 10, 10, ""},
		{"GIF + ZIP polyglot (GIFAR)", append(append([]byte{}, gifOK...), "PK\x03\x04META-INF/"...), nil, "gif", 8, 8, ""},
		{"JPEG with script in a comment", withSegment(photo, 0xFE, []byte("<?php system($_GET['c']); ?>")), nil, "jpeg", 64, 48, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, data, err := Inspect(bytes.NewReader(c.data), Limits{})
			if c.want != nil {
				if !errors.Is(err, c.want) || !errors.Is(err, ErrRejected) {
					t.Fatalf("err = %v, want %v (and ErrRejected)", err, c.want)
				}
				if c.message != "" && err.Error() != c.message {
					t.Fatalf("message = %q, want %q", err.Error(), c.message)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if info.Format != c.format || info.Width != c.w || info.Height != c.h || info.ContentType != "image/"+c.format {
				t.Fatalf("info = %+v, want %s %d×%d", info, c.format, c.w, c.h)
			}
			if !bytes.Equal(data, c.data) || info.Bytes != int64(len(c.data)) || len(info.SHA256) != 64 {
				t.Fatalf("bytes or digest wrong: %d bytes, sha %q", info.Bytes, info.SHA256)
			}
		})
	}
}

func TestInspectSizeLimit(t *testing.T) {
	big := make([]byte, DefaultMaxBytes+1)
	copy(big, encodeJPEG(t, gradient(8, 8)))
	_, _, err := Inspect(bytes.NewReader(big), Limits{})
	if !errors.Is(err, ErrTooLarge) || err.Error() != "the file is larger than 20 MB" {
		t.Fatalf("20 MB + 1: %v", err)
	}
	// The reader is not drained past the limit.
	r := &countingReader{n: 1 << 40}
	if _, _, err := Inspect(r, Limits{MaxBytes: 1000}); !errors.Is(err, ErrTooLarge) || err.Error() != "the file is larger than 1000 bytes" {
		t.Fatalf("endless reader: %v", err)
	}
	if r.read > 1001+32*1024 {
		t.Fatalf("read %d bytes of an endless upload", r.read)
	}
	// Custom pixel limits.
	_, _, err = Inspect(bytes.NewReader(encodePNG(t, gradient(30, 20))), Limits{MaxPixels: 500})
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("30×20 under a 500-pixel limit: %v", err)
	}
}

type countingReader struct{ n, read int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	c.read += int64(len(p))
	for i := range p {
		p[i] = 0xFF
	}
	return len(p), nil
}

func FuzzInspect(f *testing.F) {
	photo := encodeJPEG(f, gradient(16, 12))
	f.Add(photo)
	f.Add(withSegment(photo, 0xE1, exifAPP1(binary.BigEndian, 6, true)))
	f.Add(encodePNG(f, gradient(5, 7)))
	f.Add(encodePNG(f, image.NewNRGBA(image.Rect(0, 0, 3, 3))))
	f.Add(encodeGIF(f, solidFrame(4, 4, color.White), solidFrame(4, 4, color.Black)))
	f.Add(readTestdata(f, "photo-12x8.lossy.webp"))
	f.Add(readTestdata(f, "half-clear-12x8.lossless.webp"))
	f.Add(readTestdata(f, "half-clear-12x8.lossy-alpha.webp"))
	f.Add(pngHeaderOnly(100000, 100000))
	f.Add([]byte("<svg><script/></svg>"))
	limits := Limits{MaxBytes: 1 << 20, MaxPixels: 250_000, MaxSide: 1000}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, _, img, err := inspect(bytes.NewReader(data), limits)
		if err != nil {
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		if info.Width <= 0 || info.Height <= 0 || info.Width > limits.MaxSide || info.Height > limits.MaxSide ||
			int64(info.Width)*int64(info.Height) > limits.MaxPixels {
			t.Fatalf("accepted %d×%d", info.Width, info.Height)
		}
		if info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("orientation %d", info.Orientation)
		}
		up := orient(img, info.Orientation)
		w, h := info.Upright()
		if up.Bounds().Dx() != w || up.Bounds().Dy() != h {
			t.Fatalf("upright %v, want %d×%d", up.Bounds(), w, h)
		}
		rends, err := Resize(up, hasTransparency(img))
		if err != nil || len(rends) == 0 {
			t.Fatalf("resize: %v", err)
		}
	})
}
