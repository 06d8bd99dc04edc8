#!/usr/bin/env bash
# Same-run comparison of the uncached front page (and an article page) of
# two builds, alternating, so both see the same machine load.
#   bench/front.sh BASE_SRC NEW_SRC [ARTICLES]
# BASE_SRC and NEW_SRC are source trees (git archive COMMIT | tar -x -C DIR);
# the demo store (ARTICLES, default 1200) is made by the base build and
# copied for each, so both serve the same newsroom.
set -euo pipefail
BASE_SRC=$(realpath "$1"); NEW_SRC=$(realpath "$2"); N=${3:-1200}
C=16; D=10; PORT=18191
W=${DASTAN_COMPARE_DIR:-/tmp/dastan-front}; rm -rf $W; mkdir -p $W
(cd "$BASE_SRC" && go build -o $W/dastan-base ./cmd/dastan)
(cd "$NEW_SRC" && go build -o $W/dastan-new ./cmd/dastan)
DASTAN_DATA_DIR=$W/store $W/dastan-base demo -articles "$N" >/dev/null
cp -r $W/store $W/store-base; cp -r $W/store $W/store-new
ARTICLE=$(sqlite3 "$W/store/dastan.db" "SELECT slug FROM articles WHERE status='published' ORDER BY published_at DESC LIMIT 1 OFFSET 50")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); $N articles"
run() { # label url build
  local out; out=$(wrk -t2 -c$C -d${D}s --latency "$2")
  printf "| %-5s | %-8s | %8s | %8s | %8s |\n" "$3" "$1" "$(echo "$out" | awk '/Requests\/sec/{print $2}')" \
    "$(echo "$out" | awk '$1=="50%"{print $2}')" "$(echo "$out" | awk '$1=="99%"{print $2}')"
}
pages() { # label bin store
  DASTAN_DATA_DIR="$3" DASTAN_ADDR=127.0.0.1:$PORT DASTAN_PAGE_CACHE=false DASTAN_RATES_OFFLINE=true \
  DASTAN_LOG_LEVEL=warn "$2" serve >$W/$1.log 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.05; done
  sleep 2
  wrk -t2 -c$C -d2s "http://127.0.0.1:$PORT/" >/dev/null
  run home "http://127.0.0.1:$PORT/" $1
  run article "http://127.0.0.1:$PORT/$ARTICLE/" $1
  echo "| $1 | home bytes | $(curl -s http://127.0.0.1:$PORT/ | wc -c) | | |"
  kill $pid; wait $pid 2>/dev/null || true
}
echo "| build | page | req/s | p50 | p99 |"
echo "|---|---|---:|---:|---:|"
for round in 1 2; do
  pages base $W/dastan-base $W/store-base
  pages new $W/dastan-new $W/store-new
done
