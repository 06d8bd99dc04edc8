#!/usr/bin/env bash
# Start a whole Dastan cluster on 127.0.0.1: PostgreSQL, an S3 server
# (versitygw), three `dastan serve --demo` instances and Debian's nginx
# balancing them with deploy/cluster/nginx.conf.tmpl. It prints where
# everything answers and runs until Ctrl-C (or SIGTERM), then stops it
# all and deletes its folder. The cluster test (TestClusterBehindNginx in
# cmd/dastan, which CI runs) starts its cluster with this script too.
#
#   bench/cluster.sh [-dir DIR] [BASE_PORT] [-- SERVE_FLAGS...]
#       BASE_PORT (default 18000): nginx on it, the instances on +1..+3,
#       S3 on +10, PostgreSQL on +20. DIR (default: a new folder in /tmp)
#       holds everything; it must be empty or absent, and is deleted at
#       the end. SERVE_FLAGS are added to each `dastan serve --demo`.
#       Once all answer, DIR/cluster.env lists the addresses, process ids
#       and logs (KEY=VALUE lines).
#   bench/cluster.sh pg-stop DIR | pg-start DIR
#       stop or start again the PostgreSQL of the cluster running in DIR.
#
# DASTAN_BIN names a dastan binary to run; without it cmd/dastan is built.
# Needs: PostgreSQL's server binaries (apt-get install postgresql), nginx
# (apt-get install nginx-light), curl, versitygw (see bench/s3.sh). As
# root, PostgreSQL runs as the postgres user.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL refuses to run as root: run it as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# A throwaway cluster: no fsync, as the store tests run theirs.
pg_start() {
  as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w -t 300 \
    -o "-p $PG_PORT -h 127.0.0.1 -k $dir/pg -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
}
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" -m fast -w -t 300 stop >/dev/null; }

case "${1:-}" in
pg-stop | pg-start)
  dir=${2:?usage: bench/cluster.sh $1 DIR}
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
  if [ "$1" = pg-stop ]; then pg_stop; else pg_start; fi
  exit 0
  ;;
esac

. bench/s3.sh
dir=
base=18000
serve_flags=()
while [ $# -gt 0 ]; do
  case $1 in
  -dir) dir=${2:?-dir needs a folder}; shift 2 ;;
  --) shift; serve_flags=("$@"); break ;;
  *[!0-9]* | '') echo "usage: bench/cluster.sh [-dir DIR] [BASE_PORT] [-- SERVE_FLAGS...]" >&2; exit 2 ;;
  *) base=$1; shift ;;
  esac
done
if [ -z "$dir" ]; then
  dir=$(mktemp -d /tmp/dastan-cluster-XXXXXX)
else
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || { echo "$dir is not empty" >&2; exit 2; }
  dir=$(cd "$dir" && pwd)
fi
# The postgres user (as root) and nginx's workers read and write in it.
chmod 755 "$dir"

pids=()
pg_running=
# ours says whether process $1 is one this script started, whose command
# line names its folder (a pid that ended may be reused by another).
ours() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$dir"; }
cleanup() {
  local p stopping=()
  for p in "${pids[@]}"; do
    if ours "$p" && kill "$p" 2>/dev/null; then stopping+=("$p"); fi
  done
  for p in ${stopping[@]+"${stopping[@]}"}; do wait "$p" 2>/dev/null || true; done
  s3_stop
  [ -z "$pg_running" ] || pg_stop 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for p in "$base" $((base + 1)) $((base + 2)) $((base + 3)) $((base + 10)) $((base + 20)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "port $p on 127.0.0.1 is taken: choose another BASE_PORT" >&2
    exit 1
  fi
done

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PG_BIN" ] || PG_BIN=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
[ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql)" >&2; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed (apt-get install curl)" >&2; exit 1; }
PG_PORT=$((base + 20))
mkdir -p "$dir/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$dir/pg"; }
as_pg "$PG_BIN/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --no-sync --locale=C >/dev/null
pg_running=1
pg_start
db="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"

