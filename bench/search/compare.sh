#!/usr/bin/env bash
# compare.sh BIN OUTDIR STORE [QUERIES]: serves STORE (page cache off) with
# BIN and saves the whole HTML of each search address in QUERIES (one a
# line; default bench/search/queries.txt) as OUTDIR/N.html, so that two
# binaries' pages can be compared byte for byte:
#
#	bench/search/compare.sh ./dastan-base /tmp/a /tmp/store
#	bench/search/compare.sh ./dastan-new /tmp/b /tmp/store
#	diff -r /tmp/a /tmp/b
set -euo pipefail
BIN=$1 OUT=$2 STORE=$3 QUERIES=${4:-$(dirname "$0")/queries.txt}
PORT=${PORT:-18491}
mkdir -p "$OUT"
DASTAN_DATA_DIR=$STORE DASTAN_ADDR=127.0.0.1:$PORT DASTAN_PAGE_CACHE=false DASTAN_RATES_OFFLINE=true \
	DASTAN_LOG_LEVEL=warn DASTAN_SEARCH_PER_MINUTE=0 "$BIN" serve >"$OUT/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.1; done
# The speller is built in the background: wait (up to 30 s) for it to
# correct a misspelling, so both binaries' pages are made with it.
for _ in $(seq 60); do
	curl -s "http://127.0.0.1:$PORT/?s=kazakstan+oil" | grep -q 'class="suggest"' && break
	sleep 0.5
done
i=0
while read -r u; do
	i=$((i + 1))
	curl -s "http://127.0.0.1:$PORT$u" >"$OUT/$i.html"
done <"$QUERIES"
