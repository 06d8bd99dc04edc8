#!/usr/bin/env bash
# The WordPress archive table of issue 17, pages part: the pages readers
# ask for most, served from a store that `dastan import wordpress` made of
# an export written by WordPress, with the page cache off, at c=8 and
# c=32, beside a net/http server sending the article's bytes from memory
# (the machine's ceiling, measured in the same run).
#   bench/wparchive.sh BIN EXPORT.xml [DATA_DIR] [seconds]
# The store is imported into DATA_DIR (default /tmp/dastan-wparchive) when
# it holds none yet. Exports: ../shared/fixtures/wordpress/
# wordpress-news-10000.xml.xz (xz -dk it), or 100,000 posts of its shape:
#   go run ./bench/wxrgen -posts 100000 -news > /tmp/news100k.xml
# CPU ms/request is the server's own CPU time (/proc) over the requests
# wrk counted: it holds when other jobs crowd the machine; req/s does not.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "$1"); EXPORT=$2; DATA=${3:-/tmp/dastan-wparchive}; D=${4:-15}
PORT=${PORT:-18380}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 1; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$DATA/dastan.db" ]; then
  mkdir -p "$DATA"
  POSTS=$(grep -c '<wp:post_type><!\[CDATA\[post\]\]></wp:post_type>' "$EXPORT")
  /usr/bin/time -f "%e %P %U %S %M" -o "$DATA.time" env DASTAN_DATA_DIR="$DATA" "$BIN" import wordpress "$EXPORT" >/dev/null 2>&1
  read -r secs cpu user sys kb < "$DATA.time"
  printf "import: %d posts in %ss (%.0f posts/s), CPU %s, %.1f CPU s, peak RSS %d MB\n" "$POSTS" "$secs" \
    "$(echo "$POSTS / $secs" | bc -l)" "$cpu" "$(echo "$user + $sys" | bc -l)" $((kb / 1024))
  rm -f "$DATA.time"
fi
DB="$DATA/dastan.db"
echo "store: $(sqlite3 "$DB" "SELECT COUNT(*) FROM articles WHERE status='published'") published articles, $(du -sh "$DATA" | cut -f1)"
# A story half a thousand back, as readers arriving from search or
# social media read older stories as often as the newest.
ARTICLE=$(sqlite3 "$DB" "SELECT slug FROM articles WHERE status='published' AND kind='article' ORDER BY published_at DESC LIMIT 1 OFFSET 500")
URL=http://127.0.0.1:$PORT
DASTAN_DATA_DIR="$DATA" DASTAN_ADDR=127.0.0.1:$PORT DASTAN_PAGE_CACHE=false DASTAN_RATES_OFFLINE=true \
  DASTAN_LOG_LEVEL=warn DASTAN_SEARCH_PER_MINUTE=0 "$BIN" serve >/tmp/dastan-wparchive.log 2>&1 &
pid=$!
cpid=
trap 'kill $pid $cpid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null $URL/healthz; do sleep 0.01; done
sleep 3 # start-up work (speller, rates board) settles
for p in "/$ARTICLE/" /category/news/kazakhstan/page/2/ / "/?s=energy+pipeline" "/?s=kazakhstan+oil+exports"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$URL$p")
  [ "$code" = 200 ] || { echo "$p answers $code" >&2; exit 1; }
  wrk -t2 -c8 -d2s "$URL$p" >/dev/null # warm SQLite's cache for it
done
cpu() { awk '{print $14 + $15}' /proc/$1/stat; }
TICK=$(getconf CLK_TCK)
run() { # name url connections [pid]
  local before out after n who=${4:-$pid}
  before=$(cpu "$who")
  out=$(wrk -t2 -c"$3" -d"${D}s" --latency "$2")
  after=$(cpu "$who")
  n=$(echo "$out" | awk '/requests in/{print $1}')
  printf "| %s | %s | %s | %s | %s |\n" "$1" "$3" "$(echo "$out" | awk '/Requests\/sec/{printf "%.0f", $2}')" \
    "$(echo "$out" | awk '$1=="99%"{print $2}')" "$(echo "scale=2; ($after - $before) * 1000 / $TICK / ($n + 0.0001)" | bc)"
}
echo "| page | c | req/s | p99 | CPU ms/request |"
echo "|---|---:|---:|---:|---:|"
for c in 8 32; do
  run "article" "$URL/$ARTICLE/" $c
  run "/category/news/kazakhstan/page/2/" "$URL/category/news/kazakhstan/page/2/" $c
  run "front page" "$URL/" $c
  run "/?s=energy+pipeline" "$URL/?s=energy+pipeline" $c
  run "/?s=kazakhstan+oil+exports" "$URL/?s=kazakhstan+oil+exports" $c
done
echo "resident memory after the runs: $(awk '/VmRSS/{print int($2/1024) " MB"}' /proc/$pid/status)"
curl -s "$URL/$ARTICLE/" >/tmp/dastan-wparchive-article.html
kill $pid; wait $pid 2>/dev/null || true
go build -o /tmp/dastan-ceiling ./bench/ceiling
/tmp/dastan-ceiling -addr 127.0.0.1:$((PORT + 1)) -file /tmp/dastan-wparchive-article.html &
cpid=$!
until curl -sf -o /dev/null http://127.0.0.1:$((PORT + 1))/; do sleep 0.01; done
for c in 8 32; do
  run "ceiling: the article's bytes from memory" "http://127.0.0.1:$((PORT + 1))/" $c $cpid
done
