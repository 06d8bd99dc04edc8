#!/usr/bin/env bash
# How the cost of pages grows with the archive: one column of the growth
# table (issue 17) for one binary and one store, page cache off.
#   bench/growth.sh BIN DATA_DIR [connections] [seconds]
# The store is SQLite in DATA_DIR, or the PostgreSQL database that
# DASTAN_DATABASE_URL names (DATA_DIR then holds only media). With
# PostgreSQL, PG_PID (the postmaster's process id, first line of
# postmaster.pid) adds the database server's CPU to each request's: give
# the bench a cluster of its own, or other work is charged to it.
# Prints, as table rows: time to ready, req/s (p99) of the front page, an
# article, /category/news/kazakhstan/page/2/, that listing's last and middle
# pages and two searches, the single-request time of /sitemap.xml and of the first
# article sitemap, /api/v1/sections, and resident memory after the runs.
# Run it for the base and the new binary on copies of the same store
# (bench/growth-table.sh does), so both face the same machine and hour.
# SEARCHES (default "pipeline kazakhstan+oil+exports") are the two
# searches, as in the address (the WordPress archive's table uses
# "energy+pipeline kazakhstan+oil+exports", bench/wpgrowth.sh).
set -euo pipefail
BIN=$1; DATA=$2; C=${3:-32}; D=${4:-8}
PORT=${PORT:-18280}
read -r S1 S2 <<<"${SEARCHES:-pipeline kazakhstan+oil+exports}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
NOW=$(date +%s)
if [ -n "${DASTAN_DATABASE_URL:-}" ]; then
  q() { psql -qAtX -d "$DASTAN_DATABASE_URL" -c "$1"; }
else
  q() { sqlite3 "$DATA/dastan.db" "$1"; }
