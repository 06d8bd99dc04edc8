package rates

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

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
	html   template.HTML
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
	st.html = TickerHTML(st.items, st.demo)
	old := b.cur.Swap(st)
	if old.html != st.html && b.o.OnChange != nil {
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

// Ticker is the ticker's HTML, or "" when there are no rates.
func (b *Board) Ticker() template.HTML { return b.cur.Load().html }

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
var tickerTmpl = template.Must(template.New("ticker").Funcs(links.FuncMap()).Parse(
	`<div class="ticker" role="region" aria-label="Currency rates against the US dollar">` +
		`{{if .Demo}}<a class="ticker-demo" href="{{rates}}">Demo data</a>{{end}}` +
		`<div class="ticker-view"><div class="ticker-track">` +
		`{{template "list" .}}{{template "copy" .}}{{template "copy" .}}` +
		`</div></div></div>` +
		`{{define "list"}}<ul class="ticker-list">{{range .Items}}{{template "item" .}}{{end}}</ul>{{end}}` +
		`{{define "copy"}}<ul class="ticker-list" aria-hidden="true">{{range .Copies}}{{template "item" .}}{{end}}</ul>{{end}}` +
		`{{define "item"}}<li><a href="{{ratesCurrency .Code}}"{{if .Hidden}} tabindex="-1"{{end}}>` +
		`<span class="pair">{{.Pair}}</span> <span class="rate">{{.Rate}}</span>` +
		`{{if .Change}} <span class="chg {{.Dir}}"><span class="mark" role="img" aria-label="{{.Word}}">{{.Mark}}</span> {{.ChangeText}}</span>{{end}}` +
		`{{if .AsOf}} <span class="asof">{{.AsOf}}</span>{{end}}</a></li>{{end}}`))

type tickerView struct {
	TickerItem
	Hidden     bool
	Mark, Word string
	ChangeText template.HTML // FormatChange's digits and sign, unescaped "+"
}

// TickerHTML renders ticker items as the masthead's marquee; no items give
// "". demo adds a note that the rates are generated.
func TickerHTML(items []TickerItem, demo bool) template.HTML {
	if len(items) == 0 {
		return ""
	}
	views := make([]tickerView, len(items))
	for i, it := range items {
		v := tickerView{TickerItem: it, ChangeText: template.HTML(it.Change)}
		switch it.Dir {
		case "up":
			v.Mark, v.Word = "▲", "up"
		case "down":
			v.Mark, v.Word = "▼", "down"
		default:
			v.Mark, v.Word = "▬", "unchanged"
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
		Items, Copies []tickerView
		Demo          bool
	}{views, hidden, demo}
	if err := tickerTmpl.Execute(&buf, data); err != nil {
		return ""
	}
	return template.HTML(buf.String())
}
