#!/usr/bin/env bash
# The growth table of issue 17: the same pages on demo stores of each size,
# for a base binary and a new one, in the same run (page cache off).
#   bench/growth-table.sh BASE_BIN NEW_BIN [sizes…]    (default 10000 100000)
# Stores are made once under $BENCH_DIR (default /tmp/dastan-growth) by
# the base binary's demo (1,000,000 articles: ~14 min and 14 GB on an idle
# 2-core machine); the new binary gets a copy, migrated by a first start
# whose time is printed (it is paid once, on upgrade).
#   go build -o /tmp/dastan-base ./cmd/dastan   # on main, before the change
#   go build -o /tmp/dastan-new ./cmd/dastan
#   bench/growth-table.sh /tmp/dastan-base /tmp/dastan-new 10000 100000 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=$1; NEW=$2; shift 2
SIZES=${*:-10000 100000}
DIR=${BENCH_DIR:-/tmp/dastan-growth}; mkdir -p "$DIR"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do
  if [ ! -f "$DIR/d$n/dastan.db" ]; then
    t0=$(date +%s); "$BASE" demo -articles "$n" -data-dir "$DIR/d$n" >/dev/null
    echo "demo of $n articles made in $(( $(date +%s) - t0 ))s"
  fi
  if [ ! -f "$DIR/d$n-new/dastan.db" ]; then
    cp -r "$DIR/d$n" "$DIR/d$n-new"
    t0=$(date +%s.%N)
    DASTAN_DATA_DIR="$DIR/d$n-new" DASTAN_ADDR=127.0.0.1:18299 DASTAN_RATES_OFFLINE=true DASTAN_LOG_LEVEL=warn "$NEW" serve >/dev/null 2>&1 &
    pid=$!
    until curl -sf -o /dev/null http://127.0.0.1:18299/healthz; do sleep 0.1; done
    echo "first start of the new binary on $n articles (migrations): $(echo "$(date +%s.%N) - $t0" | bc)s"
    kill $pid; wait $pid 2>/dev/null || true
  fi
  echo; echo "## $n articles"
  bench/growth.sh "$BASE" "$DIR/d$n"
  bench/growth.sh "$NEW" "$DIR/d$n-new"
done
