package rates

import (
	"fmt"
	"strings"
)

// CurrencyConfig says which bank's feed gives one currency, and where to find
// it. URL (and HistoryURL, for NBKR) override the bank's public address; they
// may hold {YYYY}, {MM}, {DD} for the date asked.
type CurrencyConfig struct {
	Code       string // local currency, e.g. "KZT"
	Provider   string // provider id: nbk, nbkr, nbt, cbu, cbt
	URL        string // optional override of the feed address
	HistoryURL string // optional override of a separate history page (NBKR)
}

// Config lists the currencies a site shows, in ticker order.
type Config struct {
	Currencies []CurrencyConfig
}

// DefaultConfig is the five Central Asian currencies from their central banks.
func DefaultConfig() Config {
	return Config{Currencies: []CurrencyConfig{
		{Code: "KZT", Provider: "nbk"},
		{Code: "KGS", Provider: "nbkr"},
		{Code: "TJS", Provider: "nbt"},
		{Code: "UZS", Provider: "cbu"},
		{Code: "TMT", Provider: "cbt"},
	}}
}

// DefaultSetting is DefaultConfig written as a setting string.
const DefaultSetting = "KZT=nbk,KGS=nbkr,TJS=nbt,UZS=cbu,TMT=cbt"

// ParseConfig reads a compact setting such as
// "KZT=nbk,KGS=nbkr:https://mirror.example/daily.xml": CODE=provider with an
// optional ":URL" override. URLs must not contain commas (percent-encode them).
func ParseConfig(s string) (Config, error) {
	var c Config
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, rest, ok := strings.Cut(part, "=")
		if !ok {
			return Config{}, fmt.Errorf("rates: setting %q: want CODE=provider", part)
		}
		prov, url, _ := strings.Cut(rest, ":")
		c.Currencies = append(c.Currencies, CurrencyConfig{
			Code:     strings.ToUpper(strings.TrimSpace(code)),
			Provider: strings.ToLower(strings.TrimSpace(prov)),
			URL:      strings.TrimSpace(url),
		})
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// String writes the config back as a setting string.
func (c Config) String() string {
	parts := make([]string, len(c.Currencies))
	for i, cc := range c.Currencies {
		parts[i] = cc.Code + "=" + cc.Provider
		if cc.URL != "" {
			parts[i] += ":" + cc.URL
		}
	}
	return strings.Join(parts, ",")
}

// Validate checks every currency has a known provider for that currency, once.
func (c Config) Validate() error {
	if len(c.Currencies) == 0 {
		return fmt.Errorf("rates: no currencies configured")
	}
	seen := map[string]bool{}
	for _, cc := range c.Currencies {
		if seen[cc.Code] {
			return fmt.Errorf("rates: %s configured twice", cc.Code)
		}
		seen[cc.Code] = true
		if _, err := NewProvider(cc); err != nil {
			return err
		}
	}
	return nil
}

// Codes lists the configured currency codes in order.
func (c Config) Codes() []string {
	out := make([]string, len(c.Currencies))
	for i, cc := range c.Currencies {
		out[i] = cc.Code
	}
	return out
}

// Providers builds one provider per configured currency.
func (c Config) Providers() ([]Provider, error) {
	out := make([]Provider, 0, len(c.Currencies))
	for _, cc := range c.Currencies {
		p, err := NewProvider(cc)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// NewProvider builds the provider a currency is configured with.
func NewProvider(cc CurrencyConfig) (Provider, error) {
	if cc.URL != "" && !strings.HasPrefix(cc.URL, "http://") && !strings.HasPrefix(cc.URL, "https://") {
		return nil, fmt.Errorf("rates: %s: URL %q is not http(s)", cc.Code, cc.URL)
	}
	var p Provider
	switch strings.ToLower(cc.Provider) {
	case "nbk":
		p = newNBK(cc.URL)
	case "nbkr":
		p = newNBKR(cc.URL, cc.HistoryURL)
	case "nbt":
		p = newNBT(cc.URL)
	case "cbu":
		p = newCBU(cc.URL)
	case "cbt":
		p = newCBT(cc.URL)
	default:
		return nil, fmt.Errorf("rates: %s: unknown provider %q (want nbk, nbkr, nbt, cbu or cbt)", cc.Code, cc.Provider)
	}
	if !strings.EqualFold(cc.Code, p.Currency()) {
		return nil, fmt.Errorf("rates: provider %s gives %s, not %s", p.ID(), p.Currency(), cc.Code)
	}
	return p, nil
}
