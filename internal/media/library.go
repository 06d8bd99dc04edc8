package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"dastan/internal/auth"
	"dastan/internal/i18n"
	"dastan/internal/news"
	"dastan/internal/store"
)

// Service is the media library, shared by the whole newsroom and by
// imports: it takes uploads in, keeps their files in Storage and their
// records in Store, and owns the library's rules whoever asks — who may
// upload (authors and above), change an image's words and delete one
// (editors and admins), what those words may be, that an image an
// article shows is not deleted, and the audit entry of each change.
type Service struct {
	Store   *store.DB
	Storage Storage
	Limits  Limits
	Now     func() time.Time // nil means time.Now
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

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Upload checks an image (see Inspect), turns it upright, makes its
// renditions, stores them and records the item as u's. The file's name is
// kept for the library only; it decides nothing. The same file uploaded
// again returns the item already there, with its own texts. A refusal is
// auth.ErrForbidden, a *news.FieldError naming a text ("alt", "caption",
// "credit"), or, for the file, an error matching ErrRejected whose
// message can be shown as is. On any failure nothing is left behind:
// files written before it are removed.
func (s *Service) Upload(ctx context.Context, u auth.User, filename string, r io.Reader, t Text) (store.Media, error) {
	if !auth.Can(u, auth.UploadMedia, nil) {
		return store.Media{}, auth.ErrForbidden
	}
	t, err := t.check()
	if err != nil {
		return store.Media{}, err
	}
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
		Filename:    cleanFilename(path.Base(strings.ReplaceAll(filename, `\`, "/"))),
		ContentType: info.ContentType,
		Width:       w,
		Height:      h,
		Bytes:       info.Bytes,
		Alt:         t.Alt,
		Caption:     t.Caption,
		Credit:      t.Credit,
		Renditions:  make(map[int]string, len(rends)),
		UserID:      u.ID,
		CreatedAt:   s.now(),
	}
	if m.Filename == "." || m.Filename == "/" {
		m.Filename = ""
	}
	var written []string
	for _, rd := range rends {
		key := Key(info.SHA256, rd.Width, rd.Ext())
		if err := s.Storage.Put(ctx, key, bytes.NewReader(rd.Data), rd.ContentType); err != nil {
			s.remove(ctx, info.SHA256, written)
			return store.Media{}, err
		}
		written = append(written, key)
		m.Renditions[rd.Width] = key
	}
	// When the same file was saved meanwhile by someone else, SaveMedia
	// returns their item, and the files just written are theirs too (keys
	// come from the content), so they stay.
	if _, err := s.Store.SaveMedia(ctx, &m); err != nil {
		s.remove(ctx, info.SHA256, written)
		return store.Media{}, err
	}
	return m, nil
}

// remove deletes files of a failed upload, on a context of its own so a
// cancelled request still cleans up. With storage that instances share,
// another instance may have stored the same file meanwhile, under the
// same keys: once the library records it, the files are its and stay.
func (s *Service) remove(ctx context.Context, sha string, keys []string) {
	ctx = context.WithoutCancel(ctx)
	if _, err := s.Store.MediaBySHA(ctx, sha); err == nil {
		return
	}
	for _, k := range keys {
		s.Storage.Delete(ctx, k)
	}
}

// Edit changes the words that go with the library item id, as u. A
// refusal is auth.ErrForbidden, a *news.FieldError naming a text, or
// store.ErrNotFound when the item is not there.
func (s *Service) Edit(ctx context.Context, u auth.User, id int64, t Text) error {
	if !auth.Can(u, auth.ManageMedia, nil) {
		return auth.ErrForbidden
	}
	t, err := t.check()
	if err != nil {
		return err
	}
	m, err := s.Store.MediaByID(ctx, id)
	if err != nil {
		return err
	}
	return s.Store.UpdateMediaText(ctx, id, t.Alt, t.Caption, t.Credit,
		store.AuditEntry{UserID: u.ID, Action: "edit media", Subject: strconv.FormatInt(id, 10), Detail: m.Filename, CreatedAt: s.now()})
}

// InUseError refuses to delete an image that articles show.
type InUseError struct {
	Filename string
	Articles int // how many show it
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("%s is shown in %d article(s); take it out of them before deleting it.", e.Filename, e.Articles)
}

// Delete removes the library item id and its files, as u, unless an
// article shows it. A refusal is auth.ErrForbidden, an *InUseError, or
// store.ErrNotFound when the item is not there.
func (s *Service) Delete(ctx context.Context, u auth.User, id int64) error {
	if !auth.Can(u, auth.ManageMedia, nil) {
		return auth.ErrForbidden
	}
	m, err := s.Store.MediaByID(ctx, id)
	if err != nil {
		return err
	}
	uses, err := s.Store.MediaUses(ctx, m.SHA256)
	if err != nil {
		return err
	}
	if uses > 0 {
		return &InUseError{Filename: m.Filename, Articles: uses}
	}
	err = s.Store.DeleteMedia(ctx, id,
		store.AuditEntry{UserID: u.ID, Action: "delete media", Subject: strconv.FormatInt(id, 10), Detail: m.Filename, CreatedAt: s.now()})
	if err != nil {
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

// Text is the words that go with an image.
type Text struct {
	Alt     string // what it shows, for readers who cannot see it
	Caption string
	Credit  string
}

// Longest accepted texts, in characters.
const (
	maxFilename = 255
	maxAlt      = 1000
	maxCaption  = 4000
	maxCredit   = 500
)

// check trims each text and refuses, naming the field, one that is too
// long, not valid UTF-8, or holds control characters (NUL among them)
// other than line breaks and tabs. Windows line ends become plain ones.
func (t Text) check() (Text, error) {
	for _, f := range []struct {
		name, label string
		s           *string
		max         int
	}{{"alt", "invalid.label.alt", &t.Alt, maxAlt}, {"caption", "invalid.label.caption", &t.Caption, maxCaption}, {"credit", "invalid.label.credit", &t.Credit, maxCredit}} {
		*f.s = strings.TrimSpace(strings.ReplaceAll(*f.s, "\r\n", "\n"))
		switch {
		case !utf8.ValidString(*f.s):
			return t, news.Refuse(f.name, "invalid.media_text", "Field", i18n.Key(f.label))
		case strings.ContainsFunc(*f.s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
			return t, news.Refuse(f.name, "invalid.media_control", "Field", i18n.Key(f.label))
		case utf8.RuneCountInString(*f.s) > f.max:
			return t, news.Refuse(f.name, "invalid.media_long", "Field", i18n.Key(f.label), "Count", f.max)
		}
	}
	return t, nil
}

// cleanFilename makes an uploader's file name safe to store on either
// engine: valid UTF-8, no control characters, trimmed, and at most
// maxFilename characters. It decides nothing, so it is cleaned rather
// than refused.
func cleanFilename(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxFilename {
		s = string([]rune(s)[:maxFilename])
	}
	return s
}
