package wordpress

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func FuzzReader(f *testing.F) {
	f.Add([]byte(smallExport))
	data, err := readFixtureBytes()
	if err == nil {
		// A slice of the real export keeps each run fast.
		f.Add(data[:16000])
		f.Add(data[len(data)-8000:])
	}
	f.Add([]byte(`<rss><channel><wp:wxr_version xmlns:wp="https://wordpress.org/export/1.1/">1.1</wp:wxr_version><item></item></channel></rss>`))
	f.Add([]byte("<html><body>"))
	f.Add([]byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"koi8-r\"?><rss/>"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bytes.NewReader(in))
		// Every record consumes at least one token, so a reader that makes
		// progress finishes within len(in)+1 calls.
		for i := 0; i <= len(in)+1; i++ {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				msg := err.Error()
				if !strings.HasPrefix(msg, "wordpress: ") || strings.Contains(msg, "goroutine") {
					t.Fatalf("error not in plain words: %q", msg)
				}
				var pe *PositionError
				if errors.As(err, &pe) && pe.Line < 1 {
					t.Fatalf("position error without a line: %q", msg)
				}
				return
			}
			if rec == nil {
				t.Fatal("nil record without error")
			}
			if it, ok := rec.(*Item); ok && (it.Offset < 0 || it.Offset > int64(len(in))) {
				t.Fatalf("offset %d outside input of %d bytes", it.Offset, len(in))
			}
		}
		t.Fatal("reader does not finish")
	})
}

func readFixtureBytes() ([]byte, error) {
	var b bytes.Buffer
	f, err := openFixture()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	_, err = b.ReadFrom(f)
	return b.Bytes(), err
}
