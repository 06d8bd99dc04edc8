// Package demo fills an empty store with a generated newsroom — sections
// with the five countries, authors, tags and years of English and Russian
// articles with figures — so a newcomer can click through a living site,
// and benchmarks have a realistic archive.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"

	"dastan/internal/articles"
	"dastan/internal/auth"
	"dastan/internal/frontpage"
	"dastan/internal/links"
	"dastan/internal/news"
	"dastan/internal/rates"
	"dastan/internal/sections"
	"dastan/internal/store"
	"dastan/internal/users"
)

// Countries are the five the reference newsroom covers, in English and
// Russian, with the words its stories use about them.
var Countries = []struct{ Name, Ru, Adj, Capital, RuCapital, Leader, RuLeader string }{
	{"Kazakhstan", "Казахстан", "Kazakh", "Astana", "Астана", "Tokayev", "Токаев"},
	{"Kyrgyzstan", "Кыргызстан", "Kyrgyz", "Bishkek", "Бишкек", "Japarov", "Жапаров"},
	{"Tajikistan", "Таджикистан", "Tajik", "Dushanbe", "Душанбе", "Rahmon", "Рахмон"},
	{"Turkmenistan", "Туркменистан", "Turkmen", "Ashgabat", "Ашхабад", "Berdimuhamedov", "Бердымухамедов"},
	{"Uzbekistan", "Узбекистан", "Uzbek", "Tashkent", "Ташкент", "Mirziyoyev", "Мирзиёев"},
}

var topSections = []string{"News", "Opinion", "Economy", "Politics", "Society", "Culture", "Security"}

var authorNames = []struct{ Name, Bio string }{
	{"Aigerim Sadykova", "Aigerim covers energy and the economy from Astana."},
	{"Timur Nazarov", "Timur reports on politics and security across the region from Tashkent."},
	{"Elena Kim", "Elena writes about society, education and health from Almaty."},
	{"Bakyt Osmonov", "Bakyt is the Bishkek correspondent."},
	{"Farrukh Rahimov", "Farrukh reports from Dushanbe on water, energy and migration."},
	{"Ольга Иванова", "Ольга пишет об экономике и финансах региона."},
	{"Sarah Whitfield", "Sarah is the opinion editor."},
	{"Dastan Abdrakhmanov", "Dastan covers culture, film and music."},
	{"Марат Жумабеков", "Марат пишет о политике и безопасности из Алматы."},
	{"Нигора Юсупова", "Нигора освещает общество и образование в Ташкенте."},
}

var tagNames = []string{"Energy", "Oil", "Gas", "Pipelines", "Water", "Caspian Sea", "China", "Russia", "Elections",
	"Migration", "Agriculture", "Wheat", "Cotton", "Banking", "Inflation", "Mining", "Uranium", "Gold", "Rail",
	"Middle Corridor", "Tourism", "Education", "Health", "Climate", "Aral Sea", "Borders", "Afghanistan", "Trade",
	"Investment", "IMF", "Media freedom", "Human rights", "Sport", "Film", "Music", "Diplomacy", "Hydropower",
	"Digital economy", "Transport", "Construction", "Currency", "Central bank", "Labour", "Women", "Youth",
	"Religion", "Archaeology", "Silk Road", "Aviation", "Telecoms"}

var subjects = []string{"government", "parliament", "central bank", "ministry of energy", "national railway",
	"state oil company", "regional governor", "ministry of finance", "customs service", "election commission"}

var verbs = []string{"approves", "announces", "unveils", "signs", "debates", "delays", "expands", "reviews", "launches", "suspends"}

var objects = []string{"new pipeline to China", "budget for next year", "rail link to the Caspian", "water-sharing deal",
	"plan to cut inflation", "reform of the pension system", "wheat export quota", "uranium output target",
	"hydropower project", "digital ID programme", "border crossing upgrade", "tourism visa scheme",
	"support for small business", "grain storage programme", "solar farm tender"}

var ruSubjects = []string{"Правительство", "Парламент", "Национальный банк", "Министерство энергетики", "Министерство финансов"}
var ruVerbs = []string{"утверждает", "объявляет", "обсуждает", "рассматривает", "запускает"}
var ruObjects = []string{"новый газопровод в Китай", "бюджет на следующий год", "программу поддержки фермеров",
	"реформу пенсионной системы", "строительство гидроэлектростанции", "соглашение о распределении воды",
	"план снижения инфляции", "экспорт пшеницы", "новости о курсе национальной валюты"}

