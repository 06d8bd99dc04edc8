package media

import (
	"image"
	"image/draw"
)

// orient returns img turned as its EXIF orientation o says, so that it
// displays upright without the tag (which re-encoding drops).
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for dy := 0; dy < dh; dy++ {
		for dx := 0; dx < dw; dx++ {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-dx, dy
			case 3: // turned 180°
				sx, sy = w-1-dx, h-1-dy
			case 4: // flipped
				sx, sy = dx, h-1-dy
			case 5: // mirrored and turned 90° anticlockwise: the transpose
				sx, sy = dy, dx
			case 6: // needs turning 90° clockwise
				sx, sy = dy, h-1-dx
			case 7: // mirrored and turned 90° clockwise
				sx, sy = w-1-dy, h-1-dx
			case 8: // needs turning 90° anticlockwise
				sx, sy = w-1-dy, dx
			}
			si := sy*src.Stride + sx*4
			di := dy*dst.Stride + dx*4
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// toRGBA returns img as an *image.RGBA whose bounds start at 0,0.
func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(r, r.Rect, img, b.Min, draw.Src)
	return r
}
