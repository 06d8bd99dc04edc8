package wordpress

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readEither reads every record of an export, with the guard taking CDATA
// sections' texts (cdata.go) or not, and the error that ended it.
func readEither(in []byte, takes bool, maxItem int64) ([]Record, string) {
	r := NewReader(bytes.NewReader(in))
	r.guard.takes = takes
	if maxItem != 0 {
		r.MaxItemSize = maxItem
	}
	var recs []Record
	for i := 0; i <= len(in)+1; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, ""
		}
		if err != nil {
			return recs, err.Error()
		}
		recs = append(recs, rec)
	}
	return recs, "no progress"
}

// sameAsDecoder fails t unless in reads the same, records (offsets and
// lines included) and error, whether the guard takes texts or not; it
// returns how many texts the guard took.
func sameAsDecoder(t *testing.T, name string, in []byte, maxItem int64) {
	t.Helper()
	want, wantErr := readEither(in, false, maxItem)
	got, gotErr := readEither(in, true, maxItem)
	if gotErr != wantErr {
		t.Errorf("%s: error %q, the decoder's %q", name, gotErr, wantErr)
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d records, the decoder's %d", name, len(got), len(want))
		return
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s: record %d is\n%+v\nthe decoder's\n%+v", name, i, got[i], want[i])
		}
	}
}

// The guard's taking of CDATA texts changes nothing the reader returns:
// the real export, and sections that end at once, hold "]]" and line
// ends of every kind, straddle the guard's buffer or outgrow it, hold a
// character XML refuses, are cut off by the end of the file, or push an
// item past its limit.
func TestTakenCDATAReadsAsTheDecoder(t *testing.T) {
	if data, err := readFixtureBytes(); err == nil {
		sameAsDecoder(t, "the real export", data, 0)
	} else {
		t.Logf("no real export: %v", err)
	}
	sameAsDecoder(t, "the small export", []byte(smallExport), 0)
	item := func(body string) string {
		return `<item><title><![CDATA[A title]]></title><wp:post_id>7</wp:post_id>` +
			"\n<content:encoded><![CDATA[" + body + "]]></content:encoded>\n" +
			`<wp:post_type><![CDATA[post]]></wp:post_type></item>` + "\n"
	}
	doc := func(items ...string) []byte {
		i := strings.Index(smallExport, "<item>")
		return []byte(smallExport[:i] + strings.Join(items, "") + "</channel>\n</rss>\n")
	}
	long := strings.Repeat("Пайплайн carries gas.\n", 9000) // ~200 KB
	cases := map[string][]byte{
		"empty":        doc(item("")),
		"brackets":     doc(item("a]]b ]] c]"), item("]"), item("x]]]")),
		"line ends":    doc(item("one\r\ntwo\rthree\n\r\nfour\r\r\n"), item("\r")),
		"straddling":   doc(item(long), item(long), item(long)),
		"outgrowing":   doc(item(long + long)),
		"refused":      doc(item("ok"), item("bad \uFFFE char")),
		"cut off":      doc(item("first"), item("unfinished")[:60]),
		"cut in CDATA": doc(item("first"), item(long)[:100000]),
		"error after":  doc(item("two\nlines") + "<wp:bad attr>"),
	}
	takenCases = nil
	for name, in := range cases {
		sameAsDecoder(t, name, in, 0)
		takenCases = append(takenCases, in)
	}
	for _, limit := range []int64{300, 1000, 100_000} {
		sameAsDecoder(t, fmt.Sprintf("items over %d bytes", limit), doc(item(long), item("short"), item(strings.Repeat("é", 400))), limit)
	}
}

// Exports damaged at random (bytes changed, runs of them dropped, the
// end cut off) read the same too, records and errors, whether the guard
// takes CDATA texts or not. (Running FuzzTakenCDATA finds more.)
func TestTakenCDATAReadsDamagedExportsAsTheDecoder(t *testing.T) {
	TestTakenCDATAReadsAsTheDecoder(t)
	rng := rand.New(rand.NewSource(1))
	seeds := append([][]byte{[]byte(smallExport)}, takenCases...)
	slices.SortFunc(seeds, bytes.Compare) // the cases come from a map
	for range 400 {
		in := append([]byte{}, seeds[rng.Intn(len(seeds))]...)
		for k := rng.Intn(4) + 1; k > 0 && len(in) > 1; k-- {
			switch rng.Intn(3) {
			case 0:
				in[rng.Intn(len(in))] = byte(rng.Intn(256))
			case 1:
				p := rng.Intn(len(in))
				in = append(in[:p], in[min(len(in), p+rng.Intn(20)):]...)
			case 2:
				in = in[:rng.Intn(len(in))+1]
			}
		}
		sameAsDecoder(t, fmt.Sprintf("damaged %q…", clip(string(in), 40)), in, []int64{0, 300, 50}[rng.Intn(3)])
	}
}

// takenCases are TestTakenCDATAReadsAsTheDecoder's exports, which the
// damaged ones are made from.
var takenCases [][]byte

// FuzzTakenCDATA: whatever the export, the reader returns the same
// records and error whether the guard takes CDATA texts or not.
func FuzzTakenCDATA(f *testing.F) {
	f.Add([]byte(smallExport), int64(0))
	f.Add([]byte(smallExport), int64(500))
	f.Add([]byte("<rss><channel><item><title><![CDATA[a\r\nb]]></title>\n<x>]]></x></item></channel></rss>"), int64(0))
	f.Fuzz(func(t *testing.T, in []byte, limit int64) {
		sameAsDecoder(t, "fuzzed", in, limit)
	})
}

// The guard does take the texts of a real export's bodies: the test
// above would otherwise compare the decoder with itself.
func TestGuardTakesCDATATexts(t *testing.T) {
	in := []byte(strings.Replace(smallExport, "Body]]]]><![CDATA[>tail", "A long enough body.", 1))
	var it *Item
	r := NewReader(bytes.NewReader(in))
	for it == nil {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		it, _ = rec.(*Item)
	}
	if it.Content != "A long enough body." {
		t.Errorf("content %q", it.Content)
	}
	if r.guard.dropped == 0 {
		t.Error("the guard took no text: every byte went through the decoder")
	}
}
