package site

import (
	"fmt"
	"time"
)

var ruMonths = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// formatDate writes a date as readers of lang expect: "27 November 2026",
// "27 ноября 2026".
func formatDate(t time.Time, lang string) string {
	if lang == "ru" {
		return fmt.Sprintf("%d %s %d", t.Day(), ruMonths[t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}

var ruMonthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// formatMonth names a month as a heading: "March 2025", "март 2025".
func formatMonth(t time.Time, lang string) string {
	if lang == "ru" {
		return fmt.Sprintf("%s %d", ruMonthNames[t.Month()-1], t.Year())
	}
	return t.Format("January 2006")
}

// formatDateTime adds the time of day on the 24-hour clock.
func formatDateTime(t time.Time, lang string) string {
	return formatDate(t, lang) + ", " + t.Format("15:04")
}
