// Package i18n holds the words of Dastan's interfaces, the reader site's
// and the newsroom's, in one message catalogue per language:
// locales/en.toml, locales/ru.toml, and so on. A language is added by
// adding its file; nothing else names the languages. Counted phrases
// ("1 статья", "2 статьи", "5 статей") carry one text per CLDR plural form
// of their language, chosen by go-i18n.
//
// Templates reach the catalogue through FuncMap: {{t "key"}},
// {{t "key" "Name" .Value}} for a message with arguments, and
// {{tn "key" .Count}} for a counted one. Messages are plain text: the
// template escapes them like any other value.
package i18n

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Default is the language of the catalogue every other one is checked
// against, and the one a missing message falls back to.
const Default = "en"

//go:embed locales/*.toml
var localeFS embed.FS

// Catalogue is the loaded messages of every language.
type Catalogue struct {
	bundle     *goi18n.Bundle
	langs      []string
	localizers map[string]*goi18n.Localizer
	ids        map[string]map[string]*goi18n.Message // language → id → message
	matchOnce  sync.Once
	matcher    language.Matcher // over langs, for Preferred
	// said keeps each message without arguments as said once in a
	// language (language + "\x00" + id → text): pages say a dozen of
	// them each, and the catalogue never changes once loaded.
	said sync.Map
}

// Load reads the catalogues built into Dastan.
func Load() (*Catalogue, error) {
	sub, err := fs.Sub(localeFS, "locales")
	if err != nil {
		return nil, err
	}
	return LoadFS(sub)
}

// LoadFS reads one catalogue per language from the *.toml files at the
// top of fsys; each file is named after its language's tag (ru.toml).
func LoadFS(fsys fs.FS) (*Catalogue, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, err
	}
	c := &Catalogue{
		bundle:     goi18n.NewBundle(language.MustParse(Default)),
		localizers: map[string]*goi18n.Localizer{},
		ids:        map[string]map[string]*goi18n.Message{},
	}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		mf, err := c.bundle.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		lang := strings.TrimSuffix(path.Base(name), ".toml")
		byID := map[string]*goi18n.Message{}
		for _, m := range mf.Messages {
			byID[m.ID] = m
		}
		c.ids[lang] = byID
		c.langs = append(c.langs, lang)
		c.localizers[lang] = goi18n.NewLocalizer(c.bundle, lang)
	}
	if _, ok := c.ids[Default]; !ok {
		return nil, fmt.Errorf("i18n: no catalogue for %q", Default)
	}
	// The default language first, then the others by tag, so that lists
	// of languages come out the same way every time.
	sort.Slice(c.langs, func(i, j int) bool {
		if (c.langs[i] == Default) != (c.langs[j] == Default) {
			return c.langs[i] == Default
		}
		return c.langs[i] < c.langs[j]
	})
	return c, nil
}

// Preferred is the catalogue's language that best suits a browser's
// Accept-Language header, for pages shown before anyone signs in (and
// so before their own choice is known); the default when none suits.
func (c *Catalogue) Preferred(acceptLanguage string) string {
	want, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(want) == 0 {
		return Default
	}
	c.matchOnce.Do(func() {
		tags := make([]language.Tag, len(c.langs))
		for i, l := range c.langs {
			tags[i] = language.Make(l)
		}
		c.matcher = language.NewMatcher(tags)
	})
	_, i, conf := c.matcher.Match(want...)
	if conf == language.No {
		return Default
	}
	return c.langs[i]
}

// Languages lists the catalogue's languages, the default first.
func (c *Catalogue) Languages() []string { return c.langs }

// Has reports whether lang has a catalogue.
func (c *Catalogue) Has(lang string) bool { _, ok := c.ids[lang]; return ok }

// IDs lists a language's message ids, sorted.
func (c *Catalogue) IDs(lang string) []string {
	var ids []string
	for id := range c.ids[lang] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Message is a language's message with its plural forms as written.
func (c *Catalogue) Message(lang, id string) (*goi18n.Message, bool) {
	m, ok := c.ids[lang][id]
	return m, ok
}

// T is the message key in lang, its {{.Name}} places filled from args
// given as name, value pairs. A message the language lacks comes from the
// default language; one that no catalogue has shows as its key, which
// the catalogue's tests make sure no page ever does.
func (c *Catalogue) T(lang, key string, args ...any) string {
	if len(args) > 0 {
		return c.localize(lang, key, nil, args)
	}
	k := lang + "\x00" + key
	if v, ok := c.said.Load(k); ok {
		return v.(string)
	}
	v := c.localize(lang, key, nil, nil)
	if _, known := c.ids[Default][key]; known { // never an unknown key, which may come from anywhere
		c.said.Store(k, v)
	}
	return v
}

// N is the counted message key in lang, in the plural form that count
// takes; the message reads the number as {{.Count}}.
func (c *Catalogue) N(lang, key string, count int, args ...any) string {
	return c.localize(lang, key, count, append([]any{"Count", count}, args...))
}

func (c *Catalogue) localize(lang, key string, count any, args []any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[Default]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key, PluralCount: count}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			data[name] = args[i+1]
			if name == "Count" && cfg.PluralCount == nil {
				cfg.PluralCount = args[i+1]
			}
		}
		// A Key argument is said in lang from the same arguments, the
		// others' values without Keys.
		for name, v := range data {
			if k, ok := v.(Key); ok {
				data[name] = c.localize(lang, string(k), cfg.PluralCount, plain(args))
			}
		}
		cfg.TemplateData = data
	}
	s, err := l.Localize(cfg)
	if err != nil && s == "" {
		return key
	}
	return s
}

