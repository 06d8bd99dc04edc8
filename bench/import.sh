#!/usr/bin/env bash
# The WordPress archive table of issue 17, import part: `dastan import
# wordpress` of an export into a fresh SQLite store, for a base and a new
# binary alternately (same run), with posts/s, CPU and peak memory.
#   bench/import.sh BASE_BIN NEW_BIN EXPORT.xml [rounds]
# Exports: ../shared/fixtures/wordpress/wordpress-news-10000.xml.xz
# (xz -dk it), or 100,000 posts of the same shape:
#   go run ./bench/wxrgen -posts 100000 -news > /tmp/news100k.xml
set -euo pipefail
BASE=$1; NEW=$2; EXPORT=$3; ROUNDS=${4:-1}
DIR=${BENCH_DIR:-/tmp/dastan-import}
POSTS=$(grep -c '<wp:post_type><!\[CDATA\[post\]\]></wp:post_type>' "$EXPORT")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "export: $(basename "$EXPORT"), $POSTS posts, $(du -h "$EXPORT" | cut -f1)"
echo "| binary | round | seconds | posts/s | CPU | CPU seconds (user+sys) | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for r in $(seq "$ROUNDS"); do
  for bin in "$BASE" "$NEW"; do
    rm -rf "$DIR"; mkdir -p "$DIR"
    /usr/bin/time -f "%e %P %U %S %M" -o "$DIR.time" env DASTAN_DATA_DIR="$DIR" "$bin" import wordpress "$EXPORT" >/dev/null 2>&1
    read -r secs cpu user sys kb < "$DIR.time"
    printf "| %s | %d | %s | %.0f | %s | %.1f | %d MB |\n" "$(basename "$bin")" "$r" "$secs" "$(echo "$POSTS / $secs" | bc -l)" "$cpu" \
      "$(echo "$user + $sys" | bc -l)" $((kb / 1024))
  done
done
echo "store size after import: $(du -sh "$DIR" | cut -f1)"
rm -rf "$DIR" "$DIR.time"
