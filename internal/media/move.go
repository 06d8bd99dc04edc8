package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"sync"

	"dastan/internal/store"
)

// MoveReport is what Move did.
type MoveReport struct {
	Files   int   // files in the source
	Copied  int   // written to the destination and checked
	Present int   // already there, the same bytes (a run before did them)
	Bytes   int64 // bytes copied
	// Failed lists the files that could not be copied, with why; the
	// destination holds none of them (or an older, whole copy).
	Failed []string
	// Missing lists the library's renditions, by key, that the source did
	// not hold: lost before the move, and not in the destination either.
	Missing []string
}

// MoveOptions tune Move.
type MoveOptions struct {
	// Workers copy this many files at once (default 4): a bucket answers
	// each request after a round trip, and several hide the wait.
	Workers int
	// Progress, when set, is called after each file, from any worker.
	Progress func(key string, err error)
}

// Move copies every file of from into to, checking each copy's size and
// SHA-256 against the original. A file already in to with the same bytes
// is left as it is, so a move cut short is finished by running it again,
// and running it twice does nothing the second time. Nothing is deleted
// from either side. When db is given, the library's records are checked
// against what the source held. The error is non-nil when any file failed;
// the report says which.
func Move(ctx context.Context, from, to Inventory, db *store.DB, o MoveOptions) (MoveReport, error) {
	var r MoveReport
	for _, s := range []Inventory{from, to} {
		if c, ok := s.(interface{ Check(context.Context) error }); ok {
			if err := c.Check(ctx); err != nil {
				return r, err
			}
		}
	}
	workers := o.Workers
	if workers <= 0 {
		workers = 4
	}
	keys := make(chan string)
	var mu sync.Mutex
	held := map[string]bool{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for key := range keys {
				copied, n, err := moveFile(ctx, from, to, key)
				mu.Lock()
				held[key] = true
				switch {
				case err != nil:
					r.Failed = append(r.Failed, fmt.Sprintf("%s: %v", key, err))
				case copied:
					r.Copied++
					r.Bytes += n
				default:
					r.Present++
				}
				mu.Unlock()
				if o.Progress != nil {
					o.Progress(key, err)
				}
			}
		})
	}
	walkErr := from.Walk(ctx, func(key string) error {
		select {
		case keys <- key:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(keys)
	wg.Wait()
	r.Files = len(held)
	sort.Strings(r.Failed)
	if walkErr != nil {
		return r, fmt.Errorf("media: list the files to move: %w", walkErr)
	}
	if db != nil {
		missing, err := missingRenditions(ctx, db, held)
		if err != nil {
			return r, err
		}
		r.Missing = missing
	}
	if len(r.Failed) > 0 {
		return r, fmt.Errorf("media: %d of %d files could not be moved; run the move again once the cause is mended", len(r.Failed), r.Files)
	}
	return r, nil
}

// moveFile copies one file unless to holds the same bytes already, and
// checks the copy. copied says whether it wrote; n is the file's size.
func moveFile(ctx context.Context, from, to Inventory, key string) (copied bool, n int64, err error) {
	want, err := digestOf(ctx, from, key)
	if err != nil {
		return false, 0, fmt.Errorf("read the original: %w", err)
	}
	have, err := digestOf(ctx, to, key)
	if err == nil && have == want {
		return false, want.Size, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, 0, fmt.Errorf("read the copy: %w", err)
	}
	f, err := from.Open(ctx, key)
	if err != nil {
		return false, 0, fmt.Errorf("read the original: %w", err)
	}
	err = to.Put(ctx, key, f, ContentType(key))
	f.Close()
	if err != nil {
		return false, 0, err
	}
	have, err = digestOf(ctx, to, key)
	if err != nil {
		return false, 0, fmt.Errorf("check the copy: %w", err)
	}
	if have != want {
		return false, 0, fmt.Errorf("the copy (%d bytes, SHA-256 %.12s…) differs from the original (%d bytes, %.12s…)",
			have.Size, have.SHA256, want.Size, want.SHA256)
	}
	return true, want.Size, nil
}

// sum is a file's size and SHA-256.
type sum struct {
	Size   int64
	SHA256 string
}

// digestOf returns the size and SHA-256 of the file under key: from the
// storage's description where it keeps the hash (a bucket's metadata,
// written by Put), otherwise by reading the file.
func digestOf(ctx context.Context, s Inventory, key string) (sum, error) {
	fi, err := s.Stat(ctx, key)
	if err != nil {
		return sum{}, err
	}
	if fi.SHA256 != "" {
		return sum{fi.Size, fi.SHA256}, nil
	}
	f, err := s.Open(ctx, key)
	if err != nil {
		return sum{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return sum{}, err
	}
	return sum{n, hex.EncodeToString(h.Sum(nil))}, nil
}

// missingRenditions lists the renditions the library's records name that
// are not among held.
func missingRenditions(ctx context.Context, db *store.DB, held map[string]bool) ([]string, error) {
	var missing []string
	const page = 500
	for offset := 0; ; offset += page {
		items, _, err := db.ListMedia(ctx, "", page, offset)
		if err != nil {
			return nil, err
		}
		for _, m := range items {
			for _, w := range m.Widths() {
				if k := m.Renditions[w]; !held[k] {
					missing = append(missing, k)
				}
			}
		}
		if len(items) < page {
			break
		}
	}
	sort.Strings(missing)
	return missing, nil
}
