#!/usr/bin/env bash
# Two binaries' searches side by side on PostgreSQL, interleaved: three
# 8-second runs of each (wrk -t2 -c32, page cache off), alternating, after
# a warm-up of each, so that both face the same minutes of a shared machine.
#   PG=1 BENCH_DIR=… bench/search-ab.sh BASE_BIN NEW_BIN SIZE [searches…]
# Uses the stores bench/growth-table.sh made: database dSIZE for the base
# binary and dSIZE-new (its copy, already migrated by the new binary) in
# the cluster under $BENCH_DIR/pg, started for the run and stopped after.
# Default searches: "kazakhstan+oil+exports pipeline".
set -euo pipefail
BASE=$1; NEW=$2; N=$3; shift 3
SEARCHES=${*:-kazakhstan+oil+exports pipeline}
DIR=${BENCH_DIR:-/tmp/dastan-growth}
. "$(dirname "$0")/growth-pg.sh"
growth_pg_start
pids=()
growth_pg_on_exit='kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null'
serve() { # BIN DB PORT
  DASTAN_DATABASE_URL="$(url "$2")" DASTAN_DATA_DIR="$DIR/$2" \
    DASTAN_ADDR=127.0.0.1:$3 DASTAN_PAGE_CACHE=false DASTAN_SEARCH_PER_MINUTE=0 DASTAN_RATES_OFFLINE=true \
    DASTAN_LOG_LEVEL=warn "$1" serve >/dev/null 2>&1 &
  pids+=($!)
}
serve "$BASE" "d$N" 18298
serve "$NEW" "d$N-new" 18299
until curl -sf -o /dev/null http://127.0.0.1:18298/healthz && curl -sf -o /dev/null http://127.0.0.1:18299/healthz; do sleep 0.3; done
sleep 2
echo "machine: $(nproc) cores; date: $(date -u +%Y-%m-%dT%H:%MZ); $N articles; base $(basename "$BASE"), new $(basename "$NEW")"
for s in $SEARCHES; do
  for p in 18298 18299; do wrk -t2 -c32 -d3s "http://127.0.0.1:$p/?s=$s" >/dev/null; done
  for r in 1 2 3; do
    for p in 18298 18299; do
      echo "/?s=$s $([ $p = 18298 ] && echo base || echo new): $(wrk -t2 -c32 -d8s --latency "http://127.0.0.1:$p/?s=$s" |
        awk '/Requests\/sec/{r=$2} / 99%/{l=$2} END{print r, "answers/s, p99", l}')"
    done
  done
done
