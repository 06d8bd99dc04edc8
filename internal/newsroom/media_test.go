package newsroom_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// upload posts a small PNG to the library as c and returns its item.
func upload(t *testing.T, f *fixture, c *client, db *store.DB) store.Media {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	code := postImage(t, c, img, "steppe.png", "The steppe")
	items, _, err := db.ListMedia(context.Background(), "steppe", 1, 0)
	must(t, err)
	if len(items) != 1 {
		t.Fatalf("upload: %d, %d items", code, len(items))
	}
	return items[0]
}

// Editors fix an image's words and delete unused images; an image an
// article shows cannot be deleted; contributors may do neither.
func TestMediaEditAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ed := f.as(t, auth.Editor)
		m := upload(t, f, ed, db)
		path := "/newsroom/media/" + strconv.FormatInt(m.ID, 10)

		if code, _ := f.as(t, auth.Contributor).post(path, url.Values{"op": {"delete"}}); code != http.StatusForbidden {
			t.Errorf("contributor deleting: %d", code)
		}
		if code, _ := ed.post(path, url.Values{"op": {"save"}, "alt": {"Grass to the horizon"}, "caption": {"Near Astana"}, "credit": {"Photo: A. S."}}); code != http.StatusSeeOther {
			t.Fatalf("saving: %d", code)
		}
		got, err := db.MediaByID(context.Background(), m.ID)
		must(t, err)
		if got.Alt != "Grass to the horizon" || got.Caption != "Near Astana" || got.Credit != "Photo: A. S." {
			t.Fatalf("saved text: %+v", got)
		}

		a := f.article(t, f.users[auth.Editor], news.StatusPublished, "Steppe story")
		a.Image = &news.Figure{URL: "/media/" + got.Renditions[got.Widths()[0]], Alt: got.Alt}
		must(t, db.SaveArticle(context.Background(), &a, f.users[auth.Editor].ID, ""))
		code, body := ed.post(path, url.Values{"op": {"delete"}})
		if code != http.StatusConflict || !strings.Contains(body, "shown in 1 article") {
			t.Fatalf("deleting an image in use: %d", code)
		}
		a.Image = nil
		must(t, db.SaveArticle(context.Background(), &a, f.users[auth.Editor].ID, ""))
		if code, _ := ed.post(path, url.Values{"op": {"delete"}}); code != http.StatusSeeOther {
			t.Fatalf("deleting an unused image: %d", code)
		}
		if _, err := db.MediaByID(context.Background(), m.ID); err == nil {
			t.Fatal("the image is still in the library")
		}
	})
}

// The attack of issue #11: a contributor posts an image to the shared
// media library. It is refused with 403 before the file is read, nothing
// is stored, and the contributor's library page offers no upload form;
// an author's upload goes through.
func TestContributorsCannotUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		con := f.as(t, auth.Contributor)
		if code := postImage(t, con, image.NewRGBA(image.Rect(0, 0, 8, 8)), "sneaky.png", ""); code != http.StatusForbidden {
			t.Fatalf("contributor's upload: %d, want 403", code)
		}
		if _, total, _ := db.ListMedia(context.Background(), "", 10, 0); total != 0 {
			t.Fatalf("a contributor's upload is in the library (%d items)", total)
		}
		code, body := con.get("/newsroom/media/")
		if code != http.StatusOK || strings.Contains(body, `type="file"`) {
			t.Errorf("contributor's library page: %d, upload form shown: %v", code, strings.Contains(body, `type="file"`))
		}
		upload(t, f, f.as(t, auth.Author), db)
		if _, body := f.as(t, auth.Author).get("/newsroom/media/"); !strings.Contains(body, `type="file"`) || strings.Contains(body, "Edit or delete") {
			t.Error("an author's library page should offer uploads and no edits")
		}
	})
}

// postImage posts img as a PNG file named name, with its alt text, to the
// library as c, and returns the status.
func postImage(t *testing.T, c *client, img image.Image, name, alt string) int {
	t.Helper()
	var file bytes.Buffer
	must(t, png.Encode(&file, img))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(file.Bytes())
	mw.WriteField("alt", alt)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/newsroom/media/", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.c.Do(req)
	must(t, err)
	resp.Body.Close()
	return resp.StatusCode
}
