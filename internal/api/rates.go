// Package api serves Dastan's JSON API under /api/v1/.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"dastan/internal/rates"
)

// MaxHistoryDays caps one history answer: three years of daily rates.
const MaxHistoryDays = 3 * 366

// History reads one currency's stored rates; the store's RateHistory.
type History func(ctx context.Context, code string, from, to time.Time) ([]rates.Observation, error)

// Rates answers /api/v1/rates (the latest, from memory) and
// /api/v1/rates/{CODE} (a currency's history, from the store).
type Rates struct {
	board   *rates.Board
	history History
	codes   map[string]bool
	now     func() time.Time
	loc     *time.Location
	log     *slog.Logger
}

// NewRates makes the rates endpoints for the configured currency codes.
func NewRates(board *rates.Board, history History, codes []string, now func() time.Time, loc *time.Location, log *slog.Logger) *Rates {
	a := &Rates{board: board, history: history, codes: map[string]bool{}, now: now, loc: loc, log: log}
	for _, c := range codes {
		a.codes[c] = true
	}
	return a
}

// Routes registers the endpoints on mux.
func (a *Rates) Routes(mux Registrar) {
	mux.HandleFunc("GET /api/v1/rates", a.latest)
	mux.HandleFunc("GET /api/v1/rates/{code}", a.historyOf)
}

// Rate is one observation as the API shows it.
type Rate struct {
	Currency    string  `json:"currency"`
	Base        string  `json:"base"`
	UnitsPerUSD float64 `json:"units_per_usd"`
	USDPerUnit  float64 `json:"usd_per_unit"`
	BankDate    string  `json:"bank_date"`
	Source      string  `json:"source"`
	FetchedAt   string  `json:"fetched_at,omitempty"`
	Demo        bool    `json:"demo"`
}

// LatestRate is a currency's newest rate with the one before it.
type LatestRate struct {
	Rate
	Previous *Rate `json:"previous,omitempty"`
	// ChangePct is the change of units per US dollar since Previous, in
	// percent, rounded to two decimals.
	ChangePct *float64 `json:"change_pct,omitempty"`
}

func toRate(o rates.Observation) Rate {
	r := Rate{Currency: o.Currency, Base: o.Base, UnitsPerUSD: o.UnitsPerUSD, USDPerUnit: o.USDPerUnit(),
		BankDate: o.BankDate.Format(time.DateOnly), Source: o.Source, Demo: o.Demo}
	if !o.FetchedAt.IsZero() {
		r.FetchedAt = o.FetchedAt.UTC().Format(time.RFC3339)
	}
	return r
}

func (a *Rates) latest(w http.ResponseWriter, r *http.Request) {
	latest := a.board.Latest()
	out := struct {
		Base  string       `json:"base"`
		Demo  bool         `json:"demo"`
		Rates []LatestRate `json:"rates"`
	}{Base: "USD", Demo: a.board.Demo(), Rates: []LatestRate{}}
	for _, it := range a.board.Items() {
		p := latest[it.Code]
		lr := LatestRate{Rate: toRate(p[0])}
		if p[1].Validate() == nil {
			prev := toRate(p[1])
			lr.Previous = &prev
			pct := math.Round((p[0].UnitsPerUSD-p[1].UnitsPerUSD)/p[1].UnitsPerUSD*10000) / 100
			if pct == 0 {
				pct = 0 // never -0
			}
			lr.ChangePct = &pct
		}
		out.Rates = append(out.Rates, lr)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *Rates) historyOf(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(r.PathValue("code"))
	if _, ok := a.board.Latest()[code]; !ok && !a.codes[code] {
		problem(w, http.StatusNotFound, "Unknown currency", fmt.Sprintf("There are no rates for %q. Known currencies: %s.", r.PathValue("code"), strings.Join(a.known(), ", ")))
		return
	}
	q := r.URL.Query()
	to := dateOnly(a.now().In(a.loc))
	if s := q.Get("to"); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			problem(w, http.StatusBadRequest, "Bad date", fmt.Sprintf("to: want a date as YYYY-MM-DD, got %q.", s))
			return
		}
		to = d
	}
	from := to.AddDate(0, 0, -29)
	if s := q.Get("from"); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			problem(w, http.StatusBadRequest, "Bad date", fmt.Sprintf("from: want a date as YYYY-MM-DD, got %q.", s))
			return
		}
		from = d
	}
	if from.After(to) {
		problem(w, http.StatusBadRequest, "Bad date range", "from must not be after to.")
		return
	}
	if to.Sub(from) > MaxHistoryDays*24*time.Hour {
		problem(w, http.StatusBadRequest, "Range too long", fmt.Sprintf("Ask for at most %d days at a time.", MaxHistoryDays))
		return
	}
	obs, err := a.history(r.Context(), code, from, to)
	if err != nil {
		a.log.Error("rates history", "code", code, "err", err)
		problem(w, http.StatusInternalServerError, "Rates unavailable", "The rates could not be read just now. Please try again in a moment.")
		return
	}
	out := struct {
		Currency string `json:"currency"`
		Base     string `json:"base"`
		From     string `json:"from"`
		To       string `json:"to"`
		Rates    []Rate `json:"rates"`
	}{code, "USD", from.Format(time.DateOnly), to.Format(time.DateOnly), make([]Rate, 0, len(obs))}
	for _, o := range obs {
		out.Rates = append(out.Rates, toRate(o))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *Rates) known() []string {
	var out []string
	for _, it := range a.board.Items() {
		out = append(out, it.Code)
	}
	if len(out) == 0 {
		for c := range a.codes {
			out = append(out, c)
		}
		sort.Strings(out)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// problem writes an RFC 9457 problem document.
func problem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "title": title, "status": status, "detail": detail})
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