// Key is an argument that is itself a message: a message's {{.Field}}
// given as Key("invalid.label.title") reads "The title" in English and
// "Заголовок" in Russian.
type Key string

// Value names a stored value in lang: a status, a role. Its message is
// prefix.value ("nr.status.draft"); a value without one shows as itself.
func (c *Catalogue) Value(lang, prefix, value string) string {
	key := prefix + "." + value
	if _, ok := c.ids[Default][key]; !ok {
		return value
	}
	return c.T(lang, key)
}

// FuncMap offers lang's messages to templates as t, tn and tv ({{tv
// "nr.status" .Status}}, see Value). Pages are
// parsed once with the default language's FuncMap and cloned per
// language with that language's (html/template's Clone and Funcs).
//
// A message is trusted text without markup (the catalogue's test makes
// sure it has no <, > or &), so t gives it to the template as HTML, its
// arguments escaped: quotes in a sentence then reach the page as the
// writer typed them, and in an attribute html/template escapes them.
func (c *Catalogue) FuncMap(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) template.HTML {
			return template.HTML(c.T(lang, key, escapeArgs(args)...))
		},
		"tn": func(key string, count int, args ...any) template.HTML {
			return template.HTML(c.N(lang, key, count, escapeArgs(args)...))
		},
		"tv": func(prefix string, value any) template.HTML {
			return template.HTML(template.HTMLEscapeString(c.Value(lang, prefix, fmt.Sprint(value))))
		},
	}
}

// plain is args without the pairs whose value is a Key.
func plain(args []any) []any {
	out := make([]any, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		if _, ok := args[i+1].(Key); !ok {
			out = append(out, args[i], args[i+1])
		}
	}
	return out
}

// escapeArgs escapes the values of name, value pairs, numbers aside.
func escapeArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if i%2 == 1 {
			switch a.(type) {
			case int, int64, float64:
			default:
				a = template.HTMLEscapeString(fmt.Sprint(a))
			}
		}
		out[i] = a
	}
	return out
}

// Localized is one page's template in each language of the catalogue.
type Localized map[string]*template.Template

// Localize clones a parsed page once per language, each clone's t and tn
// speaking that language, with more's functions for that language too
// (the site's links into its edition). t must not have been executed yet.
func (c *Catalogue) Localize(t *template.Template, more ...func(lang string) template.FuncMap) (Localized, error) {
	l := Localized{}
	for _, lang := range c.langs {
		clone, err := t.Clone()
		if err != nil {
			return nil, err
		}
		clone.Funcs(c.FuncMap(lang))
		for _, m := range more {
			clone.Funcs(m(lang))
		}
		l[lang] = clone
	}
	return l, nil
}

// In is the page in lang, or in the default language when lang has no
// catalogue.
func (l Localized) In(lang string) *template.Template {
	if t, ok := l[lang]; ok {
		return t
	}
	return l[Default]
}

// english is the catalogue built into Dastan, loaded once on first use:
// the English words of refusals that services make without a catalogue
// of their own (see English).
var english = sync.OnceValue(func() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err) // the embedded catalogue is checked by this package's tests
	}
	return c
})

// English is the message key in the default language, its places
// filled from args (name, value pairs): the words with which a service
// refuses bad input, for the JSON API and the log. The newsroom says the
// same key in each editor's language.
func English(key string, args ...any) string {
	return english().T(Default, key, args...)
}

// pluralSamples are numbers of each CLDR plural form the catalogue's
// languages use for whole numbers (one, few, many; other is one of
// them in each language).
var pluralSamples = []int{1, 2, 5}

// Script is lang's messages whose ids start with prefix, for a page's
// scripts, keyed by the rest of their ids. A script fills a message's
// {name} places itself. A counted message comes as its text for each of
// 1, 2 and 5, keyed by that number, with {n} where the number goes: the
// script says a count in the form whose sample Intl.PluralRules puts in
// the same category.
func (c *Catalogue) Script(lang, prefix string) map[string]any {
	out := map[string]any{}
	for id, m := range c.ids[Default] {
		name, ok := strings.CutPrefix(id, prefix)
		if !ok {
			continue
		}
		if m.One == "" && m.Few == "" && m.Many == "" {
			out[name] = c.T(lang, id)
			continue
		}
		forms := map[string]string{}
		for _, n := range pluralSamples {
			forms[fmt.Sprint(n)] = c.localize(lang, id, n, []any{"Count", "{n}"})
		}
		out[name] = forms
	}
	return out
}
