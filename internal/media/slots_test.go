package media

import (
	"context"
	"testing"
	"time"
)

// At most Decoders uploads decode at once; the others wait, and give up
// when their request does.
func TestDecodeSlotsBoundConcurrentUploads(t *testing.T) {
	s := &Service{Decoders: 1}
	release, err := s.decodeSlot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.decodeSlot(ctx); err == nil {
		t.Fatal("a second decode started while the only slot was taken")
	}
	release()
	again, err := s.decodeSlot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	again()
}
