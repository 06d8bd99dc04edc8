#!/usr/bin/env bash
# A listing's numbered pages on one store, page cache off: for each page,
# one request (on a fresh server the first deep one finds the listing's
# marks), then wrk -t2 -c8 for 8 s with the server's CPU ms a request.
#   bench/deeppage.sh BIN STORE_DIR [LISTING] PAGE...
#   bench/deeppage.sh dastan s1m /category/news/kazakhstan 2 5000 8710
set -euo pipefail
BIN=$(realpath "$1"); DATA=$2; shift 2
LISTING=/category/news/kazakhstan
if [[ "${1:-}" == /* ]]; then LISTING=$1; shift; fi
PORT=${PORT:-18390}; URL=http://127.0.0.1:$PORT
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
echo "machine: $(nproc) cores, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); load: $(cut -d' ' -f1-3 /proc/loadavg); binary: $BIN"
DASTAN_DATA_DIR="$DATA" DASTAN_ADDR=127.0.0.1:$PORT DASTAN_PAGE_CACHE=false DASTAN_RATES_OFFLINE=true \
  DASTAN_LOG_LEVEL=warn "$BIN" serve >/tmp/dastan-deeppage.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null $URL/healthz; do sleep 0.05; done
sleep 2
TICK=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
echo "| page | first request | req/s | p99 | CPU ms/request |"
echo "|---:|---:|---:|---:|---:|"
for p in "$@"; do
  u="$URL$LISTING/page/$p/"
  first=$(curl -s -o /dev/null -w '%{http_code} %{time_total}s' "$u")
  before=$(cpu); out=$(wrk -t2 -c8 -d8s --latency "$u"); after=$(cpu)
  n=$(echo "$out" | awk '/requests in/{print $1}')
  printf "| %s | %s | %s | %s | %.2f |\n" "$p" "$first" "$(echo "$out" | awk '/Requests\/sec/{printf "%.0f", $2}')" \
    "$(echo "$out" | awk '$1=="99%"{print $2}')" "$(echo "($after - $before) * 1000 / $TICK / $n" | bc -l)"
done
