package wordpress

import "io"

// DefaultMaxItemSize bounds one item of an export, from <item> to
// </item>. Real posts, even long reads with many comments, stay far below
// it; a bigger one is almost always pasted images or a plugin's dump, and
// importing it would take memory many times its size.
const DefaultMaxItemSize = 8 << 20

// runTail is how much of each run of text an item over its limit still
// passes on: enough for the small fields (its id and type) that name it
// in the report.
const runTail = 256

// Lexical states of the guard: just enough XML to know where text may be
// cut without breaking the document.
const (
	lxText      = iota // character data between tags
	lxLT               // after '<'
	lxBang             // after "<!"
	lxCDATAOpen        // inside "<![CDATA["
	lxDashOpen         // after "<!-"
	lxTag              // inside a tag
	lxQuote            // inside a quoted attribute value
	lxCDATA            // inside a CDATA section
	lxComment          // inside a comment
)

// itemGuard sits between an export and the XML decoder and keeps an item
// bigger than its limit from being read into memory. Past the limit it
// drops what the item's text, CDATA sections, comments and attribute
// values hold beyond a short tail, at points where the document stays
// well-formed, so the decoder reads on to </item> holding little. The
// decoder reads it a byte at a time, so the guard always knows exactly how
// far the decoder has got.
type itemGuard struct {
	src  io.Reader
	buf  []byte // read from src: buf[r:w] is not passed on yet
	r, w int
	rerr error // src's error, given once buf is passed on
	pos  int64 // bytes read from buf

	state   int
	k       int  // progress through a marker ("CDATA[", "]]", "--")
	quote   byte // the quote an attribute value opened with
	entity  bool // inside &…; in text or an attribute value
	runLen  int  // bytes of the current run passed on
	cutting bool // the current run is being dropped
	pending []byte

	open    bool
	start   int64 // where the guarded item began, in bytes of src
	limit   int64
	over    bool
	dropped int64 // bytes read but not passed on, net of inserted ones
	lines   int   // newlines among them

	// takes says whether CDATA sections' texts are taken (cdata.go);
	// taken is the text taken and not yet asked for, takenTail how many
	// bytes of it follow its last newline, takenLines whether it has one.
	takes      bool
	taken      []byte
	takenTail  int
	takenLines bool
}

func newItemGuard(src io.Reader) *itemGuard {
	// Big enough for nearly every body's CDATA section (cdata.go).
	return &itemGuard{src: src, buf: make([]byte, 256<<10)}
}

// begin guards the item that started at byte start of src; limit <= 0
// means no limit.
func (g *itemGuard) begin(start, limit int64) {
	g.open, g.start, g.limit, g.over = limit > 0, start, limit, false
}

// end stops guarding and tells the item's size and whether it passed the
// limit (and so lost text).
func (g *itemGuard) end() (size int64, over bool) {
	size, over = g.pos-g.start, g.over
	g.open, g.over = false, false
	return size, over
}

func (g *itemGuard) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		b, err := g.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		p[n] = b
		n++
		if g.r == g.w && len(g.pending) == 0 {
			break
		}
	}
	return n, nil
}

// ReadByte passes on the next byte of the export, or drops bytes of an
// item over its limit until one must be passed on. The decoder calls it
// for every byte of the export: a byte of text or CDATA within the
// limit, nearly all of them, takes a short way with the same effect as
// step's.
func (g *itemGuard) ReadByte() (byte, error) {
	if g.r < g.w && len(g.pending) == 0 && !g.over && !g.cutting && (!g.open || g.pos+1-g.start <= g.limit) {
		if g.takes && g.state == lxCDATA && g.runLen == 0 && g.k == 0 && g.taken == nil {
			g.takeCDATA()
		}
		b := g.buf[g.r]
		plain := false
		switch g.state {
		case lxCDATA:
			plain = b != ']' && b != '>'
		case lxText:
			plain = b != '<' && b != '&' && b != ';'
		}
		if plain {
			if g.state == lxCDATA {
				g.k = 0
			}
			g.r++
			g.pos++
			g.runLen++
			return b, nil
		}
	}
	return g.readByteStepped()
}

