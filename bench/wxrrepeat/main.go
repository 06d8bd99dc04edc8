// Command wxrrepeat writes a larger archive of WordPress's own shape by
// repeating an export WordPress wrote (the news fixture of 10,000 posts)
// with new ids and slugs: the posts keep their words, so searches meet
// the corpus's vocabulary at every size, which a generated archive does
// not. Each copy after the first gives every item's post id, parent,
// guid, link and slug a suffix or an offset; the site's terms are shared.
//
//	xz -dk ../shared/fixtures/wordpress/wordpress-news-10000.xml.xz
//	go run ./bench/wxrrepeat -times 10 wordpress-news-10000.xml > news100k-real.xml
//
// -from K starts at copy K, so that the copies an archive does not hold
// yet can be imported into it: `-from 100 -times 10` is the 100,000
// posts that follow a million made with `-times 100`.
//
// -ascending N gives copy k the k-th of N slices of the export's span of
// dates instead of the whole span again: the archive's dates then ascend
// from its first item to its last, as a real archive's do (WordPress
// writes items by id), rather than every copy going back to the first
// day. Every date of an item (pubDate, post_date, post_modified and their
// GMT forms) moves by the same amount.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"regexp"
	"strconv"
	"time"
)

// offset separates the copies' post ids; the fixture's are far below it.
const offset = 1_000_000

var (
	rePostID = regexp.MustCompile(`<wp:post_id>(\d+)</wp:post_id>`)
	reParent = regexp.MustCompile(`<wp:post_parent>([1-9]\d*)</wp:post_parent>`)
	reGUID   = regexp.MustCompile(`(<guid[^>]*>[^<]*\?p=)(\d+)(</guid>)`)
	reName   = regexp.MustCompile(`<wp:post_name><!\[CDATA\[([^\]]+)\]\]></wp:post_name>`)
	reLink   = regexp.MustCompile(`(<link>[^<]*/)([^/<]+)(/</link>)`)
)

