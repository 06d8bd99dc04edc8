#!/usr/bin/env bash
# ab.sh BASE NEW STORE [ROUNDS] [SECONDS]: the issue's two searches under
# wrk at c=32 and c=8, page cache off, on STORE with binary BASE, then
# NEW, alternated ROUNDS times (default 2, 15 s a run). One table row a
# run: req/s, p50, p99, the server's CPU ms a request (utime+stime from
# /proc over wrk's count: the figure to trust on a shared machine) and
# the load average.
#
#	bench/search/ab.sh ./dastan-base ./dastan-new /tmp/store-copy
set -euo pipefail
BASE=$1 NEW=$2 STORE=$3 ROUNDS=${4:-2} DUR=${5:-15}
PORT=${PORT:-18391}
echo "| binary | search | c | req/s | p50 | p99 | CPU ms a search | load |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for r in $(seq "$ROUNDS"); do
	for b in base new; do
		bin=$BASE
		[ "$b" = new ] && bin=$NEW
		DASTAN_DATA_DIR=$STORE DASTAN_ADDR=127.0.0.1:$PORT DASTAN_PAGE_CACHE=false DASTAN_RATES_OFFLINE=true \
			DASTAN_LOG_LEVEL=warn DASTAN_SEARCH_PER_MINUTE=0 "$bin" serve >/dev/null 2>&1 &
		pid=$!
		until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.1; done
		sleep 1
		for q in energy+pipeline kazakhstan+oil+exports; do # warm the caches
			wrk -t2 -c8 -d2s "http://127.0.0.1:$PORT/?s=$q" >/dev/null
		done
		for c in 32 8; do
			for q in energy+pipeline kazakhstan+oil+exports; do
				t0=$(awk '{print $14+$15}' /proc/$pid/stat)
				out=$(wrk -t2 -c"$c" -d"${DUR}"s --latency "http://127.0.0.1:$PORT/?s=$q")
				t1=$(awk '{print $14+$15}' /proc/$pid/stat)
				reqs=$(echo "$out" | awk '/requests in/{print $1}')
				rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
				p50=$(echo "$out" | awk '$1=="50%"{print $2}')
				p99=$(echo "$out" | awk '$1=="99%"{print $2}')
				echo "| $b r$r | $q | $c | $rps | $p50 | $p99 | $(echo "scale=2; ($t1-$t0)*10/$reqs" | bc) | $(cut -d' ' -f1 /proc/loadavg) |"
			done
		done
		kill $pid
		wait $pid 2>/dev/null || true
	done
done
