package news

import (
	"strings"
	"testing"
)

func TestCutWords(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short stays", "Rates rose.", 10, "Rates rose."},
		{"no limit", "One two three four.", 0, "One two three four."},
		{"word with ellipsis", "The bank raised its rate again on Friday morning", 5, "The bank raised its rate…"},
		{"sentence end kept without ellipsis", "Prices rose last month. Traders expect more gains soon", 6, "Prices rose last month."},
		{"full stop never before ellipsis", "Prices rose for a month. Then", 5, "Prices rose for a month."},
		{"early sentence end gives way to a word", "Yes. The government approved the new budget for the coming year", 8, "Yes. The government approved the new budget for…"},
		{"dangling comma dropped", "Astana, Almaty, Shymkent and more", 2, "Astana, Almaty…"},
		{"stored cut treated as cut", "The ministry said the month.…", 50, "The ministry said the month."},
		{"stored cut mid-word", "The ministry said the govern…", 50, "The ministry said the govern…"},
		{"russian sentence", "Цены выросли в прошлом месяце. Аналитики ждут нового роста цен", 6, "Цены выросли в прошлом месяце."},
		{"russian word", "Токаев провёл совещание в Акорде с членами правительства", 4, "Токаев провёл совещание в…"},
		{"closing quote kept", "He said: «Работа идёт.» Затем ушёл домой вечером", 5, "He said: «Работа идёт.»"},
		{"initial is no sentence end", "Report by J. Smith and colleagues from the capital", 5, "Report by J. Smith and…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CutWords(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("CutWords(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if strings.Contains(got, ".…") || strings.Contains(got, ",…") {
				t.Errorf("CutWords(%q) = %q ends untidily", tt.in, got)
			}
		})
	}
}