var sentences = []string{
	"Officials said the decision followed months of talks with regional partners and international lenders.",
	"Analysts in %[1]s expect the move to affect prices for households and small businesses.",
	"The announcement came as traders watched the national currency against the dollar.",
	"Critics argue that the plan lacks detail on funding and oversight.",
	"According to the statistics agency, output grew faster than expected in the last quarter.",
	"Energy pipelines remain central to the country's export strategy.",
	"Farmers in the south say water shortages have worsened over the past decade.",
	"The project is part of a wider effort to link Central Asia with markets in Europe and China.",
	"Residents of %[1]s told reporters they hoped the changes would bring more jobs.",
	"Opposition voices were largely absent from the debate.",
	"President %[2]s is expected to discuss the issue with foreign investors next month.",
	"A spokesman for President %[2]s said the pipeline would be finished on time.",
	"Rail freight along the Middle Corridor has doubled since 2022.",
}

var ruSentences = []string{
	"По словам чиновников, решение было принято после нескольких месяцев переговоров.",
	"Аналитики в городе %[1]s ожидают, что это повлияет на цены для домохозяйств.",
	"Эксперты отмечают рост экспорта зерна и хлопка.",
	"Новости о проекте вызвали оживлённые споры в социальных сетях.",
	"Строительство трубопровода должно завершиться через три года.",
	"Жители столицы надеются, что изменения принесут новые рабочие места.",
	"Президент %[2]s поручил правительству ускорить строительство газопровода.",
	"Ёмкость водохранилища сократилась из-за засухи.",
}

var captions = []string{"A view of the steppe outside the capital.", "Mountains above the reservoir.",
	"Traders at a bazaar.", "A freight train on the new line.", "Fields on the edge of the desert.", "The old city at dusk."}

// Options say how much to make.
type Options struct {
	// Articles is how many published stories to make; the newsroom's
	// WorkflowStories (drafts, pending, scheduled) come on top.
	Articles int
	Seed     uint64
	End      time.Time // newest article's time; older ones spread back from it
	Progress func(done int)
	// Currencies get a year of demo rates (FillRates); nil means the
	// default five.
	Currencies []string
}

// Fill creates the demo newsroom in db. It refuses a store that already
// has articles, so it never mixes invented stories into real ones.
func Fill(ctx context.Context, db *store.DB, o Options) error {
	n, err := db.CountArticles(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("demo: the store already has %d articles; the demo fills only an empty store", n)
	}
	if o.End.IsZero() {
		o.End = time.Now().UTC()
	}
	rng := rand.New(rand.NewPCG(o.Seed, 2025))
	arts := articles.New(articles.Options{Store: db, ExcerptLength: 240, Now: func() time.Time { return o.End }})
	secs, countries, err := makeSections(ctx, db)
	if err != nil {
		return err
	}
	var authors bylines
	for _, an := range authorNames {
		a := news.Author{Name: an.Name, Bio: an.Bio}
		if err := db.SaveAuthor(ctx, &a); err != nil {
			return err
		}
		if cyrillic(a.Name) {
			authors.ru = append(authors.ru, a)
		} else {
			authors.en = append(authors.en, a)
		}
	}
	titles := map[string]bool{}
	// The stories go in as one fill of the empty store (see
	// store.FillEmpty): on PostgreSQL, indexes are built once at the end.
	err = db.FillEmpty(ctx, func(ctx context.Context) error {
		if err := fillArticles(ctx, arts, rng, o, secs, countries, authors, titles); err != nil {
			return err
		}
		return fillWorkflow(ctx, arts, rng, o.End, secs, countries, authors, titles)
	})
	if err != nil {
		return err
	}
	if err := fillReadsAndPins(ctx, db, rng, o.End); err != nil {
		return err
	}
	if _, err = FillRates(ctx, db, o.Currencies, o.End, int64(o.Seed)); err != nil {
		return err
	}
	return db.Optimize(ctx)
}

