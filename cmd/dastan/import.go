package main

import (
	"context"
	"dastan/internal/config"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	mediapkg "dastan/internal/media"
	"dastan/internal/wordpress"
)

// importCmd brings a newsroom over from another system:
// dastan import wordpress EXPORT.xml [--media-dir DIR | --media-base-url URL]
// [--max-item-size SIZE].
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const importUsage = `usage: dastan import wordpress EXPORT.xml [--media-dir wp-content/uploads | --media-base-url URL] [--max-item-size 8MiB]`
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, importUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "wordpress" {
		return errors.New(importUsage)
	}
	fs := flag.NewFlagSet("import wordpress", flag.ContinueOnError)
	mediaDir := fs.String("media-dir", "", "a copy of the old site's wp-content/uploads folder")
	mediaURL := fs.String("media-base-url", "", "where the old site's uploads can be fetched, e.g. https://example.com/wp-content/uploads")
	batch := fs.Int("batch", 250, "items written per transaction")
	maxItem := fs.String("max-item-size", "8MiB", "largest item (post, page, attachment) imported; a bigger one is reported and skipped; 0 for no limit")
	// The export's name may come before or after the flags.
	rest := args[1:]
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	cfg, db, _, err := setup(ctx, fs, rest, append(config.Store, "excerpt-length"), stdout, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		return errors.New("name the export file: dastan import wordpress EXPORT.xml")
	}
	limit, err := parseSize(*maxItem)
	if err != nil {
		return fmt.Errorf("--max-item-size: %w", err)
	}
	if limit == 0 {
		limit = -1 // no limit
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}

	var media *wordpress.Media
	// The same library and storage serve uses, so imported images get
	// their renditions and appear in the newsroom's media screen.
	storage, err := mediapkg.Configured(cfg)
	if err != nil {
		return err
	}
	store := wordpress.Library{Service: &mediapkg.Service{Store: db, Storage: storage}}
	switch {
	case *mediaDir != "" && *mediaURL != "":
		return errors.New("give --media-dir or --media-base-url, not both")
	case *mediaDir != "":
		if st, err := os.Stat(*mediaDir); err != nil || !st.IsDir() {
			return fmt.Errorf("--media-dir %s is not a folder", *mediaDir)
		}
		media = &wordpress.Media{Source: wordpress.DirSource{Root: *mediaDir}, Store: store, Concurrency: 8}
	case *mediaURL != "":
		// No timeout for a whole file: HTTPSource gives up on a server
		// that sends nothing for its Wait, however long the file takes.
		media = &wordpress.Media{Source: wordpress.HTTPSource{Base: *mediaURL, Retries: 3}, Store: store, Concurrency: 8}
	}

	bar := newProgressBar(stdout, info.Size())
	start := time.Now()
	report, err := wordpress.Import(ctx, f, wordpress.Options{
		Store: db, Media: media, ExcerptLen: cfg.ExcerptLength, BatchSize: *batch, Progress: bar.update, MaxItemSize: limit,
	})
	bar.done()
	if report != nil {
		report.Write(stdout)
		fmt.Fprintf(stdout, "Took %s.\n", time.Since(start).Round(time.Millisecond))
	}
	return err
}

// parseSize reads a size such as 8MiB, 512KB, 20M or 1048576 (bytes).
// K, M and G count in 1,024s, with or without "iB" or "B".
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		for _, form := range []string{u.suffix + "IB", u.suffix + "B", u.suffix} {
			if rest, ok := strings.CutSuffix(t, form); ok {
				t, mult = strings.TrimSpace(rest), u.mult
				break
			}
		}
		if mult != 1 {
			break
		}
	}
	if mult == 1 {
		t = strings.TrimSpace(strings.TrimSuffix(t, "B"))
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("want a size such as 8MiB, 512KiB or 0, got %q", s)
	}
	return n * mult, nil
}

// progressBar draws one updating line on a terminal and a plain line
// every few seconds elsewhere (logs, CI).
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	cols  int              // the terminal's width; the line fits in it
	now   func() time.Time // the clock, a fake one in tests
	size  int64
	start time.Time
	last  time.Time
	items int
	off   int64
}

func newProgressBar(w io.Writer, size int64) *progressBar {
	tty, cols := false, 0
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty, cols = true, terminalWidth(f)
		}
	}
	return &progressBar{w: w, tty: tty, cols: cols, now: time.Now, size: size, start: time.Now()}
}

func (p *progressBar) update(pr wordpress.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.items, p.off = pr.Items, pr.Offset
	every := 5 * time.Second
	if p.tty {
		every = 200 * time.Millisecond
	}
	now := p.now()
	if now.Sub(p.last) < every {
		return
	}
	p.last = now
	p.draw(now)
}

// status is the line's words: how far, how many, how fast, how long yet.
func (p *progressBar) status(now time.Time) (frac float64, words string) {
	el := now.Sub(p.start)
	rate := float64(p.items) / max(el.Seconds(), 0.001)
	if p.size > 0 {
		frac = min(float64(p.off)/float64(p.size), 1)
	}
	left := "?"
	switch {
	case frac >= 1:
		left = "0s"
	case frac > 0.01:
		left = (time.Duration(float64(el)/frac) - el).Round(time.Second).String()
	}
	return frac, fmt.Sprintf("%3.0f%%  %d items  %.0f/s  %s left", frac*100, p.items, rate, left)
}

func (p *progressBar) draw(now time.Time) {
	frac, words := p.status(now)
	if !p.tty {
		fmt.Fprintln(p.w, words)
		return
	}
	cols := p.cols
	if cols <= 0 {
		cols = 80
	}
	// The line stays one column short of the width, so the terminal never
	// wraps it; the bar takes what the words leave, within reason.
	line := words
	if width := min(cols-1-len(words)-3, 50); width >= 10 {
		n := int(frac * float64(width))
		line = "[" + strings.Repeat("#", n) + strings.Repeat(" ", width-n) + "] " + words
	}
	if len(line) > cols-1 {
		line = line[:max(cols-1, 0)]
	}
	// Spaces to the edge wipe a longer line drawn before.
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", max(cols-1-len(line), 0)))
}

func (p *progressBar) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.items == 0 {
		return
	}
	p.off = p.size
	p.draw(p.now())
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
