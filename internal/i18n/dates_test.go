package i18n

import (
	"testing"
	"time"
)

func TestDatesInEachLanguage(t *testing.T) {
	at := time.Date(2026, 11, 2, 15, 4, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{Date(at, "en"), "2 November 2026"},
		{Date(at, "ru"), "2 ноября 2026"},
		{Month(at, "ru"), "ноябрь 2026"},
		{DateTime(at, "ru"), "2 ноября 2026, 15:04"},
		{Stamp(at, "en"), "2 Nov 2026 15:04"},
		{Stamp(at, "ru"), "2 ноября 2026, 15:04"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
