package api

import (
	"html"
	"net/http"
	"path"
	"strconv"
	"strings"

	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/store"
)

// wpMediaJSON is an attachment in WordPress's view context.
type wpMediaJSON struct {
	ID            int64          `json:"id"`
	Date          string         `json:"date"`
	DateGMT       string         `json:"date_gmt"`
	GUID          wpRendered     `json:"guid"`
	Modified      string         `json:"modified"`
	ModifiedGMT   string         `json:"modified_gmt"`
	Slug          string         `json:"slug"`
	Status        string         `json:"status"`
	Type          string         `json:"type"`
	Link          string         `json:"link"`
	Title         wpRendered     `json:"title"`
	Author        int64          `json:"author"`
	CommentStatus string         `json:"comment_status"`
	PingStatus    string         `json:"ping_status"`
	Template      string         `json:"template"`
	Meta          []any          `json:"meta"`
	Description   wpRendered     `json:"description"`
	Caption       wpRendered     `json:"caption"`
	AltText       string         `json:"alt_text"`
	MediaType     string         `json:"media_type"`
	MimeType      string         `json:"mime_type"`
	MediaDetails  wpMediaDetails `json:"media_details"`
	Post          *int64         `json:"post"`
	SourceURL     string         `json:"source_url"`
	Links         wpLinks        `json:"_links"`
}

type wpMediaDetails struct {
	Width     int                    `json:"width"`
	Height    int                    `json:"height"`
	File      string                 `json:"file"`
	Filesize  int64                  `json:"filesize"`
	Sizes     map[string]wpMediaSize `json:"sizes"`
	ImageMeta map[string]any         `json:"image_meta"`
}

type wpMediaSize struct {
	File      string `json:"file"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Filesize  *int64 `json:"filesize,omitempty"` // WordPress gives none for "full"
	MimeType  string `json:"mime_type"`
	SourceURL string `json:"source_url"`
}

var wpMediaEmbedKeys = []string{"id", "date", "slug", "type", "link", "title", "author", "caption", "alt_text", "media_type", "mime_type", "media_details", "source_url", "_links"}

// wpSizeNames name Dastan's renditions, smallest first, with WordPress's
// size names; the largest is always "full".
var wpSizeNames = []string{"thumbnail", "medium", "medium_large", "large"}

// toWPMedia shapes a library item; bylines maps uploaders to their byline.
func (a *API) toWPMedia(m store.Media, bylines map[int64]int64) wpMediaJSON {
	id := strconv.FormatInt(m.ID, 10)
	date, dateGMT := a.wpDates(m.CreatedAt)
	base := strings.TrimSuffix(m.Filename, path.Ext(m.Filename))
	out := wpMediaJSON{ID: m.ID, Date: date, DateGMT: dateGMT, Modified: date, ModifiedGMT: dateGMT, Slug: news.Slugify(base),
		Status: "inherit", Type: "attachment", Title: wpRendered{html.EscapeString(base)}, Author: bylines[m.UserID],
		CommentStatus: "closed", PingStatus: "closed", Meta: []any{},
		AltText: m.Alt, MediaType: "image", MimeType: m.ContentType,
		MediaDetails: wpMediaDetails{Width: m.Width, Height: m.Height, Filesize: m.Bytes, Sizes: map[string]wpMediaSize{},
			ImageMeta: map[string]any{"aperture": "0", "credit": m.Credit, "camera": "", "caption": m.Caption, "created_timestamp": "0",
				"copyright": "", "focal_length": "0", "iso": "0", "shutter_speed": "0", "title": "", "orientation": "0", "keywords": []string{}}},
		Links: wpLinks{"self": a.wpSelf("/media/" + id), "collection": {{Href: a.wpBase() + "/media"}},
			"about":   {{Href: a.wpBase() + "/types/attachment"}},
			"replies": {{Embeddable: true, Href: a.wpBase() + "/comments?post=" + id}}}}
	// WordPress links an author only when the attachment has one.
	if out.Author != 0 {
		out.Links["author"] = []wpLink{{Embeddable: true, Href: a.wpBase() + "/users/" + strconv.FormatInt(out.Author, 10)}}
	}
	if m.Caption != "" {
		out.Caption.Rendered = "<p>" + html.EscapeString(m.Caption) + "</p>\n"
	}
	if a.media != nil {
		ws := m.Widths()
		for i, wd := range ws {
			name := "w" + strconv.Itoa(wd)
			switch {
			case i == len(ws)-1:
				name = "full"
			case i < len(wpSizeNames):
				name = wpSizeNames[i]
			}
			h := 0
			if m.Width > 0 {
				h = max(1, (m.Height*wd+m.Width/2)/m.Width)
			}
			key := m.Renditions[wd]
			size := wpMediaSize{File: path.Base(key), Width: wd, Height: h, MimeType: m.ContentType,
				SourceURL: links.Abs(a.cfg.SiteURL, a.media.Storage.URL(key))}
			if name != "full" {
				size.Filesize = new(int64) // renditions' sizes are not kept
			}
			out.MediaDetails.Sizes[name] = size
			if name == "full" {
				out.MediaDetails.File = key
				out.SourceURL = out.MediaDetails.Sizes[name].SourceURL
			}
		}
	}
	out.GUID.Rendered, out.Link = out.SourceURL, out.SourceURL
	out.Description.Rendered = `<p class="attachment"><a href='` + html.EscapeString(out.SourceURL) + `'><img decoding="async" src="` +
		html.EscapeString(out.SourceURL) + `" alt="` + html.EscapeString(m.Alt) + `" /></a></p>` + "\n"
	return out
}

func (a *API) bylines(r *http.Request) map[int64]int64 {
	out := map[int64]int64{}
	all, err := a.db.Authors(r.Context())
	if err != nil {
		return out
	}
	ids, err := a.wpIDs(r.Context())
	if err != nil {
		return out
	}
	var local []int64
	for _, au := range all {
		local = append(local, au.ID)
	}
	if ids.learn(r.Context(), wpAuthor, local) != nil {
		return out
	}
	for _, au := range all {
		if au.UserID != 0 {
			out[au.UserID] = ids.wp(wpAuthor, au.ID) // as /users shows it
		}
	}
	return out
}

// wpMediaList is GET /wp-json/wp/v2/media: page, per_page, search; the
// library is newest first.
func (a *API) wpMediaList(w http.ResponseWriter, r *http.Request) {
	page, per, ok := wpPaging(w, r)
	if !ok {
		return
	}
	if _, _, ok := wpOrder(w, r, []string{"date"}, "date", false); !ok {
		return
	}
	list, total, err := a.db.ListMedia(r.Context(), r.URL.Query().Get("search"), per, (page-1)*per)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if total > 0 && page > totalPages(total, per) {
		wpError(w, http.StatusBadRequest, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.", nil)
		return
	}
	by := a.bylines(r)
	out := make([]wpMediaJSON, 0, len(list))
	for _, m := range list {
		out = append(out, a.toWPMedia(m, by))
	}
	wpTotals(w, r, a.wpBase()+"/media", total, page, per)
	a.reply(w, r, http.StatusOK, out)
}

// wpMediaItem is GET /wp-json/wp/v2/media/{id}.
func (a *API) wpMediaItem(w http.ResponseWriter, r *http.Request) {
	m, found, err := a.mediaOf(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !found {
		wpError(w, http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.", nil)
		return
	}
	a.reply(w, r, http.StatusOK, a.toWPMedia(m, a.bylines(r)))
}
