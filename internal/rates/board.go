package rates

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"dastan/internal/i18n"
	"dastan/internal/links"
)

// BoardOptions are what a Board is built from.
type BoardOptions struct {
	// Load reads each currency's latest and previous observations; the
	// store's LatestRates.
	Load        func(ctx context.Context) (map[string][2]Observation, error)
	Orientation Orientation
	// Order is the ticker's order of currencies; those it does not name
	// follow alphabetically (OrderTicker).
	Order    []string
	Location *time.Location   // whose calendar decides staleness; default UTC
	Now      func() time.Time // default time.Now
	// OnChange runs after a refresh that changed the ticker, so cached
	// pages that show the old one can be dropped.
	OnChange func()
	Logger   *slog.Logger
	// Words says the ticker in each of its languages; nil loads the
	// catalogue built into Dastan.
	Words *i18n.Catalogue
}

// Board holds the latest rates and the ticker built from them, in memory,
// so pages read them without a query. Refresh replaces both at once.
type Board struct {
	o   BoardOptions
	mu  sync.Mutex // serialises refreshes
	cur atomic.Pointer[boardState]
	// stale asks Run to refresh now rather than at its next tick.
	stale chan struct{}
}

type boardState struct {
	latest map[string][2]Observation
	items  []TickerItem
	html   map[string]template.HTML // by language
	demo   bool
}

// NewBoard makes an empty Board; call Refresh to fill it.
func NewBoard(o BoardOptions) *Board {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Orientation == "" {
		o.Orientation = LocalUSD
	}
	if o.Words == nil {
		var err error
		if o.Words, err = i18n.Load(); err != nil {
			panic(err) // the catalogue built in is checked by its tests
		}
	}
	b := &Board{o: o, stale: make(chan struct{}, 1)}
	b.cur.Store(&boardState{})
	return b
}

// Refresh reloads the rates and rebuilds the ticker. On error the board
// keeps what it had.
func (b *Board) Refresh(ctx context.Context) error {
	latest, err := b.o.Load(ctx)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	st := &boardState{latest: latest}
	st.items = OrderTicker(BuildTicker(latest, b.o.Orientation, b.o.Now(), b.o.Location), b.o.Order)
	for _, p := range latest {
		st.demo = st.demo || p[0].Demo
	}
	st.html = map[string]template.HTML{}
	for _, lang := range b.o.Words.Languages() {
		if h := TickerHTML(st.items, st.demo, lang, b.o.Words); h != "" {
			st.html[lang] = h // none at all when there are no rates, as before any
		}
	}
	old := b.cur.Swap(st)
	if !maps.Equal(old.html, st.html) && b.o.OnChange != nil {
		b.o.OnChange()
	}
	return nil
}

// Stale tells Run that rates may have changed (another instance saved
// some), so that it refreshes now; it never waits.
func (b *Board) Stale() {
	select {
	case b.stale <- struct{}{}:
	default:
	}
}

// Run refreshes the board every interval, and when told it is Stale,
// until ctx ends: it picks up rates saved by other instances or commands,
// and a rate turning stale at midnight.
func (b *Board) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-b.stale:
		}
		if err := b.Refresh(ctx); err != nil && ctx.Err() == nil {
			b.o.Logger.Warn("rates: refreshing the ticker", "err", err)
		}
	}
}

// Ticker is the ticker's HTML in lang (the default language's when the
// catalogue has no lang), or "" when there are no rates.
func (b *Board) Ticker(lang string) template.HTML {
	html := b.cur.Load().html
	if h, ok := html[lang]; ok {
		return h
	}
	return html[i18n.Default]
}

// Items are the ticker's items.
func (b *Board) Items() []TickerItem { return b.cur.Load().items }

// Latest is each currency's latest and previous observations. Callers
// must not modify it.
func (b *Board) Latest() map[string][2]Observation { return b.cur.Load().latest }

// Demo reports whether any rate shown is generated demo data.
func (b *Board) Demo() bool { return b.cur.Load().demo }

// Orientation is the ticker's orientation.
func (b *Board) Orientation() Orientation { return b.o.Orientation }

