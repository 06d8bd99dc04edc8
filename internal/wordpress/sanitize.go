package wordpress

import (
	"io"
	"unicode/utf8"
)

// cleanReader passes an export through to the XML decoder, replacing the bytes
// XML 1.0 forbids but WordPress sometimes writes (control characters pasted
// from word processors, broken UTF-8 from old plugins). Each bad byte becomes
// one replacement byte, so offsets in the cleaned stream are offsets in the
// file and an importer can report them.
type cleanReader struct {
	src      io.Reader
	buf      []byte
	start    int
	end      int
	err      error // from src, returned once buf is drained
	replaced int64
}

func newCleanReader(src io.Reader) *cleanReader {
	return &cleanReader{src: src, buf: make([]byte, 64<<10)}
}

func (c *cleanReader) Read(p []byte) (int, error) {
	for {
		n := c.clean(p)
		if n > 0 {
			return n, nil
		}
		if c.err != nil {
			if c.start < c.end {
				// An incomplete rune at the very end of the input.
				n = c.flushTail(p)
				if n > 0 {
					return n, nil
				}
			}
			return 0, c.err
		}
		if len(p) == 0 {
			return 0, nil
		}
		c.fill()
	}
}

// fill moves pending bytes to the front of buf and reads more after them.
func (c *cleanReader) fill() {
	if c.start > 0 {
		c.end = copy(c.buf, c.buf[c.start:c.end])
		c.start = 0
	}
	n, err := c.src.Read(c.buf[c.end:])
	c.end += n
	if err != nil {
		c.err = err
	} else if n == 0 {
		// A reader that returns 0, nil repeatedly would spin us forever.
		c.err = io.ErrNoProgress
	}
}

// clean copies complete runes from buf to p, fixing those XML rejects.
func (c *cleanReader) clean(p []byte) int {
	n := 0
	i := c.start
	for i < c.end && n < len(p) {
		b := c.buf[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				b = ' '
				c.replaced++
			}
			p[n] = b
			n++
			i++
			continue
		}
		if !utf8.FullRune(c.buf[i:c.end]) {
			break // wait for the rest of this rune
		}
		r, size := utf8.DecodeRune(c.buf[i:c.end])
		if n+size > len(p) {
			break
		}
		switch {
		case r == utf8.RuneError && size == 1:
			p[n] = '?'
			c.replaced++
		case r == 0xFFFE || r == 0xFFFF:
			for k := 0; k < size; k++ {
				p[n+k] = ' '
			}
			c.replaced++
		default:
			copy(p[n:], c.buf[i:i+size])
		}
		n += size
		i += size
	}
	c.start = i
	return n
}

// flushTail writes the bytes of a rune cut off by the end of input.
func (c *cleanReader) flushTail(p []byte) int {
	n := 0
	for c.start < c.end && n < len(p) {
		p[n] = '?'
		c.replaced++
		n++
		c.start++
	}
	return n
}