fi
ARTICLE=$(q "SELECT slug FROM articles WHERE status='published' ORDER BY published_at DESC LIMIT 1 OFFSET 500")
KZ=$(q "SELECT COUNT(*) FROM articles a JOIN sections s ON s.id = a.section_id
  WHERE s.path = 'news/kazakhstan' AND a.status IN ('published','scheduled') AND a.published_at <= $NOW")
LAST=$(( (KZ + 9) / 10 ))
URL=http://127.0.0.1:$PORT
start=$(date +%s.%N)
DASTAN_DATA_DIR="$DATA" DASTAN_ADDR=127.0.0.1:$PORT DASTAN_PAGE_CACHE=false DASTAN_RATES_OFFLINE=true \
  DASTAN_LOG_LEVEL=warn DASTAN_SEARCH_PER_MINUTE=0 "$BIN" serve >/tmp/dastan-growth.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT # the store is free again when it ends
until curl -sf -o /dev/null $URL/healthz; do sleep 0.01; done
ready=$(echo "$(date +%s.%N) - $start" | bc)
# Single requests first, before anything warms SQLite's caches for them.
one() { curl -s -o /dev/null -w '%{time_total}' "$1"; }
first_search=$(one "$URL/?s=$S1")
# The listing's last page: editions list one language each, so the last
# page may come before the one all languages would fill; find the last
# page that answers 200.
# The count above is of the section's own articles; the listing holds its
# subsections' and second categories' too (a quarter of a WordPress
# archive's posts are in two), so it may go further: look past it first.
status() { curl -s -o /dev/null -w '%{http_code}' "$URL/category/news/kazakhstan/page/$1/"; }
lo=1; hi=$LAST
while [ "$(status "$hi")" = 200 ]; do lo=$hi; hi=$(( hi * 2 )); done
while [ "$lo" -lt "$hi" ]; do
  mid=$(( (lo + hi + 1) / 2 ))
  if [ "$(status $mid)" = 200 ]; then lo=$mid; else hi=$(( mid - 1 )); fi
done
LAST=$lo
sleep 3 # start-up work (speller, rates board) settles
wrk -t2 -c"$C" -d2s "$URL/$ARTICLE/" >/dev/null
# The server's CPU time (user + system, in clock ticks) so far: its
# cost per request holds even when other jobs crowd the machine, which
# req/s and latency do not.
# With PostgreSQL, add the postmaster's (its reaped children's included)
# and its live children's: the backends serving this server's pools.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pgcpu() {
  [ -n "${PG_PID:-}" ] || { echo 0; return; }
  local t c
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PG_PID/stat")
  for c in $(cat /proc/"$PG_PID"/task/*/children); do t=$((t + $(ticks "$c"))); done
  echo "$t"
}
cpu() { echo $(( $(ticks $pid) + $(pgcpu) )); }
TICK=$(getconf CLK_TCK)
# Only pages answered (2xx) count: under load a request that outlives the
# store's time limit is answered with an error page, and wrk gives up on one
# after 2 s; their CPU is charged to the answers, and both are shown.
run() { # name url
  local before out after n bad late
  before=$(cpu)
  out=$(wrk -t2 -c"$C" -d"${D}s" --latency "$2")
  after=$(cpu)
  n=$(echo "$out" | awk '/requests in/{print $1}')
  bad=$(echo "$out" | awk '/Non-2xx/{print $5}'); bad=${bad:-0}
  late=$(echo "$out" | awk '/Socket errors/{print $NF}'); late=${late:-0}
  printf "| %-40s | %10s | %9s | %8s | %s / %s |\n" "$1" "$(echo "scale=1; ($n - $bad) / $D" | bc)" "$(echo "$out" | awk '$1=="99%"{print $2}')" \
    "$(echo "scale=2; ($after - $before) * 1000 / $TICK / ($n - $bad + 0.0001)" | bc)" "$bad" "$late"
}
store=$(basename "$DATA"); [ -z "${DASTAN_DATABASE_URL:-}" ] || store="PostgreSQL ${DASTAN_DATABASE_URL##*/}"
echo "| page ($(basename "$BIN"), ${store%%\?*}, load $(cut -d' ' -f1 /proc/loadavg)) | answers/s | p99 | CPU ms/answer${PG_PID:+ (dastan + PostgreSQL)} | errors / timeouts |"
echo "|---|---:|---:|---:|---:|"
run "front page" "$URL/"
run "article" "$URL/$ARTICLE/"
run "/category/news/kazakhstan/page/2/" "$URL/category/news/kazakhstan/page/2/"
run "that listing's last page ($LAST)" "$URL/category/news/kazakhstan/page/$LAST/"
MID=$(( (LAST + 1) / 2 )) # the farthest from both ends: what a deep page costs
run "that listing's middle page ($MID)" "$URL/category/news/kazakhstan/page/$MID/"
run "/?s=$S1" "$URL/?s=$S1"
run "/?s=$S2" "$URL/?s=$S2"
# Single requests: wall time, and the server's CPU time for it.
single() { # name url
  local before wall after
  before=$(cpu); wall=$(one "$2"); after=$(cpu)
  echo "| $1 (single request) | ${wall}s | | $(echo "($after - $before) * 1000 / $TICK" | bc) |"
}
echo "| first /?s=$S1 after start (single request) | ${first_search}s | | |"
single /sitemap.xml "$URL/sitemap.xml"
SM=$(curl -s "$URL/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed -e 's/<[^>]*>//g' -e 's|^https\?://[^/]*||' | grep -m1 articles || true)
[ -n "$SM" ] && single "$SM" "$URL$SM"
single /api/v1/sections "$URL/api/v1/sections"
echo "| time to ready | ${ready}s | | |"
echo "| resident memory after the runs | $(awk '/VmRSS/{print int($2/1024) " MB"}' /proc/$pid/status) | | |"
if [ -n "${DASTAN_DATABASE_URL:-}" ]; then
  echo "| store size | $(q "SELECT pg_size_pretty(pg_database_size(current_database())) || ', ' || pg_database_size(current_database()) / GREATEST(COUNT(*), 1) || ' bytes an article' FROM articles") | | |"
else
  echo "| store size | $(du -sh "$DATA" | cut -f1), $(( $(du -sb "$DATA" | cut -f1) / $(q "SELECT MAX(COUNT(*), 1) FROM articles") )) bytes an article | | |"
fi
