package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"dastan/internal/config"
	mediapkg "dastan/internal/media"
)

const mediaUsage = `usage: dastan media move --to s3|disk [--workers 4]`

// mediaSettings are the settings naming the media storage, which the
// media commands read as flags too.
var mediaSettings = []string{"media-s3-bucket", "media-s3-prefix", "media-s3-endpoint", "media-s3-region",
	"media-s3-access-key", "media-s3-secret-key"}

// mediaCmd works on the media library's files: dastan media move.
func mediaCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, mediaUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "move" {
		return errors.New(mediaUsage)
	}
	return mediaMoveCmd(ctx, args[1:], stdout, stderr)
}

// mediaMoveCmd copies the library's files from the data directory into
// the configured bucket (--to s3) or back (--to disk), checking each
// copy; run again, it finishes what an interrupted run left and copies
// nothing twice. Neither side loses a file.
func mediaMoveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("media move", flag.ContinueOnError)
	to := fs.String("to", "", "where the files go: s3 (the bucket DASTAN_MEDIA_S3_BUCKET names) or disk (the data directory's media folder)")
	workers := fs.Int("workers", 4, "files copied at once")
	cfg, db, _, err := setup(ctx, fs, args, append(append([]string{}, config.Store...), mediaSettings...), stdout, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	disk := mediapkg.LocalFor(cfg)
	var bucket *mediapkg.S3Storage
	if cfg.Media.Bucket != "" {
		if bucket, err = mediapkg.S3For(cfg); err != nil {
			return err
		}
	}
	var from, into mediapkg.Inventory
	switch *to {
	case "s3", "disk":
		if bucket == nil {
			return errors.New("media move: set DASTAN_MEDIA_S3_BUCKET (and the endpoint and keys) to the bucket to move to or from")
		}
		from, into = disk, mediapkg.Inventory(bucket)
		if *to == "disk" {
			from, into = bucket, disk
		}
	default:
		return errors.New(mediaUsage)
	}
	fmt.Fprintf(stdout, "Copying the media library from %s to %s.\n", from, into)
	start := time.Now()
	var done, failed atomic.Int64
	last := time.Now()
	report, err := mediapkg.Move(ctx, from, into, db, mediapkg.MoveOptions{Workers: *workers, Progress: func(key string, err error) {
		n := done.Add(1)
		if err != nil {
			failed.Add(1)
		}
		if n%500 == 0 && time.Since(last) >= time.Second {
			last = time.Now()
			fmt.Fprintf(stdout, "%d files (%d failed)\n", n, failed.Load())
		}
	}})
	writeMoveReport(stdout, report, time.Since(start))
	if err != nil {
		return err
	}
	if *to == "s3" {
		fmt.Fprintln(stdout, "Every instance serves from the bucket once it runs with these DASTAN_MEDIA_S3_* settings. The files on disk stay until you remove them.")
	} else {
		fmt.Fprintln(stdout, "Unset DASTAN_MEDIA_S3_BUCKET and restart to serve from disk. The bucket's files stay until you remove them.")
	}
	return nil
}

// writeMoveReport prints the counts, then every failure and every file
// the library names that was in neither place.
func writeMoveReport(w io.Writer, r mediapkg.MoveReport, took time.Duration) {
	fmt.Fprintf(w, "%d files: %d copied and checked (%s), %d already there. Took %s.\n",
		r.Files, r.Copied, humanSize(r.Bytes), r.Present, took.Round(time.Millisecond))
	if len(r.Failed) > 0 {
		fmt.Fprintf(w, "%d files could not be copied:\n", len(r.Failed))
		for _, f := range r.Failed {
			fmt.Fprintln(w, "  "+f)
		}
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(w, "%d files the library names were not in the source (missing before the move):\n", len(r.Missing))
		for _, k := range r.Missing {
			fmt.Fprintln(w, "  "+k)
		}
	}
}