// readByteStepped is ReadByte with every byte through step.
func (g *itemGuard) readByteStepped() (byte, error) {
	if len(g.pending) > 0 {
		b := g.pending[0]
		g.pending = g.pending[1:]
		return b, nil
	}
	for {
		b, err := g.next()
		if err != nil {
			return 0, err
		}
		g.pos++
		if g.open && !g.over && g.pos-g.start > g.limit {
			g.over = true
		}
		if closer, pass := g.step(b); pass {
			if closer == nil {
				return b, nil
			}
			g.pending = closer[1:]
			g.dropped -= int64(len(closer) - 1)
			return closer[0], nil
		}
		g.dropped++
		if b == '\n' {
			g.lines++
		}
	}
}

// next reads the next byte of src, as bufio.Reader.ReadByte would: an
// error of src comes once the bytes read with it are passed on.
func (g *itemGuard) next() (byte, error) {
	for g.r == g.w {
		if g.rerr != nil {
			err := g.rerr
			g.rerr = nil
			return 0, err
		}
		g.fill()
	}
	b := g.buf[g.r]
	g.r++
	return b, nil
}

// fill reads into the empty buffer; a reader that keeps returning
// nothing is given up on, as bufio does.
func (g *itemGuard) fill() {
	g.r, g.w = 0, 0
	g.read()
}

// read reads from src into the buffer after g.w.
func (g *itemGuard) read() {
	for range 100 {
		n, err := g.src.Read(g.buf[g.w:])
		g.w += n
		if err != nil {
			g.rerr = err
			return
		}
		if n > 0 {
			return
		}
	}
	g.rerr = io.ErrNoProgress
}

var (
	cdataOpen  = []byte("CDATA[")
	cdataClose = []byte("]]>")
	// A space first: the comment may have been cut just after a '-'.
	commentClose = []byte(" -->")
)

// step moves the lexical state over b and says what to pass on for it:
// b itself (pass, no closer), nothing (no pass: b is dropped), or closer,
// a closing marker that stands for b and the dropped bytes before it.
func (g *itemGuard) step(b byte) (closer []byte, pass bool) {
	// A run is cut only past the limit, after its tail, and never inside
	// an entity or a UTF-8 sequence; once cut it stays cut to its end.
	if !g.cutting && g.over && g.runLen >= runTail && !g.entity && b&0xC0 != 0x80 {
		switch g.state {
		case lxText, lxQuote, lxCDATA, lxComment:
			g.cutting = true
		}
	}
	switch g.state {
	case lxText, lxQuote:
		end := b == '<'
		if g.state == lxQuote {
			end = b == g.quote
		}
		if end {
			g.entity, g.runLen, g.cutting = false, 0, false
			if g.state == lxQuote {
				g.state = lxTag
			} else {
				g.state = lxLT
			}
			return nil, true
		}
		if g.cutting {
			return nil, false
		}
		if b == '&' {
			g.entity = true
		} else if b == ';' {
			g.entity = false
		}
		g.runLen++
		return nil, true
	case lxLT:
		g.state = lxTag
		if b == '!' {
			g.state = lxBang
		}
		g.tag(b)
		return nil, true
	case lxBang:
		switch b {
		case '[':
			g.state, g.k = lxCDATAOpen, 0
		case '-':
			g.state = lxDashOpen
		default:
			g.state = lxTag
		}
		return nil, true
	case lxCDATAOpen:
		if b == cdataOpen[g.k] {
			if g.k++; g.k == len(cdataOpen) {
				g.state, g.k, g.runLen = lxCDATA, 0, 0
			}
		} else {
			g.state = lxTag
		}
		return nil, true
	case lxDashOpen:
		g.state = lxTag
		if b == '-' {
			g.state, g.k, g.runLen = lxComment, 0, 0
		}
		return nil, true
	case lxTag:
		g.tag(b)
		return nil, true
	case lxCDATA, lxComment:
		mark := byte(']')
		if g.state == lxComment {
			mark = '-'
		}
		if b == '>' && g.k >= 2 {
			if g.cutting {
				closer = cdataClose
				if g.state == lxComment {
					closer = commentClose
				}
			}
			g.state, g.k, g.runLen, g.cutting = lxText, 0, 0, false
			return closer, true
		}
		if b == mark {
			g.k = min(g.k+1, 2)
		} else {
			g.k = 0
		}
		if g.cutting {
			return nil, false
		}
		g.runLen++
		return nil, true
	}
	return nil, true
}

// tag follows a tag's quotes, which hold attribute values.
func (g *itemGuard) tag(b byte) {
	switch b {
	case '"', '\'':
		if g.state == lxTag {
			g.state, g.quote, g.runLen = lxQuote, b, 0
		}
	case '>':
		g.state, g.runLen = lxText, 0
	}
}
