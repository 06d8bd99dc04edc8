package rates

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// NBKRURL is the National Bank of the Kyrgyz Republic's current daily table
// (USD, EUR, CNY, KZT, RUB). It takes no date: the bank offers history only as
// a web page, read by ParseNBKRHistory.
const NBKRURL = "https://www.nbkr.kg/XML/daily.xml"

// NBKRHistoryURL is the bank's history page for one currency; valuta_id 15 is
// the US dollar.
const NBKRHistoryURL = "https://www.nbkr.kg/index1.jsp?item=1562&lang=ENG&valuta_id=15" +
	"&beg_day={FROM_DD}&beg_month={FROM_MM}&beg_year={FROM_YYYY}&end_day={DD}&end_month={MM}&end_year={YYYY}"

// newNBKR is the National Bank of the Kyrgyz Republic: KGS, current rate only.
// Its rate is dated the day it takes effect, which may be a weekend or the
// next day.
func newNBKR(url, historyURL string) Provider {
	if url == "" {
		url = NBKRURL
	}
	if historyURL == "" {
		historyURL = NBKRHistoryURL
	}
	return &nbkrProvider{
		bank:       &bank{id: "nbkr", currency: "KGS", zone: "Asia/Bishkek", url: url, parse: parseNBKR},
		historyURL: historyURL,
	}
}

type nbkrDoc struct {
	Date       string `xml:"Date,attr"`
	Currencies []struct {
		ISOCode string `xml:"ISOCode,attr"`
		Nominal string `xml:"Nominal"`
		Value   string `xml:"Value"`
	} `xml:"Currency"`
}

// parseNBKR reads <CurrencyRates Date="DD.MM.YYYY"><Currency ISOCode="USD">
// <Nominal>1</Nominal><Value>87,4500</Value></Currency>…, windows-1251.
func parseNBKR(body []byte) (Quote, error) {
	body, err := prepare(body)
	if err != nil {
		return Quote{}, err
	}
	var doc nbkrDoc
	if err := decodeXML(body, &doc); err != nil {
		return Quote{}, err
	}
	if len(doc.Currencies) == 0 {
		return Quote{}, ErrNoData
	}
	for _, c := range doc.Currencies {
		if strings.EqualFold(strings.TrimSpace(c.ISOCode), "USD") {
			return usdQuote(doc.Date, c.Value, c.Nominal)
		}
	}
	return Quote{}, errors.New("no USD line in the table")
}

var (
	nbkrRow  = regexp.MustCompile(`(?is)<tr[^>]*>(.*?)</tr>`)
	nbkrCell = regexp.MustCompile(`(?is)<td[^>]*>(.*?)</td>`)
	anyTag   = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
)

// ParseNBKRHistory reads the NBKR history page for one currency: a table whose
// rows are a date (DD.MM.YYYY) and a value in som (comma decimals), newest
// first. Quotes come back oldest first, labelled with currency. Rows that are
// not a date and a number (headings) are skipped.
func ParseNBKRHistory(body []byte, currency string) ([]Quote, error) {
	body, err := prepareHTML(body)
	if err != nil {
		return nil, err
	}
	var out []Quote
	for _, row := range nbkrRow.FindAllSubmatch(body, -1) {
		cells := nbkrCell.FindAllSubmatch(row[1], -1)
		if len(cells) < 2 {
			continue
		}
		ds := strings.TrimSpace(anyTag.ReplaceAllString(string(cells[0][1]), ""))
		vs := strings.TrimSpace(anyTag.ReplaceAllString(string(cells[1][1]), ""))
		d, err := parseBankDate(ds)
		if err != nil {
			continue
		}
		v, err := perUnit(vs, "1")
		if err != nil {
			return nil, fmt.Errorf("row %s: %w", ds, err)
		}
		out = append(out, Quote{Currency: currency, Date: d, PerUnit: v})
	}
	if len(out) == 0 {
		return nil, ErrNoData
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// prepareHTML is prepare for pages that are HTML by design.
func prepareHTML(body []byte) ([]byte, error) {
	if strings.TrimSpace(string(body)) == "" {
		return nil, ErrNoData
	}
	return toUTF8(body)
}

// nbkrProvider adds the history page to the daily XML feed.
type nbkrProvider struct {
	*bank
	historyURL string
}

// FetchRange reads the NBKR history page for the dollar between from and to;
// Backfill uses it since the bank's XML has no date parameter.
func (n *nbkrProvider) FetchRange(ctx context.Context, c *http.Client, from, to time.Time) ([]Observation, error) {
	from, to = dateOnly(from), dateOnly(to)
	u := strings.NewReplacer(
		"{FROM_YYYY}", fmt.Sprintf("%04d", from.Year()),
		"{FROM_MM}", fmt.Sprintf("%02d", int(from.Month())),
		"{FROM_DD}", fmt.Sprintf("%02d", from.Day()),
	).Replace(n.historyURL)
	body, err := get(ctx, c, expandURL(u, to))
	if err != nil {
		return nil, fmt.Errorf("%s: history: %w", n.id, err)
	}
	qs, err := ParseNBKRHistory(body, "USD")
	if err != nil {
		return nil, fmt.Errorf("%s: history: %w", n.id, err)
	}
	out := make([]Observation, 0, len(qs))
	for _, q := range qs {
		o := Observation{Currency: n.currency, Base: "USD", UnitsPerUSD: q.PerUnit,
			BankDate: q.Date, Source: n.id} // the fetcher stamps FetchedAt
		if err := o.Validate(); err != nil {
			return nil, fmt.Errorf("%s: history: %w", n.id, err)
		}
		out = append(out, o)
	}
	return out, nil
}
