package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// gradient is an opaque test picture w × h.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Pix[y*img.Stride+x*4+0] = uint8(x * 255 / max(1, w-1))
			img.Pix[y*img.Stride+x*4+1] = uint8(y * 255 / max(1, h-1))
			img.Pix[y*img.Stride+x*4+2] = 128
			img.Pix[y*img.Stride+x*4+3] = 255
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, frames ...*image.Paletted) []byte {
	t.Helper()
	var b bytes.Buffer
	g := &gif.GIF{Image: frames, Delay: make([]int, len(frames))}
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// solidFrame is a paletted frame of one colour.
func solidFrame(w, h int, c color.Color) *image.Paletted {
	p := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{c, color.Black})
	return p
}

// withSegment inserts a JPEG segment (marker 0xFFxx, payload) after SOI.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// gpsMark is a string placed in the GPS block of test files, to look for
// in what is stored.
const gpsMark = "DASTAN-GPS-MARK"

type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// exifAPP1 is an APP1 payload with IFD0 holding the orientation (when
// o > 0) and, if gps, a GPS IFD with a latitude and gpsMark.
func exifAPP1(bo byteOrder, o int, gps bool) []byte {
	var t []byte
	if bo == byteOrder(binary.LittleEndian) {
		t = []byte("II*\x00")
	} else {
		t = []byte("MM\x00*")
	}
	t = bo.AppendUint32(t, 8)
	var entries [][]byte
	entry := func(tag, typ uint16, count uint32, value []byte) []byte {
		e := bo.AppendUint16(nil, tag)
		e = bo.AppendUint16(e, typ)
		e = bo.AppendUint32(e, count)
		v := make([]byte, 4)
		copy(v, value)
		return append(e, v...)
	}
	if o > 0 {
		entries = append(entries, entry(0x0112, 3, 1, bo.AppendUint16(nil, uint16(o))))
	}
	nIFD0 := len(entries)
	if gps {
		nIFD0++
	}
	gpsOff := uint32(8 + 2 + 12*nIFD0 + 4)
	if gps {
		entries = append(entries, entry(0x8825, 4, 1, bo.AppendUint32(nil, gpsOff)))
	}
	t = bo.AppendUint16(t, uint16(len(entries)))
	for _, e := range entries {
		t = append(t, e...)
	}
	t = bo.AppendUint32(t, 0) // no IFD1
	if gps {
		// GPS IFD: LatitudeRef "N", Latitude 43/1 15/1 0/1, MapDatum gpsMark.
		dataOff := gpsOff + 2 + 12*3 + 4
		latOff, datumOff := dataOff, dataOff+24
		t = bo.AppendUint16(t, 3)
		t = append(t, entry(0x0001, 2, 2, []byte("N\x00"))...)
		t = append(t, entry(0x0002, 5, 3, bo.AppendUint32(nil, latOff))...)
		t = append(t, entry(0x0012, 2, uint32(len(gpsMark)+1), bo.AppendUint32(nil, datumOff))...)
		t = bo.AppendUint32(t, 0)
		for _, v := range []uint32{43, 1, 15, 1, 0, 1} {
			t = bo.AppendUint32(t, v)
		}
		t = append(t, gpsMark+"\x00"...)
	}
	return append([]byte("Exif\x00\x00"), t...)
}

// pngChunk encodes one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngHeaderOnly is a PNG declaring w × h RGBA pixels with almost no data.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(b, pngChunk("IEND", nil)...)
}

// jpegWithSize rewrites the frame size in a JPEG's SOF0 segment.
func jpegWithSize(jpg []byte, w, h uint16) []byte {
	out := append([]byte{}, jpg...)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(out[i+5:], h)
	binary.BigEndian.PutUint16(out[i+7:], w)
	return out
}

// gifWithScreen rewrites a GIF's logical screen size.
func gifWithScreen(g []byte, w, h uint16) []byte {
	out := append([]byte{}, g...)
	binary.LittleEndian.PutUint16(out[6:], w)
	binary.LittleEndian.PutUint16(out[8:], h)
	return out
}

// webpCanvas rewrites the canvas size of an extended (VP8X) WebP.
func webpCanvas(b []byte, w, h int) []byte {
	out := append([]byte{}, b...)
	put24 := func(p []byte, v int) { p[0], p[1], p[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(out[24:], w-1)
	put24(out[27:], h-1)
	return out
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
