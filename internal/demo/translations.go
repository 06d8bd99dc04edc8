package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"dastan/internal/news"
)

// The demo's English headlines in Russian, word for word of the
// generator's parts, so that a linked pair reads as one story told twice.
var (
	ruSubjectOf = map[string]string{
		"government": "Правительство", "parliament": "Парламент", "central bank": "Национальный банк",
		"ministry of energy": "Министерство энергетики", "national railway": "Национальная железная дорога",
		"state oil company": "Государственная нефтяная компания", "regional governor": "Глава региона",
		"ministry of finance": "Министерство финансов", "customs service": "Таможенная служба",
		"election commission": "Центральная избирательная комиссия",
	}
	ruVerbOf = map[string]string{
		"approves": "утверждает", "announces": "анонсирует", "unveils": "представляет", "signs": "подписывает",
		"debates": "обсуждает", "delays": "откладывает", "expands": "расширяет", "reviews": "пересматривает",
		"launches": "запускает", "suspends": "приостанавливает",
	}
	ruObjectOf = map[string]string{ // in the accusative, as the verbs take them
		"new pipeline to China": "новый трубопровод в Китай", "budget for next year": "бюджет на следующий год",
		"rail link to the Caspian": "железнодорожную ветку к Каспию", "water-sharing deal": "соглашение о распределении воды",
		"plan to cut inflation": "план снижения инфляции", "reform of the pension system": "пенсионную реформу",
		"wheat export quota": "квоту на экспорт пшеницы", "uranium output target": "план по добыче урана",
		"hydropower project": "проект гидроэлектростанции", "digital ID programme": "программу цифровых удостоверений личности",
		"border crossing upgrade": "модернизацию пограничного перехода", "tourism visa scheme": "программу туристических виз",
		"support for small business": "поддержку малого бизнеса", "grain storage programme": "программу хранения зерна",
		"solar farm tender": "тендер на строительство солнечной электростанции",
	}
)

// translationEvery is how often an English story of the demo gets a
// linked Russian version: one in six.
const translationEvery = 6

// translate makes the Russian version of an English demo story — same
// section, authors, tags, picture, an hour and a half later — or nil
// when its headline is not one the generator writes. Its TranslationOf
// is set once the original has its id.
func translate(rng *rand.Rand, en *news.Article, i int) *news.Article {
	title, ok := ruTitle(en.Title)
	if !ok {
		return nil
	}
	c := Countries[0]
	for _, k := range Countries {
		if strings.HasPrefix(en.Title, k.Adj+" ") {
			c = k
		}
	}
	ru := &news.Article{Lang: "ru", Status: en.Status, Title: title, SectionID: en.SectionID, BodyFormat: en.BodyFormat,
		Authors: en.Authors, Tags: en.Tags, Image: en.Image}
	ru.PublishedAt = en.PublishedAt.Add(90 * 60e9)
	ru.UpdatedAt, ru.CreatedAt = ru.PublishedAt, ru.PublishedAt
	ru.Standfirst = fmt.Sprintf("В %s оценивают, что решение значит для экономики страны и её соседей.", locative(c.RuCapital))
	var body strings.Builder
	paragraphs(rng, &body, ruSentences, c.RuCapital, c.RuLeader, i)
	ru.BodySource = body.String()
	ru.Slug = news.Slugify(title) + fmt.Sprintf("-%d-ru", i+1)
	return ru
}

// ruTitle reads a demo headline ("Kazakh parliament approves budget for
// next year") back into its parts and writes it in Russian
// ("Парламент Казахстана утверждает бюджет на следующий год").
func ruTitle(title string) (string, bool) {
	for _, c := range Countries {
		rest, ok := strings.CutPrefix(title, c.Adj+" ")
		if !ok {
			continue
		}
		for subj, ruSubj := range ruSubjectOf {
			afterSubj, ok := strings.CutPrefix(rest, subj+" ")
			if !ok {
				continue
			}
			for verb, ruVerb := range ruVerbOf {
				obj, ok := strings.CutPrefix(afterSubj, verb+" ")
				if ruObj, known := ruObjectOf[obj]; ok && known {
					return ruSubj + " " + genitive(c.Ru) + " " + ruVerb + " " + ruObj, true
				}
			}
		}
	}
	return "", false
}

// genitive is the five countries' names in the genitive: they all end
// in a consonant and take -а.
func genitive(country string) string { return country + "а" }

// locative puts a capital after "в": Астана → Астане, Бишкек → Бишкеке;
// Душанбе does not decline.
func locative(city string) string {
	switch {
	case strings.HasSuffix(city, "е"):
		return city
	case strings.HasSuffix(city, "а"):
		return strings.TrimSuffix(city, "а") + "е"
	default:
		return city + "е"
	}
}
