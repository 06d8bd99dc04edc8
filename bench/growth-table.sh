#!/usr/bin/env bash
# The growth table of issue 17: the same pages on demo stores of each size,
# for a base binary and a new one, in the same run (page cache off).
#   bench/growth-table.sh BASE_BIN NEW_BIN [sizes…]    (default 10000 100000)
#   PG=1 bench/growth-table.sh BASE_BIN NEW_BIN [sizes…]    (PostgreSQL)
# NEW_BIN may be "-": the base binary's column only. Sizes listed in
# SHARED_SIZES (e.g. "1000000") get no copy: the new binary runs on the
# base's store after it (and migrates it: the base cannot run on it again).
# Stores are made once under $BENCH_DIR (default /tmp/dastan-growth) by
# the base binary's demo, niced (1,000,000 articles on SQLite: ~14 min and
# 14 GB on an idle 2-core machine, an hour under load); the new binary
# gets a copy, migrated by a first start whose time is printed (it is paid
# once, on upgrade).
# With PG=1 the stores are databases d10000, d100000, … of a throwaway
# PostgreSQL cluster of the bench's own in $BENCH_DIR/pg (127.0.0.1, port
# $PG_PORT, default 55470; no fsync, as the store tests run theirs),
# started for the run and stopped at its end; the databases stay for the
# next run (delete $BENCH_DIR when done). Each fill is followed by VACUUM
# ANALYZE, which autovacuum would do on a server left running, so that
# index-only reads are measured as a live store has them. The new binary's
# copy is CREATE DATABASE … TEMPLATE. PostgreSQL's CPU is added to each
# request's (bench/growth.sh, PG_PID).
#   go build -o /tmp/dastan-base ./cmd/dastan   # on main, before the change
#   go build -o /tmp/dastan-new ./cmd/dastan
#   bench/growth-table.sh /tmp/dastan-base /tmp/dastan-new 10000 100000 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=$1; NEW=$2; shift 2
SIZES=${*:-10000 100000}
DIR=${BENCH_DIR:-/tmp/dastan-growth}; mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "${PG:-}" ]; then
  . "$(dirname "$0")/growth-pg.sh"
  growth_pg_start
  PG_PID=$(head -1 "$DIR/pg/postmaster.pid")
  export PG_PID
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, data in $DIR/pg"
  psql_() { psql -qAtX -d "$(url postgres)" -c "$1"; }
  exists() { [ "$(psql_ "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
fi

# column BIN STORE: one binary's column on one store (a folder, and with
# PostgreSQL the database of the same name).
column() {
  if [ -n "${PG:-}" ]; then
    DASTAN_DATABASE_URL=$(url "$2") bench/growth.sh "$1" "$DIR/$2"
  else
    bench/growth.sh "$1" "$DIR/$2"
  fi
}
# firstStart BIN STORE WHAT: starts BIN on STORE once and prints how long
# it took to answer: the migrations a binary newer than the store runs,
# paid once, on upgrade, and kept out of the table's time to ready.
firstStart() {
  local db= t0 pid
  [ -z "${PG:-}" ] || db=$(url "$2")
  t0=$(date +%s.%N)
  DASTAN_DATABASE_URL=$db DASTAN_DATA_DIR="$DIR/$2" DASTAN_ADDR=127.0.0.1:18299 DASTAN_RATES_OFFLINE=true DASTAN_LOG_LEVEL=warn "$1" serve >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:18299/healthz; do sleep 0.1; done
  echo "first start of the $3 binary on $2 (migrations): $(echo "$(date +%s.%N) - $t0" | bc)s"
  kill $pid; wait $pid 2>/dev/null || true
}
# made STORE: whether the store holds a finished demo.
made() {
  if [ -n "${PG:-}" ]; then exists "$1" && [ -f "$DIR/$1/.filled" ]; else [ -f "$DIR/$1/dastan.db" ]; fi
}
for n in $SIZES; do
  if ! made "d$n"; then
    t0=$(date +%s)
    if [ -n "${PG:-}" ]; then
      psql_ "DROP DATABASE IF EXISTS d$n" && psql_ "CREATE DATABASE d$n"
      mkdir -p "$DIR/d$n"
      DASTAN_DATABASE_URL=$(url "d$n") nice -n 10 "$BASE" demo -articles "$n" -data-dir "$DIR/d$n" >/dev/null
      echo "demo of $n articles made in $(( $(date +%s) - t0 ))s (load $(cut -d' ' -f1 /proc/loadavg))"
      t0=$(date +%s); psql -qAtX -d "$(url "d$n")" -c "VACUUM ANALYZE"
      echo "VACUUM ANALYZE in $(( $(date +%s) - t0 ))s"
      touch "$DIR/d$n/.filled"
    else
      nice -n 10 "$BASE" demo -articles "$n" -data-dir "$DIR/d$n" >/dev/null
      echo "demo of $n articles made in $(( $(date +%s) - t0 ))s (load $(cut -d' ' -f1 /proc/loadavg))"
    fi
  fi
  firstStart "$BASE" "d$n" base
  if [[ " ${SHARED_SIZES:-} " = *" $n "* ]]; then
    # No room for a copy: the new binary follows on the base's store.
    echo; echo "## $n articles"
    column "$BASE" "d$n"
    [ "$NEW" = - ] || { firstStart "$NEW" "d$n" new; column "$NEW" "d$n"; }
    continue
  fi
  if [ "$NEW" != - ] && ! made "d$n-new"; then
    if [ -n "${PG:-}" ]; then
      psql_ "DROP DATABASE IF EXISTS \"d$n-new\"" && psql_ "CREATE DATABASE \"d$n-new\" TEMPLATE d$n"
      cp -r "$DIR/d$n" "$DIR/d$n-new"
    else
      cp -r "$DIR/d$n" "$DIR/d$n-new"
    fi
    firstStart "$NEW" "d$n-new" new
  fi
  echo; echo "## $n articles"
  column "$BASE" "d$n"
  [ "$NEW" = - ] || column "$NEW" "d$n-new"
done
