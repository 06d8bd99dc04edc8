#!/usr/bin/env bash
# The first searches after a start on PostgreSQL: each binary in turn is
# started on the same store, and as soon as it answers /healthz, 32
# searches arrive at once (curl, page cache off). Three rounds, alternating.
#   PG=1 BENCH_DIR=… bench/first-searches.sh BIN_A BIN_B SIZE [search]
# Uses the store bench/growth-table.sh made: database dSIZE-new in the
# cluster under $BENCH_DIR/pg, started for the run and stopped after.
set -euo pipefail
A=$1; B=$2; N=$3; S=${4:-kazakhstan+oil+exports}
DIR=${BENCH_DIR:-/tmp/dastan-growth}
. "$(dirname "$0")/growth-pg.sh"
growth_pg_start
out=$(mktemp)
one() { # BIN
  DASTAN_DATABASE_URL="$(url "d$N-new")" DASTAN_DATA_DIR="$DIR/d$N-new" \
    DASTAN_ADDR=127.0.0.1:18299 DASTAN_PAGE_CACHE=false DASTAN_SEARCH_PER_MINUTE=0 DASTAN_RATES_OFFLINE=true \
    DASTAN_LOG_LEVEL=warn "$1" serve >/dev/null 2>&1 &
  local pid=$! curls=()
  until curl -sf -o /dev/null http://127.0.0.1:18299/healthz; do sleep 0.1; done
  for i in $(seq 32); do
    curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:18299/?s=$S&r=$i" >> "$out" &
    curls+=($!)
  done
  wait "${curls[@]}"
  echo "$(basename "$1"): $(sort -n "$out" | awk '{a[NR]=$1; s+=$1} END{printf "%d answers, mean %.2f s, median %.2f s, slowest %.2f s", NR, s/NR, a[int((NR+1)/2)], a[NR]}')"
  : > "$out"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo "machine: $(nproc) cores; date: $(date -u +%Y-%m-%dT%H:%MZ); $N articles; /?s=$S"
for r in 1 2 3; do one "$A"; one "$B"; done
rm -f "$out"
