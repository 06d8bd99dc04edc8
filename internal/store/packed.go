package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/s2"
	"modernc.org/sqlite"
)

// Bodies are most of a SQLite store's bytes: an article keeps its source,
// its HTML and its plain text, and its revisions their sources (about
// 25 KB of the 30 KB an article from a WordPress archive took). SQLite
// keeps these long texts packed with S2, a Snappy-compatible format that
// packs news text to about half and unpacks at gigabytes a second: half
// the bytes for the single writer to copy, log and checkpoint, and a store
// that stays in memory twice as long as the archive grows. PostgreSQL
// compresses long values itself (TOAST) and gets them as they are.
//
// A packed text is a BLOB whose first byte names its format. A TEXT value
// is a text as written: short ones, and every row written before packing,
// which read as they always did.
const packS2 byte = 1 // the format byte of an S2 block

const (
	packMin = 256 // shorter texts are kept as they are
	// maxText is SQLite's own limit on a text (SQLITE_MAX_LENGTH): no
	// text the store packed unpacks to more, so a damaged header that
	// claims more is not believed.
	maxText = 1_000_000_000
)

// packText is s as SQLite stores it: packed when long enough to gain.
func packText(s string) any {
	if len(s) < packMin {
		return s
	}
	scratch := packScratch.Get().(*[]byte)
	defer packScratch.Put(scratch)
	if need := s2.MaxEncodedLen(len(s)); cap(*scratch) < need {
		*scratch = make([]byte, need)
	}
	// S2 only reads its source: s's bytes are lent, not copied.
	out := s2.Encode((*scratch)[:cap(*scratch)], unsafe.Slice(unsafe.StringData(s), len(s)))
	if len(out)+1 >= len(s) {
		return s // nothing gained: incompressible text stays readable in SQL
	}
	// Kept for as long as an import's batch waits for the writer: only
	// the packed bytes, not the scratch's worst case.
	packed := make([]byte, 1+len(out))
	packed[0] = packS2
	copy(packed[1:], out)
	return packed
}

var packScratch = sync.Pool{New: func() any { return new([]byte) }}

// unpackText is the text a stored value holds, packed or not.
func unpackText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		if len(v) == 0 {
			return "", nil
		}
		if v[0] != packS2 {
			return "", fmt.Errorf("store: a stored text in unknown packing %d", v[0])
		}
		n, err := s2.DecodedLen(v[1:])
		if err != nil {
			return "", fmt.Errorf("store: a packed text is damaged: %w", err)
		}
		if n > maxText {
			return "", fmt.Errorf("store: a packed text is damaged: it claims %d bytes", n)
		}
		if n == 0 {
			return "", nil
		}
		out := make([]byte, n)
		if _, err := s2.Decode(out, v[1:]); err != nil {
			return "", fmt.Errorf("store: a packed text is damaged: %w", err)
		}
		return unsafe.String(&out[0], n), nil // out is never written again
	default:
		return "", fmt.Errorf("store: a stored text read as %T", v)
	}
}

// unpacked scans a text column that may hold a packed text into *s.
type unpacked struct{ s *string }

func (u unpacked) Scan(src any) error {
	s, err := unpackText(src)
	*u.s = s
	return err
}

// packedAhead is a text packed on an importer's worker before its writing,
// with the text it was packed from: the writer takes it only if the text
// is still the same (a pointer comparison when it is).
type packedAhead struct {
	from  string
	value any
}

// pack is s as db's engine stores it, from ahead when it was packed there.
func (db *DB) pack(s string, ahead packedAhead) any {
	if ahead.value != nil && ahead.from == s {
		return ahead.value
	}
	return db.dialect.pack(s)
}

// packAhead packs s for db's engine, for pack to take later.
func (db *DB) packAhead(s string) packedAhead {
	return packedAhead{from: s, value: db.dialect.pack(s)}
}

// The SQL function unpacked(x) is x's text, packed or not, for the few
// statements that look inside bodies (a LIKE): sqliteDialect.unpacked.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("unpacked", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if args[0] == nil {
			return nil, nil // NULL stays NULL, so NOT LIKE stays unknown
		}
		return unpackText(args[0])
	})
	if err != nil {
		panic(errors.Join(errors.New("store: registering unpacked()"), err))
	}
}