// fillArticles writes o.Articles published stories, oldest first, in
// batches, with a Russian version of some English ones. The next batch
// is made and prepared (rendered, checked) while the store writes one:
// Go's work and the database's overlap on a machine with cores to spare.
func fillArticles(ctx context.Context, arts *articles.Service, rng *rand.Rand, o Options, secs map[string]news.Section, countries []news.Section, authors bylines, titles map[string]bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan demoBatch, 1)
	made := make(chan error, 1)
	go func() {
		defer close(batches)
		made <- makeBatches(ctx, arts, rng, o, secs, countries, authors, titles, batches)
	}()
	for b := range batches {
		if err := writeBatch(ctx, arts, b); err != nil {
			cancel()
			for range batches { // the maker stops at its next batch
			}
			<-made
			return err
		}
		if o.Progress != nil {
			o.Progress(b.done)
		}
	}
	return <-made
}

// writeBatch writes b's stories, then their Russian versions, linked.
func writeBatch(ctx context.Context, arts *articles.Service, b demoBatch) error {
	if err := arts.WriteImports(ctx, b.stories); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if len(b.versions) == 0 {
		return nil
	}
	for _, ru := range b.versions {
		ru.TranslationOf = b.originals[ru].ID
	}
	if err := arts.WriteImports(ctx, b.versions); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// demoBatch is a batch of prepared stories, and the Russian versions of
// some, to be linked to their originals once these have ids.
type demoBatch struct {
	stories, versions []*news.Article
	originals         map[*news.Article]*news.Article
	done              int // stories made so far, this batch's included
}

// makeBatches makes fillArticles' stories, prepares them and sends them
// in batches on out, until done or ctx ends. The same seed makes the
// same stories in the same order.
func makeBatches(ctx context.Context, arts *articles.Service, rng *rand.Rand, o Options, secs map[string]news.Section, countries []news.Section, authors bylines, titles map[string]bool, out chan<- demoBatch) error {
	// Spread articles back from End: about four a day, at least three years.
	span := time.Duration(max(o.Articles/4, 3*365)) * 24 * time.Hour
	step := span / time.Duration(max(o.Articles, 1))
	const size = 500
	b := demoBatch{originals: map[*news.Article]*news.Article{}}
	// Some English stories have a Russian version, linked as its
	// translation once the original has an id: written after each batch,
	// counted among the articles asked for. Their own generator keeps the
	// stories themselves as they were.
	trRng := rand.New(rand.NewPCG(o.Seed, 14))
	// Oldest first, so ids grow with time as in a real newsroom.
	for k := 0; k < o.Articles; k++ {
		i := o.Articles - 1 - k
		pub := o.End.Add(-time.Duration(i) * step).Add(-time.Duration(rng.IntN(int(step/time.Second)+1)) * time.Second).Truncate(time.Second)
		a := makeArticle(rng, i, pub, secs, countries, authors, titles)
		b.stories = append(b.stories, a)
		if a.Lang == "en" && i%translationEvery == 0 && k+1 < o.Articles {
			if ru := translate(trRng, a, i); ru != nil {
				b.versions = append(b.versions, ru)
				b.originals[ru] = a
				k++
			}
		}
		if len(b.stories)+len(b.versions) >= size || k == o.Articles-1 {
			if err := arts.PrepareImports(b.stories); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			if err := arts.PrepareImports(b.versions); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			b.done = k + 1
			select {
			case out <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			b = demoBatch{originals: map[*news.Article]*news.Article{}}
		}
	}
	return nil
}

// bylines are the demo's authors by the script of their names: English
// stories carry Latin bylines, Russian ones Cyrillic.
type bylines struct{ en, ru []news.Author }

func cyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// fillWorkflow adds the stories a newsroom has in hand: drafts, stories
// submitted for review and stories scheduled for the coming days, so
// editors see the workflow. Readers see none of them until their time.
// WorkflowStories is how many stories fillWorkflow adds beside the
// published ones.
var WorkflowStories = len(workflowStatuses)

// workflowStatuses are the workflow stories' states, one story each.
var workflowStatuses = []news.Status{news.StatusDraft, news.StatusDraft, news.StatusDraft, news.StatusDraft,
	auth.StatusPending, auth.StatusPending, auth.StatusPending, news.StatusScheduled, news.StatusScheduled, news.StatusScheduled}

func fillWorkflow(ctx context.Context, arts *articles.Service, rng *rand.Rand, end time.Time, secs map[string]news.Section, countries []news.Section, authors bylines, titles map[string]bool) error {
	var list []*news.Article
	for k, st := range workflowStatuses {
		when := end.Add(-time.Duration(k+1) * 37 * time.Minute)
		a := makeArticle(rng, -(k + 1), when, secs, countries, authors, titles)
		a.Status, a.Sticky, a.UpdatedAt = st, false, when
		if st == news.StatusScheduled {
			a.PublishedAt = end.Add(time.Duration(6+k*9) * time.Hour).Truncate(time.Minute)
		}
		list = append(list, a)
	}
	if err := arts.Import(ctx, list); err != nil {
		return fmt.Errorf("demo: workflow: %w", err)
	}
	return nil
}

// fillReadsAndPins gives the newest stories a week of reads, a few far
// more than the rest as on a real site, and pins two English stories
// with pictures to the front page.
func fillReadsAndPins(ctx context.Context, db *store.DB, rng *rand.Rand, end time.Time) error {
	l, err := db.ListArticles(ctx, store.ListQuery{VisibleAt: end, Limit: 80, NoCount: true, NoBylines: true})
	if err != nil {
		return err
	}
	for h := 0; h < 7*24; h += 3 {
		at := end.Add(-time.Duration(h) * time.Hour)
		counts := map[int64]int{}
		for i, a := range l.Articles {
			if a.PublishedAt.After(at) {
				continue
			}
			// A long tail: the few most popular are read many times
			// more than the rest.
			weight := 400 / (1 + (i*7+int(a.ID))%23)
			counts[a.ID] = rng.IntN(weight+1) + 1
		}
		if err := db.AddReads(ctx, counts, at); err != nil {
			return err
		}
	}
	slot := 1
	pins := frontpage.New(frontpage.Options{Store: db, Now: func() time.Time { return end }})
	for _, a := range l.Articles[min(2, len(l.Articles)):] {
		if slot > 2 {
			break
		}
		if a.Lang == "en" && a.Image != nil {
			if err := pins.Pin(ctx, users.System, slot, strconv.FormatInt(a.ID, 10)); err != nil {
				return fmt.Errorf("demo: pin: %w", err)
			}
			slot++
		}
	}
	return nil
}

// FillRates stores a year of generated rates for codes (nil means the
// default five), ending on end, when the store has no rates at all, so an
// offline newcomer sees a living ticker. Every row is marked demo and
// gives way to the first real rate of its currency. It reports how many
// it stored.
func FillRates(ctx context.Context, db *store.DB, codes []string, end time.Time, seed int64) (int, error) {
	n, err := db.CountRates(ctx)
	if err != nil || n > 0 {
		return 0, err
	}
	if codes == nil {
		codes = rates.DefaultConfig().Codes()
	}
	obs := rates.DemoHistory(codes, 365, end, seed)
	if err := db.SaveObservations(ctx, obs); err != nil {
		return 0, fmt.Errorf("demo: rates: %w", err)
	}
	return len(obs), nil
}

// makeSections adds the demo's sections through the sections' rules, as
// the command line's user.
func makeSections(ctx context.Context, db *store.DB) (map[string]news.Section, []news.Section, error) {
	svc, as := sections.New(sections.Options{Store: db}), users.System
	secs := map[string]news.Section{}
	for i, name := range topSections {
		s, err := svc.Save(ctx, as, sections.Input{Name: name, Position: i})
		if err != nil {
			return nil, nil, err
		}
		secs[name] = s
	}
	var countries []news.Section
	for i, c := range Countries {
		s, err := svc.Save(ctx, as, sections.Input{Name: c.Name, ParentID: secs["News"].ID, Position: i})
		if err != nil {
			return nil, nil, err
		}
		countries = append(countries, s)
	}
	return secs, countries, nil
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

func makeArticle(rng *rand.Rand, i int, pub time.Time, secs map[string]news.Section, countries []news.Section, authors bylines, titles map[string]bool) *news.Article {
	ci := rng.IntN(len(Countries))
	c := Countries[ci]
	ru := rng.IntN(4) == 0
	a := &news.Article{Lang: "en", Status: news.StatusPublished, PublishedAt: pub, UpdatedAt: pub, CreatedAt: pub, BodyFormat: news.FormatMarkdown}
	// Most stories are country news; the rest go to the topical sections.
	if rng.IntN(5) < 3 {
		a.SectionID = countries[ci].ID
	} else {
		a.SectionID = secs[pick(rng, topSections[1:])].ID
	}
	var body strings.Builder
	byline := authors.en
	if ru {
		a.Lang, byline = "ru", authors.ru
		a.Title = uniqueTitle(rng, titles, func() string {
			return fmt.Sprintf("%s: %s %s %s", c.Ru, pick(rng, ruSubjects), pick(rng, ruVerbs), pick(rng, ruObjects))
		}, ruTitleEnds)
		a.Standfirst = fmt.Sprintf("%s обсуждает последствия решения для экономики.", c.RuCapital)
		paragraphs(rng, &body, ruSentences, c.RuCapital, c.RuLeader, i)
	} else {
		a.Title = uniqueTitle(rng, titles, func() string {
			t := fmt.Sprintf("%s %s %s %s", c.Adj, pick(rng, subjects), pick(rng, verbs), pick(rng, objects))
			return strings.ToUpper(t[:1]) + t[1:]
		}, titleEnds)
		a.Standfirst = fmt.Sprintf("%s weighs what the decision means for %s's economy and its neighbours.", c.Capital, c.Name)
		paragraphs(rng, &body, sentences, c.Capital, c.Leader, i)
	}
	a.BodySource = body.String()
	a.Slug = news.Slugify(a.Title)
	if i >= 0 {
		a.Slug += fmt.Sprintf("-%d", i+1)
	}
	a.Authors = []news.Author{pick(rng, byline)}
	if second := pick(rng, byline); rng.IntN(6) == 0 && second.Name != a.Authors[0].Name {
		a.Authors = append(a.Authors, second)
	}
	for k := 0; k < 1+rng.IntN(3); k++ {
		a.Tags = append(a.Tags, news.Tag{Name: pick(rng, tagNames)})
	}
	if rng.IntN(3) > 0 {
		n := 1 + rng.IntN(6)
		a.Image = &news.Figure{URL: demoPicture(n), Alt: captions[n-1], Caption: captions[n-1], Credit: "Photo: Dastan demo", Width: 800, Height: 450}
	}
	a.Sticky = i == 3
	return a
}

// Endings that tell apart two stories the generator gave the same title.
var (
	titleEnds   = []string{"after talks", "amid criticism", "as prices rise", "before the winter", "despite objections", "in the regions", "for a second time", "ahead of the summit"}
	ruTitleEnds = []string{"после переговоров", "на фоне критики", "в регионах", "во второй раз", "перед саммитом", "несмотря на возражения"}
)

// uniqueTitle draws titles until one is new; after a few tries it tells
// the title apart with an ending, and at last with a number, so no two
// stories share a headline.
func uniqueTitle(rng *rand.Rand, seen map[string]bool, draw func() string, ends []string) string {
	t := draw()
	for try := 0; seen[t] && try < 8; try++ {
		t = draw()
	}
	for try := 0; seen[t] && try < 8; try++ {
		t = draw() + " " + pick(rng, ends)
	}
	for n := 2; seen[t]; n++ {
		t = fmt.Sprintf("%s (%d)", draw(), n)
	}
	seen[t] = true
	return t
}

// demoPicture is the nth of the site's six demo pictures.
func demoPicture(n int) string { return links.Static("demo-" + strconv.Itoa(n) + ".svg") }

// paragraphs writes 4–8 paragraphs of Markdown, with a captioned figure in
// some, written as the WordPress shortcode real archives contain.
func paragraphs(rng *rand.Rand, b *strings.Builder, pool []string, place, leader string, i int) {
	n := 4 + rng.IntN(5)
	for p := 0; p < n; p++ {
		if p == 2 && rng.IntN(2) == 0 {
			k := 1 + rng.IntN(6)
			fmt.Fprintf(b, "[caption id=\"attachment_%d\" align=\"aligncenter\" width=\"800\"]<img src=\"%s\" alt=\"%s\" width=\"800\" height=\"450\"> %s[/caption]\n\n", i*10+k, demoPicture(k), captions[k-1], captions[k-1])
		}
		// A paragraph never says the same sentence twice.
		order := rng.Perm(len(pool))
		for s := 0; s < min(3+rng.IntN(4), len(order)); s++ {
			line := pool[order[s]]
			if strings.Contains(line, "%[") {
				line = fmt.Sprintf(line, place, leader)
			}
			b.WriteString(line)
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
}
