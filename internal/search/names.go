package search

import "strings"

// cyrillicToLatin transliterates Russian and the Central Asian Cyrillic
// letters (Kazakh, Kyrgyz, Tajik, Uzbek) the way English-language news
// spells names. ё has been folded to е before this table is used.
var cyrillicToLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
	'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "",
	'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u",
	'һ': "h", 'і': "i", 'ў': "u", 'ҳ': "h", 'ҷ': "j", 'є': "e", 'ї': "i",
}

// NameKey maps the spellings of one name, in either script, to one key:
// Tokayev, Tokaev and Токаев are all "tokaev"; Mirziyoyev and Мирзиёев
// are "mirziev". It is a loose key for proper names, not a translation.
//
// The steps, in order, on the folded word:
//  1. Cyrillic letters are transliterated (ж→zh, х→kh, ы→y, ю→yu, я→ya…);
//  2. "ye" at the start becomes "e" (Yerlan, Ерлан), and "yo" after a
//     vowel becomes "e" (Mirziyoyev, Мирзиёев written as Мирзиеев);
//  3. dzh, zh, dj→j; kh→h; gh→g; q→k (Japarov, Жапаров; Rahmon, Рахмон);
//  4. y between vowels is dropped (Tokayev, Токаев; Nazarbayev);
//  5. any other y becomes i (Almaty, Алматы; Berdimuhamedov, Бердымухамедов);
//  6. doubled letters are made single (Kassym, Касым).
//
// Words with no Latin or Cyrillic letter have no key ("").
func NameKey(word string) string {
	var fb []rune
	fb = fold(fb, word)
	var b strings.Builder
	for _, r := range fb {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if s, ok := cyrillicToLatin[r]; ok {
				b.WriteString(s)
			}
		}
	}
	s := b.String()
	if s == "" || isASCIIDigits(s) {
		return ""
	}
	if strings.HasPrefix(s, "ye") {
		s = s[1:]
	}
	s = replaceAfterVowel(s, "yo", "e")
	s = digraphs.Replace(s)
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'y' {
			if i > 0 && i+1 < len(s) && isVowel(s[i-1]) && isVowel(s[i+1]) {
				continue
			}
			c = 'i'
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

var digraphs = strings.NewReplacer("dzh", "j", "zh", "j", "dj", "j", "kh", "h", "gh", "g", "q", "k")

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// replaceAfterVowel replaces old with new where old follows a vowel.
func replaceAfterVowel(s, old, new string) string {
	if !strings.Contains(s, old) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i > 0 && isVowel(s[i-1]) && strings.HasPrefix(s[i:], old) {
			b.WriteString(new)
			i += len(old)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
