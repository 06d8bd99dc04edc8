package main

import "testing"

// serve collects less often than Go's default and bounds the runtime's
// memory, with room for the page cache when it is on; an operator's
// GOGC or GOMEMLIMIT stands.
func TestCollectorSettings(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	gc, limit, setGC, setLimit := collector(env(nil), false)
	if gc != 400 || limit != 64<<20 || !setGC || !setLimit {
		t.Errorf("no environment, page cache off: GOGC %d, limit %d MiB, set %t %t", gc, limit>>20, setGC, setLimit)
	}
	if _, limit, _, _ = collector(env(nil), true); limit != 128<<20 {
		t.Errorf("page cache on: limit %d MiB, want 128", limit>>20)
	}
	_, _, setGC, setLimit = collector(env(map[string]string{"GOGC": "100"}), false)
	if setGC || !setLimit {
		t.Errorf("GOGC set: set %t %t, want false true", setGC, setLimit)
	}
	_, _, setGC, setLimit = collector(env(map[string]string{"GOMEMLIMIT": "1GiB"}), false)
	if !setGC || setLimit {
		t.Errorf("GOMEMLIMIT set: set %t %t, want true false", setGC, setLimit)
	}
}
