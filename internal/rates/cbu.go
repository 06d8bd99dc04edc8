package rates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// CBUURL is the Central Bank of Uzbekistan's daily table, by date.
const CBUURL = "https://cbu.uz/en/arkhiv-kursov-valyut/json/all/{YYYY}-{MM}-{DD}/"

// newCBU is the Central Bank of Uzbekistan: UZS, with history by date.
func newCBU(url string) Provider {
	if url == "" {
		url = CBUURL
	}
	return &bank{id: "cbu", currency: "UZS", zone: "Asia/Tashkent", url: url, history: true, parse: parseCBU}
}

// jsonText takes a JSON string or number as text: CBU sends every value as
// a string today, and a number would mean the same.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = jsonText(s)
		return nil
	}
	if string(b) == "null" {
		*t = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*t = jsonText(n.String())
	return nil
}

type cbuLine struct {
	Ccy     jsonText `json:"Ccy"`
	Code    jsonText `json:"Code"`
	Nominal jsonText `json:"Nominal"`
	Rate    jsonText `json:"Rate"`
	Date    jsonText `json:"Date"`
}

// parseCBU reads [{"Ccy":"USD","Nominal":"1","Rate":"12194.21",
// "Date":"01.04.2026"},…].
func parseCBU(body []byte) (Quote, error) {
	body, err := prepare(body)
	if err != nil {
		return Quote{}, err
	}
	if body = bytes.TrimSpace(body); body[0] == '<' {
		return Quote{}, errors.New("answered with markup instead of JSON")
	}
	var lines []cbuLine
	if err := json.Unmarshal(body, &lines); err != nil {
		return Quote{}, fmt.Errorf("malformed JSON: %w", err)
	}
	if len(lines) == 0 {
		return Quote{}, ErrNoData
	}
	for _, l := range lines {
		if strings.EqualFold(strings.TrimSpace(string(l.Ccy)), "USD") || strings.TrimSpace(string(l.Code)) == "840" {
			return usdQuote(string(l.Date), string(l.Rate), string(l.Nominal))
		}
	}
	return Quote{}, errors.New("no USD line in the table")
}
