package store_test

import (
	"context"
	"testing"
	"time"

	"dastan/internal/news"
	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A write made while an instance's LISTEN connection was down is never
// notified to it: when the connection comes back, the instance finds it
// in the generation and empties its caches then, not at the next poll
// (which may be long in coming, or never, with polling turned down).
func TestWriteWhileNotListeningHeardOnReconnect(t *testing.T) {
	url := storetest.NewPostgresDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	writer, err := store.Open(ctx, "", url)
	must(t, err)
	defer writer.Close()
	// The reader's notifications are off, as while its connection is
	// down, and its poll is too far off to help.
	reader, err := store.Open(ctx, "", url, store.WithoutListen())
	must(t, err)
	defer reader.Close()
	heard := make(chan store.Change, 10)
	reader.OnChange(func(ch store.Change) { heard <- ch })
	watching := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		reader.WatchChanges(ctx, time.Hour, func() { close(watching) })
	}()
	defer func() { cancel(); <-done }()
	<-watching

	_, kz, _, a1, _ := seed(t, writer)
	must(t, writer.SaveArticle(ctx, article("Published while the reader was deaf", kz.ID, time.Now().Add(-time.Hour), []news.Author{a1}), 0, ""))
	select {
	case ch := <-heard:
		t.Fatalf("heard %+v with nothing listening: the test proves nothing", ch)
	default:
	}
	must(t, reader.ListenAgainForTest(ctx))
	select {
	case ch := <-heard:
		if !ch.All {
			t.Errorf("heard %+v on reconnecting, want every cache emptied", ch)
		}
	default:
		t.Error("the write made while the connection was down went unheard when it came back")
	}
}
