package wordpress

import (
	"errors"
	"fmt"
)

// ErrNotExport is returned (wrapped) for XML that is not a WordPress export:
// an RSS feed, an HTML page, a sitemap.
var ErrNotExport = errors.New("wordpress: not a WordPress export")

// ErrCutOff is matched by errors.Is for an export that ends before its last
// element closes, as an interrupted download or a full disk leaves it.
var ErrCutOff = errors.New("wordpress: export is cut off")

// PositionError reports a broken export with where it broke.
type PositionError struct {
	Line   int
	Column int
	Within string // e.g. `<item> "Post title"`; "" at the top level
	CutOff bool   // the input ended early, rather than being malformed
	Msg    string // the XML parser's complaint, for malformed input
}

func (e *PositionError) Error() string {
	within := ""
	if e.Within != "" {
		within = " (inside " + e.Within + ")"
	}
	if e.CutOff {
		return fmt.Sprintf("wordpress: export is cut off at line %d%s", e.Line, within)
	}
	return fmt.Sprintf("wordpress: malformed XML at line %d, column %d%s: %s", e.Line, e.Column, within, e.Msg)
}

// Is lets errors.Is(err, ErrCutOff) find a cut-off export.
func (e *PositionError) Is(target error) bool { return target == ErrCutOff && e.CutOff }

func notExport(why string) error {
	return fmt.Errorf("%w (%s)", ErrNotExport, why)
}
