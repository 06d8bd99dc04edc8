package wordpress

import (
	"bytes"
	"unicode/utf8"
)

// encoding/xml reads a document a byte at a time, each through the
// guard's ReadByte, and copies a CDATA section's text a byte at a time
// into its buffer before checking it a rune at a time: for an export,
// whose bodies are nearly all CDATA, that was most of the reader's CPU.
// So the guard, when the decoder enters a CDATA section whose end is in
// its buffer, takes the section's text itself, at once, and passes the
// decoder only the section's "]]>": the decoder returns an empty
// CharData token, which Reader.token replaces with the text taken. The
// text is what the decoder would have made of it ("\r\n" and "\r" become
// "\n"); a section the decoder would refuse (a character XML does not
// allow), one that reaches past the item's size limit, or one longer
// than the buffer, goes to the decoder byte by byte as before, which
// keeps its errors and the limit's cutting as they were. The bytes taken
// count as dropped ones do, so offsets and line numbers stay those of
// the export; the decoder's column on the line where a section ends is
// put right as the Reader asks for its text (Reader.tookText).

// takeCDATA takes the text of the CDATA section the guard has just
// entered, when it can (see above), leaving the section's end to pass
// on; it reports whether it took it.
func (g *itemGuard) takeCDATA() bool {
	end := bytes.Index(g.buf[g.r:g.w], cdataClose)
	for end < 0 && g.rerr == nil && g.w-g.r < len(g.buf)-minRead {
		searched := max(0, g.w-g.r-len(cdataClose)+1)
		g.more()
		if i := bytes.Index(g.buf[g.r+searched:g.w], cdataClose); i >= 0 {
			end = searched + i
		}
	}
	if end <= 0 {
		return false
	}
	raw := g.buf[g.r : g.r+end]
	if g.open && g.pos+int64(end+len(cdataClose))-g.start > g.limit {
		return false
	}
	if !xmlText(raw) {
		return false
	}
	text := make([]byte, len(raw))
	copy(text, raw)
	if bytes.IndexByte(text, '\r') >= 0 {
		text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
		text = bytes.ReplaceAll(text, []byte("\r"), []byte("\n"))
	}
	g.taken = text
	g.takenTail = end - (bytes.LastIndexByte(raw, '\n') + 1)
	g.takenLines = bytes.IndexByte(raw, '\n') >= 0
	g.r += end
	g.pos += int64(end)
	g.runLen += end
	g.dropped += int64(end)
	g.lines += bytes.Count(raw, []byte("\n"))
	return true
}

// minRead is the least room more reads into: a reader that converts
// text may return nothing into less room than a character needs.
const minRead = 64

// more moves what is left of the buffer to its start and reads more
// after it (into at least minRead bytes), as fill does: an error of src
// comes once the buffer is passed on.
func (g *itemGuard) more() {
	g.w = copy(g.buf, g.buf[g.r:g.w])
	g.r = 0
	g.read()
}

// tookText returns the text the guard took since it was last asked, if
// any, which is that of the token the decoder has just returned. It
// notes how far the decoder's column, on the line where the section
// ended, falls short of the export's: by the bytes taken on that line.
func (r *Reader) tookText() ([]byte, bool) {
	g := r.guard
	text := g.taken
	if text == nil {
		return nil, false
	}
	g.taken = nil
	line, col := r.d.InputPos()
	switch {
	case g.takenLines:
		// The decoder read only "]]>" after the section's last newline.
		r.colShift, r.colLine = g.takenTail+len(cdataClose)+1-col, line
	case line == r.colLine:
		r.colShift += g.takenTail
	default:
		r.colShift, r.colLine = g.takenTail, line
	}
	return text, true
}

// xmlText says whether b is UTF-8 of characters XML allows, as
// encoding/xml checks a text it read.
func xmlText(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
		i += size
	}
	return true
}
