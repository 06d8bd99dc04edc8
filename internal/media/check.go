// Package media takes the newsroom's images in: it checks uploads by their
// content, turns them upright, makes the sizes the public site serves as
// srcset, keeps the files behind a Storage, and records them in the library.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Limits bound what an upload may be. Zero fields take the defaults.
type Limits struct {
	MaxBytes  int64 // size of the file; default 20 MB
	MaxPixels int64 // width × height; default 50 megapixels
	MaxSide   int   // longest side in pixels; default 12000
}

// Defaults for Limits.
const (
	DefaultMaxBytes  = 20 << 20
	DefaultMaxPixels = 50_000_000
	DefaultMaxSide   = 12000
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	return l
}

// Info is what Inspect learned about an accepted image.
type Info struct {
	Format      string // "jpeg", "png", "gif" or "webp"
	ContentType string // image/jpeg …
	Width       int    // as stored in the file, before orientation
	Height      int
	Orientation int // EXIF orientation 1–8; 1 when absent
	Bytes       int64
	SHA256      string // lower-case hex of the file's bytes
}

// Upright returns the size once the EXIF orientation is applied.
func (i Info) Upright() (w, h int) {
	if i.Orientation >= 5 {
		return i.Height, i.Width
	}
	return i.Width, i.Height
}

// ErrRejected is matched (errors.Is) by every error that refuses a file for
// what it is rather than for a fault of ours; such errors' messages are
// plain words to show the person uploading.
var ErrRejected = errors.New("media: upload refused")

// The reasons a file is refused; each error Inspect returns for a bad file
// matches one of these and ErrRejected.
var (
	ErrEmpty         = errors.New("the file is empty")
	ErrTooLarge      = errors.New("the file is too large")
	ErrNotImage      = errors.New("this is not a JPEG, PNG, WebP or GIF image")
	ErrSVG           = errors.New("SVG images are not accepted, because they can carry scripts")
	ErrAnimWebP      = errors.New("animated WebP images are not accepted; upload a GIF or a still image")
	ErrTooManyPixels = errors.New("the image has too many pixels")
	ErrDamaged       = errors.New("the image is incomplete or damaged")
)

// rejection is a refusal with a message fit for the uploader.
type rejection struct {
	kind error
	msg  string
	args []any // the limits it names, for the newsroom's catalogue
}

func (r *rejection) Error() string   { return r.msg }
func (r *rejection) Unwrap() []error { return []error{r.kind, ErrRejected} }

// Limits are the figures a refusal names, as name, value pairs
// ("Megabytes", 64), so that the newsroom can say it in other words.
func (r *rejection) Limits() []any { return r.args }

func reject(kind error, format string, args ...any) error {
	msg := kind.Error()
	if format != "" {
		msg = fmt.Sprintf(format, args...)
	}
	return &rejection{kind: kind, msg: msg}
}

// Inspect reads an upload (at most limits.MaxBytes of it), decides what it
// is from its bytes alone — never from a file name or a declared type —
// and checks that it is a whole JPEG, PNG, GIF or WebP image within the
// limits. It returns what it found and the bytes read.
func Inspect(r io.Reader, limits Limits) (Info, []byte, error) {
	info, data, _, err := inspect(r, limits)
	return info, data, err
}

// inspect is Inspect that also hands back the decoded image, so an upload
// is decoded once.
func inspect(r io.Reader, limits Limits) (Info, []byte, image.Image, error) {
	data, err := readUpload(r, limits)
	if err != nil {
		return Info{}, nil, nil, err
	}
	info, img, err := check(data, limits)
	if err != nil {
		return Info{}, nil, nil, err
	}
	return info, data, img, nil
}

// readUpload reads all of r, refusing it once it passes limits.MaxBytes.
func readUpload(r io.Reader, limits Limits) ([]byte, error) {
	limits = limits.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, limits.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > limits.MaxBytes {
		err := reject(ErrTooLarge, "the file is larger than %s", sizeWords(limits.MaxBytes))
		err.(*rejection).args = []any{"Megabytes", (limits.MaxBytes + 1<<20 - 1) >> 20}
		return nil, err
	}
	return data, nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// check decides what data is and decodes it.
func check(data []byte, limits Limits) (Info, image.Image, error) {
	limits = limits.withDefaults()
	if len(data) == 0 {
		return Info{}, nil, reject(ErrEmpty, "")
	}
	format := sniff(data)
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	info := Info{Format: format, Orientation: 1}
	switch format {
	case "jpeg":
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
		info.Orientation = exifOrientation(data)
	case "png":
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case "gif":
		// gif.Decode keeps the first frame of an animation and stops there.
		decodeConfig, decode = gif.DecodeConfig, gif.Decode
	case "webp":
		if webpAnimated(data) {
			return Info{}, nil, reject(ErrAnimWebP, "")
		}
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	case "svg":
		return Info{}, nil, reject(ErrSVG, "")
	default:
		return Info{}, nil, reject(ErrNotImage, "")
	}
	info.ContentType = "image/" + format

	// The header alone says how large the decoded image will be; a
	// decompression bomb is refused here, before any pixel is allocated.
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, nil, reject(ErrDamaged, "")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, nil, reject(ErrDamaged, "")
	}
	if cfg.Width > limits.MaxSide || cfg.Height > limits.MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > limits.MaxPixels {
		err := reject(ErrTooManyPixels, "the image is %d × %d pixels; the largest accepted is %s and %d pixels on a side",
			cfg.Width, cfg.Height, pixelWords(limits.MaxPixels), limits.MaxSide)
		err.(*rejection).args = []any{"Width", cfg.Width, "Height", cfg.Height, "Megapixels", limits.MaxPixels / 1_000_000, "Side", limits.MaxSide}
		return Info{}, nil, err
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return Info{}, nil, reject(ErrDamaged, "")
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Info{}, nil, reject(ErrDamaged, "")
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	info.Bytes, info.SHA256 = int64(len(data)), digest(data)
	return info, img, nil
}

// sniff names the format from the file's first bytes: "jpeg", "png",
// "gif", "webp", "svg", or "" for anything else.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	case looksLikeSVG(b):
		return "svg"
	}
	return ""
}

// looksLikeSVG reports whether b is XML or markup that holds an <svg
// element near its start, so it can be refused with its own reason.
func looksLikeSVG(b []byte) bool {
	if len(b) > 4096 {
		b = b[:4096]
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	return bytes.Contains(bytes.ToLower(b), []byte("<svg"))
}

// webpAnimated reports whether an extended (VP8X) WebP says it holds an
// animation, which the decoder does not read.
func webpAnimated(b []byte) bool {
	return len(b) >= 21 && string(b[12:16]) == "VP8X" && b[20]&0x02 != 0
}

func sizeWords(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func pixelWords(n int64) string {
	if n >= 1_000_000 && n%1_000_000 == 0 {
		return fmt.Sprintf("%d megapixels", n/1_000_000)
	}
	return fmt.Sprintf("%d pixels", n)
}
