package main

import (
	"context"
	"dastan/internal/config"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"time"

	"dastan/internal/rates"
)

// ratesCmd runs the rates job by hand: "fetch" asks every bank once;
// "backfill --from DATE [--to DATE]" fills history where a bank answers for
// past dates.
func ratesCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const ratesUsage = "Usage:\n  dastan rates fetch\n  dastan rates backfill --from YYYY-MM-DD [--to YYYY-MM-DD]\n"
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(stdout, ratesUsage)
		return nil
	}
	if len(args) == 0 || (args[0] != "fetch" && args[0] != "backfill") {
		fmt.Fprint(stderr, ratesUsage)
		return errors.New("rates: name fetch or backfill")
	}
	sub := args[0]
	fs := flag.NewFlagSet("rates "+sub, flag.ContinueOnError)
	var fromS, toS *string
	if sub == "backfill" {
		fromS = fs.String("from", "", "first date to fetch, YYYY-MM-DD (required)")
		toS = fs.String("to", "", "last date to fetch, YYYY-MM-DD (default today)")
	}
	cfg, db, log, err := setup(ctx, fs, args[1:], append(config.Store, "rates", "rates-max-jump", "time-zone", "site-url", "addr"), stdout, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	rcfg, err := rates.ParseConfig(cfg.Rates)
	if err != nil {
		return err
	}
	providers, err := rcfg.Providers()
	if err != nil {
		return err
	}
	f := rates.NewFetcher(providers, db, rates.FetcherConfig{SiteURL: cfg.SiteURL, Location: cfg.Location, Logger: log,
		MaxJump: cfg.RatesMaxJump, Holds: db})
	var res rates.Result
	switch sub {
	case "fetch":
		res, err = f.Once(ctx)
	case "backfill":
		if *fromS == "" {
			return errors.New("rates backfill: --from is required")
		}
		from, perr := time.Parse(time.DateOnly, *fromS)
		if perr != nil {
			return fmt.Errorf("rates backfill: --from: want YYYY-MM-DD, got %q", *fromS)
		}
		to := time.Now().In(cfg.Location)
		if *toS != "" {
			if to, perr = time.Parse(time.DateOnly, *toS); perr != nil {
				return fmt.Errorf("rates backfill: --to: want YYYY-MM-DD, got %q", *toS)
			}
		}
		if from.After(to) {
			return errors.New("rates backfill: --from is after --to")
		}
		res, err = f.Backfill(ctx, from, to)
	}
	report(stdout, res)
	return err
}

// report prints what a round found, one line per currency.
func report(w io.Writer, res rates.Result) {
	count := map[string]int{}
	last := map[string]rates.Observation{}
	for _, o := range res.Observations {
		count[o.Currency]++
		if o.BankDate.After(last[o.Currency].BankDate) {
			last[o.Currency] = o
		}
	}
	var codes []string
	for c := range count {
		codes = append(codes, c)
	}
	for c := range res.Errors {
		if count[c] == 0 {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	for _, c := range codes {
		if o, ok := last[c]; ok {
			fmt.Fprintf(w, "%s  %d saved; latest USD/%s = %s on %s (%s)\n", c, count[c], c, rates.FormatRate(o.UnitsPerUSD), o.BankDate.Format(time.DateOnly), o.Source)
		}
		if err := res.Errors[c]; err != nil {
			fmt.Fprintf(w, "%s  %v\n", c, err)
		}
	}
}
