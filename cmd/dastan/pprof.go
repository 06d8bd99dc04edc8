//go:build pprof

package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // the profiles, on DefaultServeMux
	"os"
	"runtime"
)

// A binary built with -tags pprof serves Go's profiles (CPU, heap, mutex,
// block) at DASTAN_PPROF_ADDR, for benchmarks; release builds have none.
func init() {
	addr := os.Getenv("DASTAN_PPROF_ADDR")
	if addr == "" {
		return
	}
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(100_000) // one blocking event in each 0.1 ms
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			slog.Error("pprof", "err", err)
		}
	}()
}
