#!/usr/bin/env bash
# The import's cost at a million: the same 100,000 WordPress posts (the
# copies FROM…FROM+9 of the fixture, 100–109 unless -from says, which a
# million made with `wxrrepeat -times 100` does not hold) imported into an
# empty store and then into the million, read through a fifo so no
# export lands on disk.
#   bench/importgrowth.sh [-from K] BIN FIXTURE.xml MILLION_STORE_DIR
# The million store keeps the 100,000 posts afterwards: the next run
# into it needs copies it does not hold yet (-from 110, 120, …).
set -euo pipefail
FROM=100
if [ "${1:-}" = "-from" ]; then FROM=$2; shift 2; fi
cd "$(dirname "$0")/.."
BIN=$(realpath "$1"); SRC=$(realpath "$2"); BIG=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
go build -o "$WORK/wxrrepeat" ./bench/wxrrepeat
echo "machine: $(nproc) cores, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); binary: $BIN; copies $FROM–$((FROM + 9))"
echo "| into | wall s | CPU | user s | sys s | peak RSS KB | load |"
echo "|---|---:|---:|---:|---:|---:|---|"
for into in "$WORK/empty" "$BIG"; do
  mkfifo "$WORK/x.xml"
  "$WORK/wxrrepeat" -from "$FROM" -times 10 "$SRC" > "$WORK/x.xml" &
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %P %U %S %M" -o "$WORK/time" env DASTAN_DATA_DIR="$into" "$BIN" import wordpress "$WORK/x.xml" >/dev/null 2>&1
  read -r e p u s m < "$WORK/time"
  echo "| $into | $e | $p | $u | $s | $m | $load |"
  rm -rf "$WORK/x.xml" "$WORK/empty" # the empty store's 3 GB are not needed beside the million's growth
done
