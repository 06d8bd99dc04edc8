#!/usr/bin/env bash
# Same-run comparison of two builds of dastan, alternating, so both see the
# same machine load: pages with the page cache off (wrk), search latency
# (bench/search, each build's own) and the import of a WordPress export.
#   bench/compare.sh BASE_SRC NEW_SRC STORE_DIR EXPORT.xml
# BASE_SRC and NEW_SRC are checkouts (git worktree add DIR COMMIT);
# STORE_DIR is a SQLite store made by `dastan demo -articles N` with the
# base build; each build gets its own copy (the newer may migrate it).
# EXPORT.xml: xz -dc ../shared/fixtures/wordpress/wordpress-news-10000.xml.xz
set -euo pipefail
BASE_SRC=$(realpath "$1"); NEW_SRC=$(realpath "$2"); STORE=$3; EXPORT=$4
C=32; D=10; PORT=18181
W=${DASTAN_COMPARE_DIR:-/tmp/dastan-compare}; rm -rf $W; mkdir -p $W
(cd "$BASE_SRC" && go build -o $W/dastan-base ./cmd/dastan && go build -o $W/benchsearch-base ./bench/search)
(cd "$NEW_SRC" && go build -o $W/dastan-new ./cmd/dastan && go build -o $W/benchsearch-new ./bench/search)
BASE=$W/dastan-base; NEW=$W/dastan-new
cp -r "$STORE" $W/store-base
cp -r "$STORE" $W/store-new
ARTICLE=$(sqlite3 "$STORE/dastan.db" "SELECT slug FROM articles WHERE status='published' ORDER BY published_at DESC LIMIT 1 OFFSET 500")
TAG=$(sqlite3 "$STORE/dastan.db" "SELECT t.slug FROM tags t JOIN article_tags a ON a.tag_id=t.id GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ)"
run() { # label url
  local out; out=$(wrk -t2 -c$C -d${D}s --latency "$2")
  printf "| %-10s | %-16s | %8s | %8s | %8s |\n" "$3" "$1" "$(echo "$out" | awk '/Requests\/sec/{print $2}')" \
    "$(echo "$out" | awk '$1=="50%"{print $2}')" "$(echo "$out" | awk '$1=="99%"{print $2}')"
}
pages() { # label bin store
  DASTAN_DATA_DIR="$3" DASTAN_ADDR=127.0.0.1:$PORT DASTAN_PAGE_CACHE=false DASTAN_RATES_OFFLINE=true \
  DASTAN_LOG_LEVEL=warn DASTAN_SEARCH_PER_MINUTE=0 "$2" serve >$W/$1.log 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.05; done
  sleep 3
  wrk -t2 -c$C -d2s "http://127.0.0.1:$PORT/$ARTICLE/" >/dev/null
  run home "http://127.0.0.1:$PORT/" $1
  run article "http://127.0.0.1:$PORT/$ARTICLE/" $1
  run "section p2" "http://127.0.0.1:$PORT/category/news/kazakhstan/page/2/" $1
  run tag "http://127.0.0.1:$PORT/tag/$TAG/" $1
  run "search" "http://127.0.0.1:$PORT/?s=pipeline" $1
  echo "| $1 RSS after load: $(awk '/VmRSS/{print $2/1024 " MB"}' /proc/$pid/status)"
  kill $pid; wait $pid 2>/dev/null || true
}
echo "| build | page | req/s | p50 | p99 |"
echo "|---|---|---:|---:|---:|"
for round in 1 2; do
  pages base "$BASE" $W/store-base
  pages new "$NEW" $W/store-new
done
echo
echo "search latency (bench/search, 10 rounds)"
for b in base new; do echo "== $b"; $W/benchsearch-$b -data-dir $W/store-$b -rounds 10 | tail -3; done
echo
echo "import of $EXPORT"
for round in 1 2; do
  for b in base new; do
    bin=$BASE; [ $b = new ] && bin=$NEW
    rm -rf $W/imp-$b
    /usr/bin/time -f "$b: wall %e s, user %U s, sys %S s, peak RSS %M KB" env DASTAN_DATA_DIR=$W/imp-$b "$bin" import wordpress "$EXPORT" 2>&1 >/dev/null | tail -1
  done
done
