package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"dastan/internal/api"
	"dastan/internal/auth"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// smallPNG is an image no other test uploads: each seed makes another
// file.
func smallPNG(t *testing.T, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	img.Set(1, 1, color.RGBA{seed, 1, 2, 255})
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

// send posts body to path with the token and headers, and returns the
// status and the answer.
func (f *fixture) send(t *testing.T, path, token string, body io.Reader, header ...string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", f.srv.URL+path, body)
	must(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode == http.StatusCreated && resp.Header.Get("Location") == "" {
		t.Errorf("201 without Location")
	}
	return resp.StatusCode, out
}

// form is an upload as a multipart form.
func form(t *testing.T, file []byte, fields ...string) (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", "steppe.png")
	must(t, err)
	fw.Write(file)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	must(t, mw.Close())
	return &b, mw.FormDataContentType()
}

// The attack of issue #11 through the API: a contributor's token uploads
// to the shared library. It is refused with 403 and nothing is stored;
// readers get 401; authors and above upload, as a form or a bare body.
func TestUploadByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, api.Limits{})
		count := func() int {
			_, total, err := db.ListMedia(t.Context(), "", 1, 0)
			must(t, err)
			return total
		}
		before := count()
		body, ct := form(t, smallPNG(t, 1), "alt", "Steppe")
		if code, p := f.send(t, "/api/v1/media", f.tokens[auth.Contributor], body, "Content-Type", ct); code != http.StatusForbidden ||
			!strings.Contains(p["detail"].(string), "contributor role may not upload") {
			t.Errorf("contributor: %d %v", code, p)
		}
		body, ct = form(t, smallPNG(t, 1))
		if code, _ := f.send(t, "/api/v1/media", "", body, "Content-Type", ct); code != http.StatusUnauthorized {
			t.Errorf("reader: %d", code)
		}
		if n := count(); n != before {
			t.Fatalf("refused uploads are in the library: %d items, were %d", n, before)
		}
		for i, r := range []auth.Role{auth.Author, auth.Editor, auth.Admin} {
			body, ct := form(t, smallPNG(t, uint8(10+i)), "alt", "Steppe", "caption", "Near Astana\r\nspring")
			code, m := f.send(t, "/api/v1/media", f.tokens[r], body, "Content-Type", ct)
			if code != http.StatusCreated || m["alt"] != "Steppe" || m["caption"] != "Near Astana\nspring" || m["width"] != float64(30) {
				t.Errorf("%s: %d %v", r, code, m)
			}
		}
		code, m := f.send(t, "/api/v1/media?alt=Bare", f.tokens[auth.Author], bytes.NewReader(smallPNG(t, 20)),
			"Content-Type", "image/png", "Content-Disposition", `attachment; filename="bare.png"`)
		if code != http.StatusCreated || m["alt"] != "Bare" {
			t.Errorf("bare body: %d %v", code, m)
		}
		if n := count(); n != before+4 {
			t.Errorf("%d items after four uploads, want %d", n, before+4)
		}
	})
}

// Bad uploads are refused in words, naming the field when a text is at
// fault.
func TestUploadRefusals(t *testing.T) {
	f := newFixture(t, storetest.Open(t, "sqlite"), api.Limits{})
	tok := f.tokens[auth.Editor]
	body, ct := form(t, smallPNG(t, 30), "caption", "Ala-Too\x00")
	if code, p := f.send(t, "/api/v1/media", tok, body, "Content-Type", ct); code != http.StatusUnprocessableEntity || p["field"] != "caption" {
		t.Errorf("NUL in a caption: %d %v", code, p)
	}
	body, ct = form(t, []byte("<html>not an image</html>"))
	if code, p := f.send(t, "/api/v1/media", tok, body, "Content-Type", ct); code != http.StatusUnprocessableEntity || p["title"] != "Image refused" {
		t.Errorf("not an image: %d %v", code, p)
	}
	if code, _ := f.send(t, "/api/v1/media", tok, bytes.NewReader(smallPNG(t, 31)), "Content-Type", "image/png"); code != http.StatusBadRequest {
		t.Errorf("a bare body without a file name: %d", code)
	}
}