s3_start "$dir" $((base + 10))
pids+=("$S3_PID")

bin=${DASTAN_BIN:-}
if [ -z "$bin" ]; then
  go build -o "$dir/dastan" ./cmd/dastan
  bin=$dir/dastan
fi
servers=""
for i in 1 2 3; do
  port=$((base + i))
  "$bin" serve --demo -addr "127.0.0.1:$port" -database-url "$db" -data-dir "$dir/data$i" ${serve_flags[@]+"${serve_flags[@]}"} \
    </dev/null >"$dir/dastan$i.log" 2>&1 &
  pids+=($!)
  servers+="server 127.0.0.1:$port max_fails=1 fail_timeout=10s;
        "
done
# The first instance fills the empty store with the demo, the others wait
# for it: on a busy machine that takes minutes.
for i in 1 2 3; do
  until grep -q "ready at" "$dir/dastan$i.log"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "instance $i stopped:" >&2; cat "$dir/dastan$i.log" >&2; exit 1; }
    sleep 0.2
  done
done

mkdir -p "$dir/nginx"
tmpl=$(cat deploy/cluster/nginx.conf.tmpl)
tmpl=${tmpl//@DIR@/$dir/nginx}
tmpl=${tmpl//@LISTEN@/127.0.0.1:$base}
tmpl=${tmpl//@SERVERS@/$servers}
printf '%s\n' "$tmpl" >"$dir/nginx/nginx.conf"
"$nginx" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log" </dev/null >"$dir/nginx/out.log" 2>&1 &
pids+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$base/healthz"; do
  kill -0 "${pids[4]}" 2>/dev/null || { echo "nginx stopped:" >&2; cat "$dir/nginx/out.log" "$dir/nginx/error.log" >&2; exit 1; }
  sleep 0.2
done

# Written whole, then renamed: whoever waits for it reads it complete.
{
  echo "CLUSTER_DIR=$dir"
  echo "BALANCER=http://127.0.0.1:$base"
  echo "NGINX_PID=${pids[4]}"
  for i in 1 2 3; do
    echo "INSTANCE_$i=http://127.0.0.1:$((base + i))"
    echo "INSTANCE_${i}_PID=${pids[$i]}"
    echo "INSTANCE_${i}_LOG=$dir/dastan$i.log"
  done
  echo "DATABASE_URL=$db"
  echo "PG_BIN=$PG_BIN"
  echo "PG_PORT=$PG_PORT"
  echo "S3_PID=$S3_PID"
  echo "S3_ENDPOINT=$DASTAN_MEDIA_S3_ENDPOINT"
  echo "S3_BUCKET=$DASTAN_MEDIA_S3_BUCKET"
} >"$dir/cluster.env.new"
mv "$dir/cluster.env.new" "$dir/cluster.env"

cat <<MSG
The cluster is up (its files in $dir, its addresses in $dir/cluster.env):
  nginx, the balancer:   http://127.0.0.1:$base/
  instances:             http://127.0.0.1:$((base + 1))/ $((base + 2)) $((base + 3)) (logs: $dir/dastan{1,2,3}.log)
  PostgreSQL:            $db
  S3 (versitygw):        $DASTAN_MEDIA_S3_ENDPOINT bucket $DASTAN_MEDIA_S3_BUCKET
The demo's sign-ins are in the log of the instance that filled the store:
$(grep -h -A6 "password:" "$dir"/dastan?.log | head -8 || true)
Try: kill one instance (kill ${pids[1]} ${pids[2]} ${pids[3]} are theirs) and keep reading
through nginx; stop PostgreSQL (bench/cluster.sh pg-stop $dir, and pg-start)
and see pages served with Warning: 110. Ctrl-C stops everything.
MSG
# Until a signal, or until every process has ended.
wait "${pids[@]}" || true
