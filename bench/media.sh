#!/usr/bin/env bash
# Media on disk and in a bucket: how fast `dastan media move` copies a
# library of N files (of SIZE KiB each, like renditions) to a local S3
# server (versitygw, bench/s3.sh) and back, a second run that finds
# everything there, and what /media/ serves with wrk from each.
#   bench/media.sh [files] [KiB] [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}; KB=${2:-64}; C=${3:-16}; D=${4:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
. bench/s3.sh
WORK=$(mktemp -d /tmp/dastan-bench-media-XXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; s3_stop; rm -rf "$WORK"; }
trap cleanup EXIT
go build -o "$WORK/dastan" ./cmd/dastan
DATA=$WORK/data
# Files under keys the library makes (ab/cd/<sha256>-640.jpg), random bytes.
python3 - "$DATA/media" "$N" "$KB" <<'PY'
import hashlib, os, sys
root, n, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    b = os.urandom(kb * 1024)
    h = hashlib.sha256(b).hexdigest()
    d = os.path.join(root, h[0:2], h[2:4])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, h + "-640.jpg"), "wb") as f:
        f.write(b)
    if i == 0:
        open(os.path.join(os.path.dirname(root), "first-key"), "w").write(f"{h[0:2]}/{h[2:4]}/{h}-640.jpg")
PY
KEY=$(cat "$DATA/first-key")
s3_start "$WORK" 17390 bench-media
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  files: $N × $KB KiB  connections: $C  duration: ${D}s"
timed() { # label, command…
  local label=$1 start end; shift; start=$(date +%s.%N)
  "$@" -data-dir "$DATA" -log-level error | grep -E "files:|could not"
  end=$(date +%s.%N)
  awk -v l="$label" -v s="$start" -v e="$end" -v n="$N" -v kb="$KB" 'BEGIN{t=e-s; printf "| %-28s | %6.1f s | %7.0f files/s | %6.1f MiB/s |\n", l, t, n/t, n*kb/1024/t}'
}
echo "| move | time | files | bytes |"
echo "|---|---|---|---|"
timed "disk → bucket" "$WORK/dastan" media move --to s3
timed "disk → bucket, again" "$WORK/dastan" media move --to s3
rm -rf "$DATA/media"
timed "bucket → empty disk" "$WORK/dastan" media move --to disk
serve() { # port, then env settings
  local port=$1; shift
  env "$@" DASTAN_ADDR=127.0.0.1:$port DASTAN_DATA_DIR="$DATA" DASTAN_RATES_OFFLINE=true DASTAN_LOG_LEVEL=error "$WORK/dastan" serve >"$WORK/serve-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return; sleep 0.1; done
  echo "serve on $port did not start"; cat "$WORK/serve-$port.log"; exit 1
}
serve 18391 DASTAN_MEDIA_S3_BUCKET= DASTAN_MEDIA_S3_ENDPOINT= DASTAN_MEDIA_S3_REGION= DASTAN_MEDIA_S3_ACCESS_KEY= DASTAN_MEDIA_S3_SECRET_KEY=
serve 18392
echo
echo "| GET /media/ ($KB KiB) | req/s | p50 | p99 |"
echo "|---|---|---|---|"
for x in "from disk 18391" "from the bucket 18392"; do
  set -- $x; port=${*: -1}; label=${*:1:$#-1}
  out=$(wrk -t2 -c"$C" -d"${D}s" --latency "http://127.0.0.1:$port/media/$KEY")
  printf "| %-20s | %8s | %8s | %8s |\n" "$label" "$(echo "$out" | awk '/Requests\/sec/{print $2}')" \
    "$(echo "$out" | awk '$1=="50%"{print $2}')" "$(echo "$out" | awk '$1=="99%"{print $2}')"
done
