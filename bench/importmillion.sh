#!/usr/bin/env bash
# The import's rate at a million against its rate at 100,000, in one run:
# `dastan import wordpress` of 100,000 posts, then of 1,000,000, then of
# the 100,000 again, each from a file into an empty SQLite store. Both
# exports are copies of the fixture (bench/wxrrepeat) whose dates ascend
# from the first item to the last, as a real archive's do, and are written
# to disk first: made on the fly through a fifo, their making took a
# tenth of the two cores from the import being measured.
#   bench/importmillion.sh BIN FIXTURE.xml WORKDIR
# WORKDIR needs about 26 GB: the exports (0.8 + 8 GB, kept for the next
# run) and one store at a time (1.6 / 16 GB, removed after its row).
# The million's rate each tenth comes from the import's progress lines.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "$1"); SRC=$(realpath "$2"); WORK=$(realpath "$3")
mkdir -p "$WORK"
go build -o "$WORK/wxrrepeat" ./bench/wxrrepeat
[ -s "$WORK/news100k-asc.xml" ] || "$WORK/wxrrepeat" -ascending 10 -times 10 "$SRC" > "$WORK/news100k-asc.xml"
[ -s "$WORK/news1m-asc.xml" ] || "$WORK/wxrrepeat" -ascending 100 -times 100 "$SRC" > "$WORK/news1m-asc.xml"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); binary: $BIN"
echo "| export | posts | wall s | posts/s | CPU | CPU ms a post | peak RSS MB | store MB | load |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
run() { # export posts
  local store="$WORK/store" load e p u s m
  rm -rf "$store"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %P %U %S %M" -o "$WORK/time" env DASTAN_DATA_DIR="$store" "$BIN" import wordpress "$WORK/$1" 2>&1 \
    | stdbuf -oL tr '\r' '\n' | while IFS= read -r l; do printf '%s %s\n' "$(date +%s)" "$l"; done > "$WORK/$1.log"
  read -r e p u s m < "$WORK/time"
  echo "| $1 | $2 | $e | $(echo "$2/$e" | bc) | $p | $(echo "scale=3; ($u+$s)*1000/$2" | bc) | $((m / 1024)) | $(( $(stat -c %s "$store/dastan.db") / 1048576 )) | $load |"
  rm -rf "$store"
}
run news100k-asc.xml 100000
run news1m-asc.xml 1000000
run news100k-asc.xml 100000
echo
echo "The million, each tenth (the last one holds the import's end):"
echo "| tenth | ends at s | s | items/s |"
echo "|---:|---:|---:|---:|"
awk '/ items / { gsub(",", "", $3); if (!t0) t0 = $1
  for (k = 1; k <= 10; k++) if (!d[k] && $3 >= k * 100000) { d[k] = 1; printf "| %d | %d | %d | %d |\n", k, $1 - t0, $1 - t0 - p, 100000 / ($1 - t0 - p); p = $1 - t0 } }' "$WORK/news1m-asc.xml.log"
