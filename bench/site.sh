#!/usr/bin/env bash
# Load test of the public site at 100,000 articles on SQLite, with wrk.
# Measures home, article, section page 2 and tag page with the page cache
# on and off, beside a static net/http server serving the same bytes from
# memory (the ceiling), plus resident memory and time to ready.
#   bench/site.sh [articles] [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}; C=${2:-32}; D=${3:-10}
DATA=${DASTAN_BENCH_DATA:-/tmp/dastan-bench-$N}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
go build -o /tmp/dastan-bench ./cmd/dastan
go build -o /tmp/dastan-ceiling ./bench/ceiling
if [ ! -f "$DATA/dastan.db" ]; then
  /tmp/dastan-bench demo -articles "$N" -data-dir "$DATA" -rates-offline
fi
PORT=18080
ARTICLE=$(sqlite3 "$DATA/dastan.db" "SELECT slug FROM articles WHERE status='published' ORDER BY published_at DESC LIMIT 1 OFFSET 500" 2>/dev/null || true)
TAG=$(sqlite3 "$DATA/dastan.db" "SELECT t.slug FROM tags t JOIN article_tags a ON a.tag_id=t.id GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1" 2>/dev/null || true)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  articles: $N  connections: $C  duration: ${D}s"
run() { # name url
  local out; out=$(wrk -t2 -c"$C" -d"${D}s" --latency "$2")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  printf "| %-28s | %10s | %8s | %8s |\n" "$1" "$rps" "$p50" "$p99"
}
for cache in true false; do
  start=$(date +%s.%N)
  /tmp/dastan-bench serve -data-dir "$DATA" -addr 127.0.0.1:$PORT -page-cache=$cache -rates-offline -log-level warn >/tmp/dastan-bench.log 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.01; done
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  # Steady state: let start-up work (the search speller, the rates board)
  # finish, and warm SQLite's page cache, before measuring.
  sleep 3
  wrk -t2 -c"$C" -d2s "http://127.0.0.1:$PORT/$ARTICLE/" >/dev/null
  echo
  echo "page cache: $cache   ready in ${ready}s"
  echo "| page                         |      req/s |      p50 |      p99 |"
  echo "|------------------------------|-----------:|---------:|---------:|"
  run "home" "http://127.0.0.1:$PORT/"
  run "article" "http://127.0.0.1:$PORT/$ARTICLE/"
  run "section page 2" "http://127.0.0.1:$PORT/category/news/kazakhstan/page/2/"
  run "tag page" "http://127.0.0.1:$PORT/tag/$TAG/"
  echo "resident memory after load: $(awk '/VmRSS/{print $2/1024 " MB"}' /proc/$pid/status), peak $(awk '/VmHWM/{print $2/1024 " MB"}' /proc/$pid/status)"
  if [ "$cache" = true ]; then
    curl -s "http://127.0.0.1:$PORT/$ARTICLE/" > /tmp/dastan-article.html
  fi
  kill $pid; wait $pid 2>/dev/null || true
done
/tmp/dastan-ceiling -addr 127.0.0.1:18090 -file /tmp/dastan-article.html & cpid=$!
sleep 0.5
echo
echo "ceiling: net/http serving the article page's bytes from memory"
echo "| page                         |      req/s |      p50 |      p99 |"
echo "|------------------------------|-----------:|---------:|---------:|"
run "static article bytes" "http://127.0.0.1:18090/"
kill $cpid; wait $cpid 2>/dev/null || true
