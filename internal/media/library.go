package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"dastan/internal/news"
	"dastan/internal/store"
)

// Service is the media library: it takes uploads in, keeps their files in
// Storage and their records in Store.
type Service struct {
	Store   *store.DB
	Storage Storage
	Limits  Limits
	// Decoders bounds how many images are decoded and resized at once
	// (default 2): a 50-megapixel image needs about 700 MB while it is
	// worked on, and uploads must not add up past the machine.
	Decoders int

	once  sync.Once
	slots chan struct{}
}

// decodeSlot waits for a free decoder, or for ctx to end.
func (s *Service) decodeSlot(ctx context.Context) (release func(), err error) {
	s.once.Do(func() {
		n := s.Decoders
		if n <= 0 {
			n = 2
		}
		s.slots = make(chan struct{}, n)
	})
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Meta is what the uploader says about an image.
type Meta struct {
	Caption string
	Credit  string
	Alt     string
	UserID  int64
}

// Longest accepted texts, in characters; longer ones are cut.
const (
	maxFilename = 255
	maxAlt      = 1000
	maxCaption  = 4000
	maxCredit   = 500
)

// Upload checks an image (see Inspect), turns it upright, makes its
// renditions, stores them and records the item. The file's name is kept
// for the library only; it decides nothing. The same file uploaded again
// returns the item already there, with its own texts. A refused file
// gives an error matching ErrRejected whose message can be shown as is.
// On any failure nothing is left behind: files written before it are
// removed.
func (s *Service) Upload(ctx context.Context, filename string, r io.Reader, meta Meta) (store.Media, error) {
	data, err := readUpload(r, s.Limits)
	if err != nil {
		return store.Media{}, err
	}
	// A file already in the library was checked when it came in; it is
	// not decoded again.
	if m, err := s.Store.MediaBySHA(ctx, digest(data)); err == nil {
		return m, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.Media{}, err
	}
	release, err := s.decodeSlot(ctx)
	if err != nil {
		return store.Media{}, err
	}
	defer release()
	info, img, err := check(data, s.Limits)
	if err != nil {
		return store.Media{}, err
	}

	// Only formats with an alpha channel can be transparent; checking a
	// JPEG's pixels would be wasted work.
	transparent := info.Format != "jpeg" && hasTransparency(img)
	img = orient(img, info.Orientation)
	rends, err := Resize(img, transparent)
	if err != nil {
		return store.Media{}, err
	}
	w, h := info.Upright()
	m := store.Media{
		SHA256:      info.SHA256,
		Filename:    cleanText(path.Base(strings.ReplaceAll(filename, `\`, "/")), maxFilename),
		ContentType: info.ContentType,
		Width:       w,
		Height:      h,
		Bytes:       info.Bytes,
		Alt:         cleanText(meta.Alt, maxAlt),
		Caption:     cleanText(meta.Caption, maxCaption),
		Credit:      cleanText(meta.Credit, maxCredit),
		Renditions:  make(map[int]string, len(rends)),
		UserID:      meta.UserID,
	}
	if m.Filename == "." || m.Filename == "/" {
		m.Filename = ""
	}
	var written []string
	for _, rd := range rends {
		key := Key(info.SHA256, rd.Width, rd.Ext())
		if err := s.Storage.Put(ctx, key, bytes.NewReader(rd.Data), rd.ContentType); err != nil {
			s.remove(ctx, written)
			return store.Media{}, err
		}
		written = append(written, key)
		m.Renditions[rd.Width] = key
	}
	// When the same file was saved meanwhile by someone else, SaveMedia
	// returns their item, and the files just written are theirs too (keys
	// come from the content), so they stay.
	if _, err := s.Store.SaveMedia(ctx, &m); err != nil {
		s.remove(ctx, written)
		return store.Media{}, err
	}
	return m, nil
}

// remove deletes files of a failed upload, on a context of its own so a
// cancelled request still cleans up.
func (s *Service) remove(ctx context.Context, keys []string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		s.Storage.Delete(ctx, k)
	}
}

// UpdateText changes the words that go with a library item, cleaned as
// Upload cleans them.
func (s *Service) UpdateText(ctx context.Context, id int64, alt, caption, credit string) error {
	return s.Store.UpdateMediaText(ctx, id, cleanText(alt, maxAlt), cleanText(caption, maxCaption), cleanText(credit, maxCredit))
}

// Delete removes a library item and its files. Articles that show it
// are the caller's to check first.
func (s *Service) Delete(ctx context.Context, id int64) error {
	m, err := s.Store.MediaByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.Store.DeleteMedia(ctx, id); err != nil {
		return err
	}
	var errs []error
	for _, k := range m.Renditions {
		errs = append(errs, s.Storage.Delete(ctx, k))
	}
	return errors.Join(errs...)
}

// Key is the storage key of an image's rendition: two levels of folders
// from the SHA-256 keep directories small, e.g. "ab/cd/abcd…-640.jpg".
func Key(sha string, width int, ext string) string {
	return sha[0:2] + "/" + sha[2:4] + "/" + sha + "-" + strconv.Itoa(width) + ext
}

// SrcSet is the srcset attribute for m: "/media/…-320.jpg 320w, …".
func (s *Service) SrcSet(m store.Media) string {
	var b strings.Builder
	for i, w := range m.Widths() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Storage.URL(m.Renditions[w]))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(w))
		b.WriteByte('w')
	}
	return b.String()
}

// URL is the address of m's rendition closest to width without being
// narrower, or its largest one.
func (s *Service) URL(m store.Media, width int) string {
	ws := m.Widths()
	if len(ws) == 0 {
		return ""
	}
	for _, w := range ws {
		if w >= width {
			return s.Storage.URL(m.Renditions[w])
		}
	}
	return s.Storage.URL(m.Renditions[ws[len(ws)-1]])
}

// Figure is m as an article shows it: its largest rendition, with the
// srcset and the size of that rendition.
func (s *Service) Figure(m store.Media) news.Figure {
	f := news.Figure{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, SrcSet: s.SrcSet(m)}
	ws := m.Widths()
	if len(ws) == 0 {
		return f
	}
	largest := ws[len(ws)-1]
	f.URL = s.Storage.URL(m.Renditions[largest])
	f.Width = largest
	if m.Width > 0 {
		f.Height = max(1, (m.Height*largest+m.Width/2)/m.Width)
	}
	return f
}

// cleanText makes uploader text safe to store on either engine: valid
// UTF-8, no NUL or other control characters except line breaks, trimmed,
// and at most max characters.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}
