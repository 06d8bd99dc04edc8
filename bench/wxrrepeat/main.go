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
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	out.Write(head)
	// The next copies are renumbered while this one is written, so a
	// reader at the other end of a pipe (an import) does not wait for
	// the regular expressions at each copy's turn.
	copies := make(chan []byte, 2)
	go func() {
		defer close(copies)
		for k := *from; k < *from+*times; k++ {
			if k == 0 {
				copies <- items
			} else {
				copies <- renumber(items, k)
			}
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
