package wordpress

import (
	"fmt"
	"testing"
)

// Polylang's serialized translation lists are read whatever the order or
// the id's type, and anything else is refused with where it went wrong.
func TestParsePHPLangIDs(t *testing.T) {
	good := map[string]string{
		`a:2:{s:2:"en";i:12;s:2:"ru";i:13;}`:  "map[en:12 ru:13]",
		`a:2:{s:2:"ru";i:31;s:2:"en";i:32;}`:  "map[en:32 ru:31]",
		` a:1:{s:2:"EN";s:2:"12";} `:          "map[en:12]",
		`a:0:{}`:                              "map[]",
		`a:2:{s:5:"pt-br";i:7;s:2:"kk";i:8;}`: "map[kk:8 pt-br:7]",
	}
	for in, want := range good {
		got, err := parsePHPLangIDs(in)
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("%s: %v %v, want %s", in, got, err, want)
		}
	}
	for _, in := range []string{
		``, `a:2:{s:2:"en";i:50;s:2:"ru";i:51}`, `a:2:{s:2:"en";i:12;}`, `a:1:{s:3:"en";i:12;}`,
		`a:1:{s:2:"en";i:-4;}`, `a:1:{s:2:"en";i:x;}`, `a:1:{s:2:"en";i:12;}junk`, `O:8:"stdClass":0:{}`,
		`a:99999:{}`,
	} {
		if got, err := parsePHPLangIDs(in); err == nil {
			t.Errorf("%q was read as %v", in, got)
		}
	}
}
