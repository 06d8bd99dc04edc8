package news

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxSlugBytes keeps slugs inside what URLs, file names and database
// indexes handle comfortably; WordPress allows the same.
const maxSlugBytes = 200

// cyrillic maps lowercase Cyrillic letters to a readable Latin spelling:
// Russian after the familiar newspaper style ("Токаев" → "tokaev",
// "Щука" → "shchuka"), plus the letters of Kazakh, Uzbek, Kyrgyz, Tajik,
// Ukrainian and Belarusian that newsrooms in the region meet.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Kazakh, Kyrgyz, Uzbek, Tajik.
	'ә': "a", 'ғ': "gh", 'қ': "q", 'ң': "ng", 'ө': "o", 'ұ': "u", 'ү': "u",
	'һ': "h", 'і': "i", 'ў': "o", 'ҳ': "h", 'ҷ': "j", 'ӣ': "i", 'ӯ': "u",
	'ҝ': "g", 'ҹ': "ch", 'ӊ': "ng", 'ӈ': "ng",
	// Ukrainian and Belarusian.
	'є': "ye", 'ї': "yi", 'ґ': "g",
	// Serbian and Macedonian, seen in names.
	'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz",
	'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
}

// latinExtra spells Latin letters that Unicode does not decompose into a
// base letter and a diacritic.
var latinExtra = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d",
	'ł': "l", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŋ': "ng",
	'Æ': "AE", 'Œ': "OE", 'Ø': "O", 'Đ': "D", 'Ð': "D", 'Ł': "L",
	'Þ': "TH", 'Ħ': "H", 'Ŋ': "NG",
}

// Transliterate spells Cyrillic letters in Latin and leaves everything else
// as it is. Case follows the source: "Щука" → "Shchuka", "ЩУКА" → "SHCHUKA".
func Transliterate(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	runes := []rune(s)
	for i, r := range runes {
		lower := unicode.ToLower(r)
		lat, ok := cyrillic[lower]
		if !ok {
			b.WriteRune(r)
			continue
		}
		if lower == r || lat == "" {
			b.WriteString(lat)
			continue
		}
		// An uppercase letter in an all-caps word becomes all caps;
		// otherwise only its first Latin letter is capitalised.
		if allCapsAt(runes, i) {
			b.WriteString(strings.ToUpper(lat))
		} else {
			b.WriteString(strings.ToUpper(lat[:1]) + lat[1:])
		}
	}
	return b.String()
}

// allCapsAt reports whether the uppercase letter at i sits in an all-caps
// word: the next letter is uppercase, or there is none and the previous is.
func allCapsAt(runes []rune, i int) bool {
	if i+1 < len(runes) && unicode.IsLetter(runes[i+1]) {
		return unicode.IsUpper(runes[i+1])
	}
	return i > 0 && unicode.IsUpper(runes[i-1])
}

// Slugify turns a title into the lowercase ASCII words of a URL path,
// joined by hyphens: "Токаев в Астане" → "tokaev-v-astane". It never
// returns an empty string; a title with nothing spellable becomes "untitled".
func Slugify(s string) string {
	s = norm.NFD.String(Transliterate(s))
	var b strings.Builder
	b.Grow(len(s))
	pendingHyphen := false
	write := func(part string) {
		if pendingHyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		pendingHyphen = false
		b.WriteString(part)
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			write(string(r))
		case r >= 'A' && r <= 'Z':
			write(string(r + ('a' - 'A')))
		case unicode.Is(unicode.Mn, r):
			// A combining mark left by decomposition: é → e.
		case r == '\'' || r == '’' || r == 'ʼ' || r == 'ʻ' || r == '`' || r == '‘':
			// Apostrophes join a word rather than split it: "don't" → "dont",
			// "O‘zbekiston" → "ozbekiston".
		default:
			if lat, ok := latinExtra[r]; ok {
				write(strings.ToLower(lat))
				continue
			}
			pendingHyphen = true
		}
	}
	slug := b.String()
	if len(slug) > maxSlugBytes {
		cut := strings.LastIndexByte(slug[:maxSlugBytes+1], '-')
		if cut <= 0 {
			cut = maxSlugBytes
		}
		slug = strings.TrimRight(slug[:cut], "-")
	}
	if slug == "" || !utf8.ValidString(slug) {
		return "untitled"
	}
	return slug
}
