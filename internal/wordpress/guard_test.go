package wordpress

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

const guardHead = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>The Times of Central Asia</title>
	<wp:wxr_version>1.2</wp:wxr_version>
`

const guardTail = "</channel>\n</rss>\n"

// guardItem is a post whose content element is content (markup and all)
// and that carries extra elements after its id.
func guardItem(id int, title, content, extra string) string {
	return fmt.Sprintf("\t<item>\n\t\t<title>%s</title>\n\t\t<content:encoded>%s</content:encoded>\n"+
		"\t\t<wp:post_id>%d</wp:post_id>\n\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n%s\t</item>\n", title, content, id, extra)
}

// oversized are items bigger than 64 KiB in every shape an export can
// make one: a CDATA section (of Cyrillic, so cuts fall inside letters),
// escaped text full of entities, split CDATA sections and stray "]]",
// thousands of comments, an enormous attribute, an XML comment.
func oversized() map[string]string {
	ru := strings.Repeat("<p>Правительство заявило во вторник, что новые правила вступят в силу.</p>\n", 2000)
	var comments strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&comments, "\t\t<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_content><![CDATA[Спасибо за статью, %d]]></wp:comment_content></wp:comment>\n", i, i)
	}
	return map[string]string{
		"cdata":     guardItem(101, "Огромный пост", "<![CDATA["+ru+"]]>", ""),
		"escaped":   guardItem(102, "Escaped &amp; long", strings.Repeat("&lt;p&gt;Tokayev &amp; Mirziyoyev met in &quot;Astana&quot;.&lt;/p&gt;\n", 3000), ""),
		"split":     guardItem(103, "Split sections", "<![CDATA["+strings.Repeat("a]]]]><![CDATA[>b ]] ] c]", 9000)+"]]>", ""),
		"comments":  guardItem(104, "Much discussed", "<![CDATA[Short.]]>", comments.String()),
		"attribute": guardItem(105, "Odd tag", "<![CDATA[Short.]]>", `		<category domain="post_tag" nicename="`+strings.Repeat("ж&amp;", 40000)+`"><![CDATA[Tag]]></category>`+"\n"),
		"comment":   guardItem(106, "Commented out", "<![CDATA[Short.]]>", "\t\t<!-- "+strings.Repeat("old - markup ", 9000)+" -->\n"),
	}
}

func readWith(t *testing.T, doc string, limit int64) []Record {
	t.Helper()
	r := NewReader(strings.NewReader(doc))
	r.MaxItemSize = limit
	return drain(t, r)
}

// drain reads every record of r.
func drain(t *testing.T, r *Reader) []Record {
	t.Helper()
	var recs []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs
		}
		if err != nil {
			t.Fatalf("limit %d: %v", r.MaxItemSize, err)
		}
		recs = append(recs, rec)
	}
}

// An item over the limit comes back as a *TooLarge that names it by id,
// title and line; the items after it read exactly as without a limit,
// lines and offsets included.
func TestItemOverTheLimitIsSkipped(t *testing.T) {
	for name, big := range oversized() {
		t.Run(name, func(t *testing.T) {
			doc := guardHead + guardItem(1, "Before", "<![CDATA[<p>One.</p>]]>", "") + big +
				guardItem(2, "After", "<![CDATA[<p>Two ]] &amp; три.</p>]]>", "\t\t<!-- a note -->\n") + guardTail
			whole := readWith(t, doc, 0)
			cut := readWith(t, doc, 64<<10)
			if len(whole) != 4 || len(cut) != 4 {
				t.Fatalf("%d and %d records, want 4", len(whole), len(cut))
			}
			if !reflect.DeepEqual(cut[1], whole[1]) || !reflect.DeepEqual(cut[3], whole[3]) {
				t.Errorf("the items around it changed:\n%+v\n%+v", cut[3], whole[3])
			}
			w := whole[2].(*Item)
			tl, ok := cut[2].(*TooLarge)
			if !ok {
				t.Fatalf("got %T, want *TooLarge", cut[2])
			}
			size := int64(strings.Index(doc[w.Offset:], "</item>") + len("</item>"))
			if tl.ID != w.ID || tl.Type != "post" || tl.Title != w.Title || tl.Line != w.Line || tl.Offset != w.Offset ||
				tl.Size != size || tl.Limit != 64<<10 {
				t.Errorf("got %+v; the item is %d %q at line %d, offset %d, %d bytes", tl, w.ID, w.Title, w.Line, w.Offset, size)
			}

			// The limit is exact: an item of the limit's size is read.
			if _, ok := readWith(t, doc, tl.Size)[2].(*Item); !ok {
				t.Errorf("an item of exactly the limit (%d bytes) was skipped", tl.Size)
			}
			if _, ok := readWith(t, doc, tl.Size-1)[2].(*TooLarge); !ok {
				t.Errorf("an item one byte over the limit was read")
			}
		})
	}
}

// repeatReader serves a prefix, then one chunk over and over up to n
// bytes, then a suffix, holding only those three in memory.
type repeatReader struct {
	head, chunk, tail []byte
	n                 int64
	sent              int64
	out               []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		switch {
		case r.head != nil:
			r.out, r.head = r.head, nil
		case r.sent < r.n:
			r.out = r.chunk
			r.sent += int64(len(r.chunk))
		case r.tail != nil:
			r.out, r.tail = r.tail, nil
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// Reading past a 64 MiB item allocates a small fraction of it: the guard
// drops its text before the XML decoder buffers it.
func TestItemOverTheLimitIsNotHeldInMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	const size = 64 << 20
	src := &repeatReader{
		head:  []byte(guardHead + "\t<item>\n\t\t<title>The enormous post</title>\n\t\t<content:encoded><![CDATA["),
		chunk: bytes.Repeat([]byte("<p>Правительство заявило во вторник.</p>\n"), 100),
		n:     size,
		tail:  []byte("]]></content:encoded>\n\t\t<wp:post_id>7</wp:post_id>\n\t</item>\n" + guardItem(8, "Next", "<![CDATA[Fine.]]>", "") + guardTail),
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := NewReader(src)
	r.MaxItemSize = 1 << 20
	recs := drain(t, r)
	runtime.ReadMemStats(&after)
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	if tl, ok := recs[1].(*TooLarge); !ok || tl.ID != 7 || tl.Size < size {
		t.Errorf("got %+v, want the 64 MiB post 7 skipped", recs[1])
	}
	if it, ok := recs[2].(*Item); !ok || it.ID != 8 {
		t.Errorf("got %+v, want post 8", recs[2])
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("reading past a %d MiB item allocated %d MiB", size>>20, alloc>>20)
	}
}

// readRecords reads doc with limit, stopping at the first error.
func readRecords(doc []byte, limit int64) ([]Record, error) {
	r := NewReader(bytes.NewReader(doc))
	r.MaxItemSize = limit
	var recs []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

// Whatever an export holds, a limit changes nothing but the items over
// it: they come back as *TooLarge where they were, and every other
// record, line and offset is as without a limit. Cutting never makes a
// readable export unreadable.
func FuzzItemGuard(f *testing.F) {
	for _, big := range oversized() {
		f.Add([]byte(guardHead+guardItem(1, "A", "<![CDATA[x]]>", "")+big[:min(len(big), 3000)]+"\n\t</item>\n"+guardTail), uint16(300))
	}
	f.Add([]byte(guardHead+guardItem(1, "A &amp; B", "&lt;p&gt;ж&amp;ж&lt;/p&gt;", "\t\t<!-- c - c -->\n")+guardTail), uint16(90))
	f.Add([]byte(guardHead+guardItem(1, "A", "<![CDATA[]]]]><![CDATA[>]]>", `<x a="ж&quot;'" b='"'/>`)+guardTail), uint16(80))
	f.Fuzz(func(t *testing.T, doc []byte, limit uint16) {
		whole, err := readRecords(doc, 0)
		if err != nil {
			return
		}
		cut, err := readRecords(doc, int64(limit)+1)
		if err != nil {
			t.Fatalf("readable without a limit, not with %d: %v", limit+1, err)
		}
		if len(cut) != len(whole) {
			t.Fatalf("%d records with a limit, %d without", len(cut), len(whole))
		}
		for i := range whole {
			tl, ok := cut[i].(*TooLarge)
			if !ok {
				if !reflect.DeepEqual(cut[i], whole[i]) {
					t.Fatalf("record %d changed:\n%+v\n%+v", i, cut[i], whole[i])
				}
				continue
			}
			it, ok := whole[i].(*Item)
			if !ok || tl.Line != it.Line || tl.Offset != it.Offset || tl.Size <= int64(limit)+1 {
				t.Fatalf("record %d: %+v for %+v", i, tl, whole[i])
			}
		}
	})
}

// The guard's short way for plain text and CDATA passes on and drops
// exactly what stepping every byte would, and counts the same.
func FuzzItemGuardShortWay(f *testing.F) {
	for _, big := range oversized() {
		f.Add([]byte(guardItem(1, "A", "<![CDATA[x]]>", "")+big[:min(len(big), 3000)]+"\n\t</item>\n"), uint16(300))
	}
	f.Add([]byte(guardItem(1, "A &amp; B", "&lt;p&gt;ж&amp;ж&lt;/p&gt;", "\t\t<!-- c - c -->\n")), uint16(90))
	f.Add([]byte(guardItem(1, "A", "<![CDATA[]]]]><![CDATA[>]]>", `<x a="ж&quot;'" b='"'/>`)), uint16(80))
	f.Fuzz(func(t *testing.T, doc []byte, limit uint16) {
		read := func(stepped bool) ([]byte, *itemGuard) {
			g := newItemGuard(bytes.NewReader(doc))
			g.begin(0, int64(limit))
			var out []byte
			for {
				next := g.ReadByte
				if stepped {
					next = g.readByteStepped
				}
				b, err := next()
				if err == io.EOF {
					return out, g
				}
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, b)
			}
		}
		short, gs := read(false)
		long, gl := read(true)
		if !bytes.Equal(short, long) || gs.dropped != gl.dropped || gs.lines != gl.lines || gs.over != gl.over || gs.pos != gl.pos {
			t.Fatalf("short way %q (dropped %d, lines %d, over %v), stepped %q (dropped %d, lines %d, over %v)",
				short, gs.dropped, gs.lines, gs.over, long, gl.dropped, gl.lines, gl.over)
		}
	})
}
