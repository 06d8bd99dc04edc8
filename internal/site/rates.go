package site

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"dastan/internal/links"
	"dastan/internal/rates"
)

// bankSites are each rate provider's public site; the catalogue names
// them (site.rates.banks.*).
var bankSites = map[string]string{
	"nbk": "https://nationalbank.kz/", "nbkr": "https://www.nbkr.kg/", "nbt": "https://www.nbt.tj/",
	"cbu": "https://cbu.uz/", "cbt": "https://cbt.tm/",
}

// currencyName is what the rates page calls a currency in lang: the
// catalogue's name (site.rates.names.*), or its code.
func (s *Site) currencyName(lang, code string) string {
	return s.words.Value(lang, "site.rates.names", code)
}

// chartRanges are the spans, in days, a reader can chart.
var chartRanges = []int{30, 90, 365}

type ratesRow struct {
	Code, Name       string
	PairLocal        string // "KZT/USD"
	PairUSD          string // "USD/KZT"
	USDPerUnit       string
	UnitsPerUSD      string
	Item             rates.TickerItem
	Mark, Word       string
	BankDate         time.Time
	BankDay          string // BankDate as readers of the page's language write it
	Source, Bank     string
	BankURL          string
	Demo             bool
	Chart            template.HTML
	ChartDescription string
}

type rangeLink struct {
	Days    int
	URL     string
	Current bool
}

type converterView struct {
	Amount, From, To string
	Codes            []string
	Names            map[string]string
	Result, Error    string
}

type ratesContent struct {
	Rows        []ratesRow
	Demo        bool
	Orientation string
	Range       int
	Ranges      []rangeLink
	Conv        converterView
}

// ratesPage is /rates/: today's table in both orientations with each
// bank's date and source, a chart per currency, and a converter that works
// as a plain GET form.
func (s *Site) ratesPage(r *http.Request, pr params) (*response, error) {
	lang := pr.lang
	ctx := r.Context()
	q := r.URL.Query()
	latest := s.board.Latest()
	codes := make([]string, 0, len(latest))
	for code := range latest {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	items := map[string]rates.TickerItem{}
	for _, it := range s.board.Items() {
		items[it.Code] = it
	}
	o := s.board.Orientation()
	days := 90
	if d, err := strconv.Atoi(q.Get("range")); err == nil {
		for _, allowed := range chartRanges {
			if d == allowed {
				days = d
			}
		}
	}
	c := ratesContent{Demo: s.board.Demo(), Orientation: string(o), Range: days}
	for _, d := range chartRanges {
		c.Ranges = append(c.Ranges, rangeLink{Days: d, URL: links.In(lang, links.RatesRange(d)), Current: d == days})
	}
	to := dateOnly(s.now().In(s.cfg.Location))
	from := to.AddDate(0, 0, -days+1)
	for _, code := range codes {
		cur := latest[code][0]
		row := ratesRow{
			Code: code, Name: s.currencyName(lang, code),
			PairLocal: rates.LocalUSD.Pair(code), PairUSD: rates.USDLocal.Pair(code),
			USDPerUnit: rates.FormatRate(cur.USDPerUnit()), UnitsPerUSD: rates.FormatRate(cur.UnitsPerUSD),
			Item: items[code], BankDate: cur.BankDate, BankDay: shortDate(cur.BankDate, lang), Source: cur.Source,
			Bank: s.words.Value(lang, "site.rates.banks", cur.Source), BankURL: bankSites[cur.Source], Demo: cur.Demo,
		}
		var word string
		row.Mark, word = rates.ChangeMark(row.Item.Dir)
		row.Word = s.words.T(lang, word)
		hist, err := s.db.RateHistory(ctx, code, from, to)
		if err != nil {
			return nil, err
		}
		row.Chart = template.HTML(rates.ChartSVG(hist, o, 640, 200, lang, s.words))
		c.Rows = append(c.Rows, row)
	}
	status := http.StatusOK
	c.Conv = s.convert(lang, q, latest, codes)
	if c.Conv.Error != "" {
		status = http.StatusBadRequest
	}
	p := s.newPage(ctx, lang, s.words.T(lang, "site.rates.title"), links.In(lang, links.Rates), "")
	p.Description = s.words.T(lang, "site.rates.about")
	p.Content = c
	resp, err := s.render("rates", status, p)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// convert reads the converter's GET form. Nothing asked gives an empty
// form; bad input gives a message in plain words.
func (s *Site) convert(lang string, q url.Values, latest map[string][2]rates.Observation, codes []string) converterView {
	v := converterView{Amount: q.Get("amount"), From: strings.ToUpper(q.Get("from")), To: strings.ToUpper(q.Get("to")),
		Codes: append([]string{"USD"}, codes...), Names: map[string]string{}}
	for _, code := range v.Codes {
		v.Names[code] = s.currencyName(lang, code)
	}
	asked := q.Has("amount") || q.Has("from") || q.Has("to")
	if v.Amount == "" {
		v.Amount = "100"
	}
	if v.From == "" {
		v.From = "USD"
	}
	if v.To == "" {
		v.To = "USD"
		if len(codes) > 0 {
			v.To = codes[0]
		}
	}
	if !asked {
		return v
	}
	amount, ok := parseAmount(v.Amount)
	if !ok {
		v.Error = s.words.T(lang, "site.rates.bad_amount")
		return v
	}
	now := map[string]rates.Observation{}
	for code, p := range latest {
		now[code] = p[0]
	}
	for _, code := range []string{v.From, v.To} {
		if _, known := now[code]; !known && code != "USD" {
			v.Error = s.words.T(lang, "site.rates.unknown_currency", "Code", code)
			return v
		}
	}
	out, err := rates.Convert(amount, v.From, v.To, now)
	if err != nil {
		v.Error = s.words.T(lang, "site.rates.no_conversion")
		return v
	}
	v.Result = formatAmount(amount, false) + " " + v.From + " = " + formatAmount(out, true) + " " + v.To
	return v
}

// parseAmount reads an amount as readers type it: "1 000", "2500,50".
func parseAmount(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '_' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if !strings.Contains(s, ".") && strings.Count(s, ",") == 1 {
		s = strings.Replace(s, ",", ".", 1)
	}
	if s == "" || len(s) > 30 {
		return 0, false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v > 1e15 {
		return 0, false
	}
	return v, true
}

// formatAmount writes money with thousands separated by commas: the amount
// asked as typed, a result with two decimals (or four significant digits
// when under one).
func formatAmount(v float64, result bool) string {
	var s string
	switch {
	case !result:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	case v < 1:
		return rates.FormatRate(v)
	default:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
