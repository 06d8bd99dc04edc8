package media_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"dastan/internal/media"
	"dastan/internal/media/s3test"
)

// Move copies with several workers at once and reports each file once;
// the race detector runs this package.
func TestMoveWorkers(t *testing.T) {
	ctx := context.Background()
	disk := media.NewLocalStorage(t.TempDir())
	want := map[string]string{}
	for i := range 40 {
		key := fmt.Sprintf("%02x/%02x/%064x-320.jpg", i, i, i)
		want[key] = strings.Repeat(fmt.Sprint(i), 100+i)
		if err := disk.Put(ctx, key, strings.NewReader(want[key]), "image/jpeg"); err != nil {
			t.Fatal(err)
		}
	}
	bucket := s3test.Storage(t)
	var progress atomic.Int64
	r, err := media.Move(ctx, disk, bucket, nil, media.MoveOptions{Workers: 8, Progress: func(string, error) { progress.Add(1) }})
	if err != nil || r.Files != 40 || r.Copied != 40 || r.Present != 0 || progress.Load() != 40 {
		t.Fatalf("move: %+v %v (progress %d)", r, err, progress.Load())
	}
	for key, content := range want {
		fi, err := bucket.Stat(ctx, key)
		if err != nil || fi.Size != int64(len(content)) {
			t.Fatalf("%s in the bucket: %+v %v", key, fi, err)
		}
	}
	if r, err := media.Move(ctx, disk, bucket, nil, media.MoveOptions{Workers: 8}); err != nil || r.Present != 40 || r.Copied != 0 {
		t.Fatalf("second move: %+v %v", r, err)
	}
}
