package media

import (
	"dastan/internal/news"
	"dastan/internal/store"
)

// AttachmentFigure is how an attachment imported from WordPress is shown
// as an article's image or in a gallery: by its imported file, or the
// address WordPress served it from, with its alt text and caption; an
// image that is in the library (found by image, given the SHA-256 of its
// file) is shown by its largest rendition, with the others as its srcset.
// ok is false when the attachment has no address a reader may be sent
// to. The importer and the article service (a newsroom or API save of
// an imported story) show galleries the same way through it.
func AttachmentFigure(a store.WPAttachment, image func(sha string) (news.Figure, bool)) (news.Figure, bool) {
	u := a.LocalURL
	if u == "" {
		u = news.SafeURL(a.URL)
	}
	if u == "" {
		return news.Figure{}, false
	}
	f := news.Figure{URL: u, Alt: a.Alt, Caption: news.PlainText(a.Caption)}
	if a.SHA256 != "" && image != nil {
		if img, ok := image(a.SHA256); ok {
			f.URL, f.SrcSet, f.Width, f.Height = img.URL, img.SrcSet, img.Width, img.Height
		}
	}
	return f, true
}