func main() {
	times := flag.Int("times", 10, "how many copies of the export's items")
	from := flag.Int("from", 0, "the first copy's number (0: the export itself)")
	ascending := flag.Int("ascending", 0, "give copy k the k-th of this many slices of the export's dates (0: every copy keeps them)")
	flag.Parse()
	if flag.NArg() != 1 || *from < 0 {
		log.Fatal("usage: wxrrepeat [-from K] [-times N] EXPORT.xml > OUT.xml")
	}
	src, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	first := bytes.Index(src, []byte("<item>"))
	last := bytes.LastIndex(src, []byte("</item>"))
	if first < 0 || last < 0 {
		log.Fatal("wxrrepeat: the export has no items")
	}
	last += len("</item>")
	head, items, tail := src[:first], src[first:last], src[last:]
	var dates *dateSlices
	if *ascending > 0 {
		dates = newDateSlices(items, *ascending)
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	out.Write(head)
	// The next copies are renumbered while this one is written, so a
	// reader at the other end of a pipe (an import) does not wait for
	// the regular expressions at each copy's turn.
	copies := make(chan []byte, 2)
	go func() {
		defer close(copies)
		for k := *from; k < *from+*times; k++ {
			c := items
			if k > 0 {
				c = renumber(items, k)
			}
			if dates != nil {
				c = dates.move(c, k)
			}
			copies <- c
		}
	}()
	for c := range copies {
		out.Write(c)
		out.WriteString("\n")
	}
	out.Write(tail)
	if err := out.Flush(); err != nil {
		log.Fatal(err)
	}
}

// renumber is copy k of the items: ids moved by k×offset, slugs and
// links given "-k".
func renumber(items []byte, k int) []byte {
	shift := func(re *regexp.Regexp, group int) func([]byte) []byte {
		return func(m []byte) []byte {
			sub := re.FindSubmatchIndex(m)
			n, _ := strconv.Atoi(string(m[sub[2*group]:sub[2*group+1]]))
			var b bytes.Buffer
			b.Write(m[:sub[2*group]])
			b.WriteString(strconv.Itoa(n + k*offset))
			b.Write(m[sub[2*group+1]:])
			return b.Bytes()
		}
	}
	suffix := fmt.Sprintf("-%d", k)
	items = rePostID.ReplaceAllFunc(items, shift(rePostID, 1))
	items = reParent.ReplaceAllFunc(items, shift(reParent, 1))
	items = reGUID.ReplaceAllFunc(items, shift(reGUID, 2))
	items = reName.ReplaceAll(items, []byte(`<wp:post_name><![CDATA[${1}`+suffix+`]]></wp:post_name>`))
	items = reLink.ReplaceAll(items, []byte(`${1}${2}`+suffix+`${3}`))
	return items
}

// dateSlices moves each copy's items into its own slice of the export's
// span of post dates.
type dateSlices struct {
	lo, span int64 // Unix seconds; the span of post_date_gmt in seconds
	n        int64
}

const (
	wpDate  = "2006-01-02 15:04:05"
	rssDate = "Mon, 02 Jan 2006 15:04:05 -0700"
)

// The date fields of an item, each its opening and what closes it.
var dateFields = [][2]string{
	{"<wp:post_date_gmt><![CDATA[", "]]>"},
	{"<wp:post_date><![CDATA[", "]]>"},
	{"<wp:post_modified_gmt><![CDATA[", "]]>"},
	{"<wp:post_modified><![CDATA[", "]]>"},
	{"<pubDate>", "</pubDate>"},
}

func newDateSlices(items []byte, n int) *dateSlices {
	var lo, hi time.Time
	for rest := items; ; {
		i := bytes.Index(rest, []byte(dateFields[0][0]))
		if i < 0 {
			break
		}
		rest = rest[i+len(dateFields[0][0]):]
		t, err := time.Parse(wpDate, string(rest[:min(len(wpDate), len(rest))]))
		if err != nil { // 0000-00-00 for drafts
			continue
		}
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	if lo.IsZero() {
		log.Fatal("wxrrepeat: no post_date_gmt to spread")
	}
	return &dateSlices{lo: lo.Unix(), span: hi.Unix() - lo.Unix(), n: int64(n)}
}

// move is items with each item's dates moved into copy k's slice.
func (d *dateSlices) move(items []byte, k int) []byte {
	var out bytes.Buffer
	out.Grow(len(items))
	for len(items) > 0 {
		end := bytes.Index(items, []byte("</item>"))
		if end < 0 {
			out.Write(items)
			break
		}
		end += len("</item>")
		out.Write(d.moveItem(items[:end], k))
		items = items[end:]
	}
	return out.Bytes()
}

func (d *dateSlices) moveItem(item []byte, k int) []byte {
	open := []byte(dateFields[0][0])
	i := bytes.Index(item, open)
	if i < 0 {
		return item
	}
	t, err := time.Parse(wpDate, string(item[i+len(open):min(i+len(open)+len(wpDate), len(item))]))
	if err != nil {
		return item // a draft's 0000-00-00
	}
	// In seconds: k spans in nanoseconds overflow an int64.
	at := t.Unix() - d.lo
	delta := time.Duration((int64(k)*d.span+at)/d.n-at) * time.Second
	out := append([]byte(nil), item...)
	for _, f := range dateFields {
		j := bytes.Index(out, []byte(f[0]))
		if j < 0 {
			continue
		}
		from := j + len(f[0])
		to := bytes.Index(out[from:], []byte(f[1]))
		if to < 0 {
			continue
		}
		to += from
		layout := wpDate
		if f[0] == "<pubDate>" {
			layout = rssDate
		}
		v, err := time.Parse(layout, string(out[from:to]))
		if err != nil {
			continue
		}
		s := v.Add(delta).Format(layout)
		out = append(out[:from], append([]byte(s), out[to:]...)...)
	}
	return out
}
