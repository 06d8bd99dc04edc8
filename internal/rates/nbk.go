package rates

import (
	"errors"
	"strings"
)

// NBKURL is the National Bank of Kazakhstan's daily table, by date.
const NBKURL = "https://nationalbank.kz/rss/get_rates.cfm?fdate={DD}.{MM}.{YYYY}"

// newNBK is the National Bank of Kazakhstan: KZT, with history by date.
func newNBK(url string) Provider {
	if url == "" {
		url = NBKURL
	}
	return &bank{id: "nbk", currency: "KZT", zone: "Asia/Almaty", url: url, history: true, parse: parseNBK}
}

type nbkDoc struct {
	Date  string `xml:"date"`
	Items []struct {
		Title       string `xml:"title"`
		Description string `xml:"description"`
		Quant       string `xml:"quant"`
	} `xml:"item"`
}

// parseNBK reads <rates><date>DD.MM.YYYY</date><item><title>USD</title>
// <description>478.77</description><quant>1</quant></item>…</rates>.
func parseNBK(body []byte) (Quote, error) {
	body, err := prepare(body)
	if err != nil {
		return Quote{}, err
	}
	var doc nbkDoc
	if err := decodeXML(body, &doc); err != nil {
		return Quote{}, err
	}
	if len(doc.Items) == 0 {
		return Quote{}, ErrNoData
	}
	for _, it := range doc.Items {
		if strings.EqualFold(strings.TrimSpace(it.Title), "USD") {
			return usdQuote(doc.Date, it.Description, it.Quant)
		}
	}
	return Quote{}, errors.New("no USD line in the table")
}
