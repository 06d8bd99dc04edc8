package server_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dastan/internal/config"
	"dastan/internal/media/s3test"
	"dastan/internal/server"
	"dastan/internal/store/storetest"
)

// Instances sharing a PostgreSQL database and a bucket share the media
// library: an image uploaded through one is served by the others, from
// the bucket, at the address the API gave; with a public URL set, the
// API gives the CDN's address instead.
func TestInstancesShareMediaInABucket(t *testing.T) {
	dbURL := storetest.NewPostgresDatabase(t)
	b := s3test.Bucket(t)
	storage := config.MediaStorage{Bucket: b.Bucket, Prefix: "media", Endpoint: b.Endpoint, Region: b.Region,
		AccessKey: b.AccessKey, SecretKey: b.SecretKey}
	withBucket := func(publicURL string) func(*server.Options) {
		return func(o *server.Options) {
			o.Config.Media = storage
			o.Config.Media.PublicURL = publicURL
		}
	}
	a := startInstance(t, dbURL, withBucket(""))
	other := startInstance(t, dbURL, withBucket(""))
	cdn := startInstance(t, dbURL, withBucket("https://cdn.example.org"))
	token := staffToken(t, a.db)

	img := image.NewRGBA(image.Rect(0, 0, 800, 500))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(0, 0, color.White)
	var pic bytes.Buffer
	must(t, jpeg.Encode(&pic, img, nil))
	req, err := http.NewRequest("POST", a.url+"/api/v1/media?alt=Steppe", bytes.NewReader(pic.Bytes()))
	must(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "image/jpeg")
	req.Header.Set("Content-Disposition", `attachment; filename="steppe.jpg"`)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var m struct {
		ID    int64
		URL   string
		Sizes []struct{ URL string }
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &m) != nil || len(m.Sizes) < 2 {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	for _, s := range m.Sizes {
		u, err := url.Parse(s.URL)
		must(t, err)
		path := u.Path
		if !strings.HasPrefix(path, "/media/") {
			t.Fatalf("size URL %s", s.URL)
		}
		resp, err := http.Get(other.url + path)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix(b, []byte{0xFF, 0xD8}) {
			t.Fatalf("GET %s from another instance: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}

	var viaCDN struct{ URL string }
	req, err = http.NewRequest("GET", cdn.url+"/api/v1/media/"+strconv.FormatInt(m.ID, 10), nil)
	must(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	must(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	must(t, json.Unmarshal(body, &viaCDN))
	if !strings.HasPrefix(viaCDN.URL, "https://cdn.example.org/media/") || !strings.HasSuffix(viaCDN.URL, m.URL[strings.Index(m.URL, "/media/")+len("/media"):]) {
		t.Fatalf("URL with a public base: %s (without: %s)", viaCDN.URL, m.URL)
	}
}