// Sink wraps next so that the board refreshes after every save: a fetch
// reaches the pages at once.
func (b *Board) Sink(next Sink) Sink { return boardSink{next, b} }

type boardSink struct {
	next Sink
	b    *Board
}

func (s boardSink) SaveObservations(ctx context.Context, obs []Observation) error {
	if err := s.next.SaveObservations(ctx, obs); err != nil {
		return err
	}
	return s.b.Refresh(ctx)
}

// The ticker scrolls by CSS alone. Screen readers get the first list; the
// two copies that make the loop seamless are aria-hidden and out of the
// tab order. Direction is written as a word for screen readers and an
// arrow for the eye, never colour alone.
var tickerTmpl = template.Must(template.New("ticker").Parse(
	`<div class="ticker" role="region" aria-label="{{.Label}}">` +
		`{{if .Demo}}<a class="ticker-demo" href="{{.Rates}}">{{.DemoWord}}</a>{{end}}` +
		`<div class="ticker-view"><div class="ticker-track">` +
		`{{template "list" .}}{{template "copy" .}}{{template "copy" .}}` +
		`</div></div></div>` +
		`{{define "list"}}<ul class="ticker-list">{{range .Items}}{{template "item" .}}{{end}}</ul>{{end}}` +
		`{{define "copy"}}<ul class="ticker-list" aria-hidden="true">{{range .Copies}}{{template "item" .}}{{end}}</ul>{{end}}` +
		`{{define "item"}}<li><a href="{{.Link}}"{{if .Hidden}} tabindex="-1"{{end}}>` +
		`<span class="pair">{{.Pair}}</span> <span class="rate">{{.Rate}}</span>` +
		`{{if .Change}} <span class="chg {{.Dir}}"><span class="mark" role="img" aria-label="{{.Word}}">{{.Mark}}</span> {{.ChangeText}}</span>{{end}}` +
		`{{if .AsOf}} <span class="asof">{{.AsOf}}</span>{{end}}</a></li>{{end}}`))

type tickerView struct {
	TickerItem
	Hidden     bool
	Link       string // the currency's row on the rates page of the ticker's language
	Mark, Word string
	AsOf       string        // "as of 26 Mar" when Stale
	ChangeText template.HTML // FormatChange's digits and sign, unescaped "+"
}

// ChangeMark is how a direction of change is shown: an arrow for the
// eye and, for screen readers, the catalogue's word for it
// (site.ticker.up, .down, .flat), never colour alone.
func ChangeMark(dir string) (mark, wordKey string) {
	switch dir {
	case "up":
		return "▲", "site.ticker.up"
	case "down":
		return "▼", "site.ticker.down"
	}
	return "▬", "site.ticker.flat"
}

// TickerHTML renders ticker items as the masthead's marquee in lang, its
// words from words; no items give "". demo adds a note that the rates are
// generated.
func TickerHTML(items []TickerItem, demo bool, lang string, words *i18n.Catalogue) template.HTML {
	if len(items) == 0 {
		return ""
	}
	rates := links.In(lang, links.Rates)
	views := make([]tickerView, len(items))
	for i, it := range items {
		v := tickerView{TickerItem: it, Link: rates + "#" + it.Code, ChangeText: template.HTML(it.Change)}
		var key string
		v.Mark, key = ChangeMark(it.Dir)
		v.Word = words.T(lang, key)
		if it.Stale {
			v.AsOf = words.T(lang, "site.ticker.as_of", "Date", i18n.ShortDate(it.BankDate, it.OldYear, lang))
		}
		views[i] = v
	}
	hidden := make([]tickerView, len(views))
	for i, v := range views {
		v.Hidden = true
		hidden[i] = v
	}
	var buf bytes.Buffer
	data := struct {
		Items, Copies          []tickerView
		Demo                   bool
		Label, DemoWord, Rates string
	}{views, hidden, demo, words.T(lang, "site.ticker.label"), words.T(lang, "site.ticker.demo"), rates}
	if err := tickerTmpl.Execute(&buf, data); err != nil {
		return ""
	}
	return template.HTML(buf.String())
}
