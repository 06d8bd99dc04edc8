// Command tail loads one address as wrk does (c connections, each asking
// again as soon as it is answered) and prints the latency second by
// second: where a p99 comes from — a stall once a minute, the collector,
// or steady queueing — shows in which seconds hold the slow requests.
//
//	go run ./bench/tail -c 32 -d 70s http://127.0.0.1:18380/
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

// sample is one answered request: when it ended and how long it took.
type sample struct {
	end time.Duration // since the start
	lat time.Duration
}

func main() {
	conns := flag.Int("c", 32, "connections")
	dur := flag.Duration("d", 70*time.Second, "how long to load")
	slow := flag.Duration("slow", 0, "print only the seconds whose max reaches this (0: every second)")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: tail [-c N] [-d D] URL")
	}
	url := flag.Arg(0)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns, DisableCompression: true}}
	start := time.Now()
	stop := start.Add(*dur)
	var mu sync.Mutex
	var all []sample
	failed := 0
	var wg sync.WaitGroup
	for range *conns {
		wg.Go(func() {
			var mine []sample
			bad := 0
			for time.Now().Before(stop) {
				t := time.Now()
				resp, err := client.Get(url)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					bad++
					continue
				}
				e := time.Now()
				mine = append(mine, sample{end: e.Sub(start), lat: e.Sub(t)})
			}
			mu.Lock()
			all = append(all, mine...)
			failed += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Printf("start %s UTC, %d answered, %d failed\n", start.UTC().Format("15:04:05"), len(all), failed)
	bySecond := map[int][]time.Duration{}
	var lats []time.Duration
	for _, s := range all {
		sec := int(s.end / time.Second)
		bySecond[sec] = append(bySecond[sec], s.lat)
		lats = append(lats, s.lat)
	}
	fmt.Println("second (UTC)  n      p50      p99      max")
	for sec := 0; sec <= int(*dur/time.Second); sec++ {
		l := bySecond[sec]
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		if *slow > 0 && l[len(l)-1] < *slow {
			continue
		}
		fmt.Printf("%s  %5d  %7s  %7s  %7s\n", start.Add(time.Duration(sec)*time.Second).UTC().Format("15:04:05"), len(l),
			ms(at(l, 0.5)), ms(at(l, 0.99)), ms(l[len(l)-1]))
	}
	slices.Sort(lats)
	if len(lats) == 0 {
		os.Exit(1)
	}
	fmt.Printf("all: %.0f req/s, p50 %s, p90 %s, p99 %s, p99.9 %s, max %s\n", float64(len(lats))/dur.Seconds(),
		ms(at(lats, 0.5)), ms(at(lats, 0.9)), ms(at(lats, 0.99)), ms(at(lats, 0.999)), ms(lats[len(lats)-1]))
}

// at is the q-quantile of the sorted l.
func at(l []time.Duration, q float64) time.Duration {
	return l[min(len(l)-1, int(q*float64(len(l))))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/1e6) }
