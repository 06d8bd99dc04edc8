package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// srcsetWidths are the sizes, in pixels, made of every image for the public
// site's srcset. An image is never enlarged: widths above its own are left
// out, and its own width (up to the largest here) is added.
var srcsetWidths = []int{320, 640, 960, 1280, 1920}

// JPEGQuality is the quality of the JPEG renditions, a common balance of
// size and fidelity for photographs on the web.
const JPEGQuality = 82

// Rendition is one stored size of an image.
type Rendition struct {
	Width       int
	Height      int
	ContentType string // image/jpeg or image/png
	Data        []byte
}

// Ext is the file name extension for the rendition's format.
func (r Rendition) Ext() string {
	if r.ContentType == "image/png" {
		return ".png"
	}
	return ".jpg"
}

// renditionWidths returns the widths to make of an image w pixels wide.
func renditionWidths(w int) []int {
	var out []int
	for _, rw := range srcsetWidths {
		if rw < w {
			out = append(out, rw)
		}
	}
	if len(out) == len(srcsetWidths) {
		return out // wider than every size: the largest one is its top
	}
	return append(out, w)
}

// Resize makes the renditions of an upright image, smallest first. Images
// with transparency become PNGs; everything else becomes a JPEG, which is
// what news photographs are. Encoding anew writes only pixels, so EXIF
// (with any GPS position), comments and anything appended to the upload
// are gone from every rendition. For an animated GIF, img is its first
// frame: the site shows still images.
func Resize(img image.Image, transparent bool) ([]Rendition, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("media: resize: empty image")
	}
	widths := renditionWidths(w)
	out := make([]Rendition, len(widths))
	// The largest size is made from the upload, and the smaller ones from
	// it: as sharp, and much cheaper than reading the full image each time.
	var largest image.Image
	for i := len(widths) - 1; i >= 0; i-- {
		rw := widths[i]
		rh := max(1, int((int64(h)*int64(rw)+int64(w)/2)/int64(w)))
		var frame image.Image
		switch {
		case rw == w:
			frame = img
		case largest == nil:
			frame = scale(img, rw, rh)
		default:
			frame = scale(largest, rw, rh)
		}
		if largest == nil {
			largest = frame
		}
		r, err := encode(frame, transparent)
		if err != nil {
			return nil, err
		}
		r.Width, r.Height = rw, rh
		out[i] = r
	}
	return out, nil
}

// scale resizes src to w × h with the Catmull-Rom kernel. A kernel's cost
// grows with the ratio, so an image at least twice the target's size is
// first halved by averaging 2 × 2 blocks, which is exact for halving and
// many times cheaper; the kernel then has less than a factor of two left.
func scale(src image.Image, w, h int) image.Image {
	b := src.Bounds()
	if b.Dx() >= 2*w && b.Dy() >= 2*h {
		var r *image.RGBA
		if y, ok := src.(*image.YCbCr); ok {
			r = halveYCbCr(y) // a JPEG: skips a full-size RGBA copy
		} else {
			r = halve(toRGBA(src))
		}
		for r.Rect.Dx() >= 2*w && r.Rect.Dy() >= 2*h {
			r = halve(r)
		}
		src = r
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	return dst
}

// halveYCbCr is halve for a decoded JPEG, converting to RGB on the way.
func halveYCbCr(src *image.YCbCr) *image.RGBA {
	w, h := src.Rect.Dx()/2, src.Rect.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	min := src.Rect.Min
	for y := 0; y < h; y++ {
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x := 0; x < w; x++ {
			var sr, sg, sb uint32
			for _, p := range [4]image.Point{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				sx, sy := min.X+2*x+p.X, min.Y+2*y+p.Y
				ci := src.COffset(sx, sy)
				r, g, b := color.YCbCrToRGB(src.Y[src.YOffset(sx, sy)], src.Cb[ci], src.Cr[ci])
				sr, sg, sb = sr+uint32(r), sg+uint32(g), sb+uint32(b)
			}
			d[4*x], d[4*x+1], d[4*x+2], d[4*x+3] = uint8((sr+2)/4), uint8((sg+2)/4), uint8((sb+2)/4), 255
		}
	}
	return dst
}

// halve averages each 2 × 2 block of src (premultiplied, so transparent
// pixels do not darken their neighbours); an odd last row or column is
// dropped.
func halve(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx()/2, src.Rect.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		r0 := src.Pix[(2*y)*src.Stride:]
		r1 := src.Pix[(2*y+1)*src.Stride:]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x := 0; x < w; x++ {
			i := 8 * x
			for c := 0; c < 4; c++ {
				d[4*x+c] = uint8((uint32(r0[i+c]) + uint32(r0[i+4+c]) + uint32(r1[i+c]) + uint32(r1[i+4+c]) + 2) / 4)
			}
		}
	}
	return dst
}

func encode(img image.Image, transparent bool) (Rendition, error) {
	var buf bytes.Buffer
	if transparent {
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, img); err != nil {
			return Rendition{}, fmt.Errorf("media: encode png: %w", err)
		}
		return Rendition{ContentType: "image/png", Data: buf.Bytes()}, nil
	}
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return Rendition{}, fmt.Errorf("media: encode jpeg: %w", err)
	}
	return Rendition{ContentType: "image/jpeg", Data: buf.Bytes()}, nil
}

// hasTransparency reports whether any pixel of img is less than opaque.
func hasTransparency(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return !o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return true
			}
		}
	}
	return false
}
