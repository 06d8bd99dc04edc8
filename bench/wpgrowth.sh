#!/usr/bin/env bash
# The growth table of issue 17 on WordPress-shaped stores: the same pages
# and the archive's own searches (`energy pipeline`, `kazakhstan oil
# exports`) for one binary on stores of growing size, one column each,
# then one table with every store's figures side by side and the largest
# store's over the smallest's.
#   bench/wpgrowth.sh BIN STORE_DIR…     (smallest first)
# Each STORE_DIR is a SQLite store that `dastan import wordpress` made of
# the WordPress-exported fixture repeated (bench/wxrrepeat): 10,000,
# 100,000 and 1,000,000 posts, e.g.
#   xz -dk ../shared/fixtures/wordpress/wordpress-news-10000.xml.xz
#   DASTAN_DATA_DIR=s10k dastan import wordpress wordpress-news-10000.xml
#   mkfifo x.xml; go run ./bench/wxrrepeat -times 100 wordpress-news-10000.xml > x.xml &
#   DASTAN_DATA_DIR=s1m dastan import wordpress x.xml    # 8 GB never on disk
#   bench/wpgrowth.sh /tmp/dastan s10k s100k s1m
# A binary newer than a store migrates it at its first start (growth.sh's
# time to ready then includes the migrations: start it once before).
# Cells are CPU ms a request (the server's own, from /proc: it holds when
# other jobs crowd the machine) with req/s and p99 at c=32, or a single
# request's wall time with its CPU ms. C and D (default 32 and 8) are
# wrk's connections and seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$1; shift
C=${C:-32}; D=${D:-8}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%Y-%m-%dT%H:%MZ); load: $(cut -d' ' -f1-3 /proc/loadavg); binary: $BIN"
i=0
for store in "$@"; do
  i=$((i + 1))
  n=$(sqlite3 "$store/dastan.db" "SELECT COUNT(*) FROM articles")
  echo; echo "## $(basename "$store"): $n articles"
  SEARCHES="energy+pipeline kazakhstan+oil+exports" bench/growth.sh "$BIN" "$store" "$C" "$D" | tee "$OUT/$i"
  echo "$n" > "$OUT/$i.n"
done
# The side-by-side table: rows matched by their name (a last page's
# number taken out), wrk rows as "CPU ms (req/s, p99)", single requests
# as "wall (CPU ms)", and the last column the largest store's CPU ms (or
# wall, or MB) over the smallest's.
echo; echo "## side by side (load $(cut -d' ' -f1-3 /proc/loadavg))"
awk -F'|' -v stores="$i" '
  FNR == 1 { f++ }
  FILENAME ~ /\.n$/ { n[f] = $0; next }
  !/^\| / || /^\|---/ || /^\| page \(/ { next }
  {
    name = $2; gsub(/^ +| +$/, "", name)
    key = name; sub(/ \([0-9]+\)$/, "", key)
    if (!(key in seen)) { seen[key] = ++rows; label[rows] = key }
    r = seen[key]
    a = $3; b = $4; c = $5; gsub(/^ +| +$/, "", a); gsub(/^ +| +$/, "", b); gsub(/^ +| +$/, "", c)
    if (name ~ / \([0-9]+\)$/) { p = name; sub(/.*\(/, "", p); sub(/\)/, "", p); pages[r] = pages[r] (pages[r] == "" ? "" : " / ") p }
    if (b != "" || ($6 != "" && name !~ /single request/)) { cell[r, f] = c " (" a ", " b ")"; v[r, f] = c }
    else if (c != "") { cell[r, f] = a " (" c " ms)"; v[r, f] = a }
    else { cell[r, f] = a; v[r, f] = a }
  }
  END {
    printf "| page |"; for (s = 1; s <= stores; s++) printf " %s articles |", n[2 * s]; print " largest ÷ smallest |"
    printf "|---|"; for (s = 1; s <= stores; s++) printf "---:|"; print "---:|"
    for (r = 1; r <= rows; r++) {
      l = label[r]; if (pages[r] != "") l = l " (" pages[r] ")"
      printf "| %s |", l
      for (s = 1; s <= stores; s++) printf " %s |", cell[r, 2 * s - 1]
      x = v[r, 1] + 0; y = v[r, 2 * stores - 1] + 0
      if (x > 0 && stores > 1 && l != "store size") printf " %.2f |\n", y / x; else print " |"
    }
  }' $(for s in $(seq "$i"); do echo "$OUT/$s" "$OUT/$s.n"; done)
