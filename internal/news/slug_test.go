package news

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var reValidSlug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Токаев", "tokaev"},
		{"Щука", "shchuka"},
		{"Жанаозен", "zhanaozen"},
		{"Токаев провёл встречу в Астане", "tokaev-provyol-vstrechu-v-astane"},
		{"Қазақстан және Өзбекстан", "qazaqstan-zhane-ozbekstan"},
		{"Ўзбекистон ҳукумати", "ozbekiston-hukumati"},
		{"Тоҷикистон: Ҷумҳурии Тоҷикистон", "tojikiston-jumhurii-tojikiston"},
		{"Кыргызстан Үкмөтү", "kyrgyzstan-ukmotu"},
		{"Café crème à Paris", "cafe-creme-a-paris"},
		{"Łódź & Straße", "lodz-strasse"},
		{"O‘zbekiston’s don't", "ozbekistons-dont"},
		{"  KZT/USD = 0.00198  ", "kzt-usd-0-00198"},
		{"Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>", "title-with-special-characters"},
		{"!!!", "untitled"},
		{"", "untitled"},
		{"中文标题", "untitled"},
		{"2025 год", "2025-god"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugifyLength(t *testing.T) {
	long := strings.Repeat("Taumatawhakatangihanga koauau ", 20)
	s := Slugify(long)
	if len(s) > 200 || !reValidSlug.MatchString(s) || !strings.HasSuffix(s, "koauau") && !strings.HasSuffix(s, "taumatawhakatangihanga") {
		t.Errorf("long slug not cut at a hyphen: %q (%d bytes)", s, len(s))
	}
	oneWord := Slugify(strings.Repeat("a", 500))
	if len(oneWord) != 200 {
		t.Errorf("one long word: got %d bytes, want 200", len(oneWord))
	}
}

func TestTransliterate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Щука", "Shchuka"},
		{"ЩУКА", "SHCHUKA"},
		{"Жанаозен", "Zhanaozen"},
		{"Объём", "Obyom"},
		{"Hello, мир!", "Hello, mir!"},
		{"Әлем", "Alem"},
		{"Ю", "Yu"},
		{"ЮЯ", "YUYA"},
		{"Café", "Café"},
	}
	for _, tt := range tests {
		if got := Transliterate(tt.in); got != tt.want {
			t.Errorf("Transliterate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Токаев", "Café", "", "---", "a-b", "Ёё ЪЬ", "\xff\xfe", strings.Repeat("щ ", 150)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slugify(s)
		if !reValidSlug.MatchString(got) {
			t.Fatalf("Slugify(%q) = %q: not a valid slug", s, got)
		}
		if len(got) > maxSlugBytes {
			t.Fatalf("Slugify(%q) is %d bytes", s, len(got))
		}
		if Slugify(got) != got {
			t.Fatalf("Slugify is not stable on its output %q", got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(Transliterate(s)) {
			t.Fatalf("Transliterate(%q) is not valid UTF-8", s)
		}
	})
}
