package rates

import (
	"errors"
	"strings"
)

// NBTURL is the National Bank of Tajikistan's daily table, by date. For a
// date it does not know it answers today's table, so Fetch checks the date.
const NBTURL = "https://www.nbt.tj/en/kurs/export_xml.php?date={YYYY}-{MM}-{DD}&export=xmlout"

// newNBT is the National Bank of Tajikistan: TJS, with history by date.
func newNBT(url string) Provider {
	if url == "" {
		url = NBTURL
	}
	return &bank{id: "nbt", currency: "TJS", zone: "Asia/Dushanbe", url: url, history: true, parse: parseNBT}
}

type nbtDoc struct {
	Date    string `xml:"Date,attr"`
	Valutes []struct {
		ID       string `xml:"ID,attr"`
		CharCode string `xml:"CharCode"`
		Nominal  string `xml:"Nominal"`
		Value    string `xml:"Value"`
	} `xml:"Valute"`
}

// parseNBT reads <ValCurs Date="YYYY-MM-DD"><Valute ID="840"><CharCode>USD
// </CharCode><Nominal>1</Nominal><Value>9.3450</Value></Valute>…</ValCurs>.
func parseNBT(body []byte) (Quote, error) {
	body, err := prepare(body)
	if err != nil {
		return Quote{}, err
	}
	var doc nbtDoc
	if err := decodeXML(body, &doc); err != nil {
		return Quote{}, err
	}
	if len(doc.Valutes) == 0 {
		return Quote{}, ErrNoData
	}
	for _, v := range doc.Valutes {
		// The numeric code is the fallback: the language paths spell names differently.
		if strings.EqualFold(strings.TrimSpace(v.CharCode), "USD") || strings.TrimSpace(v.ID) == "840" {
			return usdQuote(doc.Date, v.Value, v.Nominal)
		}
	}
	return Quote{}, errors.New("no USD line in the table")
}
