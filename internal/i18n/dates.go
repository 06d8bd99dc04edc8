package i18n

import (
	"fmt"
	"time"
)

var ruMonths = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// Dates are written here, once, for every screen: the reader's site and
// the newsroom.

// Date writes a date as readers of lang expect: "27 November 2026",
// "27 ноября 2026".
func Date(t time.Time, lang string) string {
	if lang == "ru" {
		return fmt.Sprintf("%d %s %d", t.Day(), ruMonths[t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}

var ruMonthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// Month names a month as a heading: "March 2025", "март 2025".
func Month(t time.Time, lang string) string {
	if lang == "ru" {
		return fmt.Sprintf("%s %d", ruMonthNames[t.Month()-1], t.Year())
	}
	return t.Format("January 2006")
}

var ruShortMonths = [...]string{"янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.", "нояб.", "дек."}

// ShortDate is a date in few letters, for the ticker's "as of": "26 Mar",
// "26 марта", with the year when withYear ("30 Dec 2025").
func ShortDate(t time.Time, withYear bool, lang string) string {
	if lang == "ru" {
		s := fmt.Sprintf("%d %s", t.Day(), ruShortMonths[t.Month()-1])
		if withYear {
			s += fmt.Sprintf(" %d", t.Year())
		}
		return s
	}
	if withYear {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan")
}

// DateTime adds the time of day on the 24-hour clock.
func DateTime(t time.Time, lang string) string {
	return Date(t, lang) + ", " + t.Format("15:04")
}

// Stamp is the newsroom's compact date and time for lists and logs:
// "2 Nov 2026 15:04", "2 ноября 2026, 15:04".
func Stamp(t time.Time, lang string) string {
	if lang == "ru" {
		return DateTime(t, lang)
	}
	return t.Format("2 Jan 2006 15:04")
}
