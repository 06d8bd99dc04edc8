#!/usr/bin/env bash
# Start a whole Dastan cluster on 127.0.0.1 to try by hand: PostgreSQL,
# an S3 server (versitygw), three `dastan serve --demo` instances and
# Debian's nginx balancing them with deploy/cluster/nginx.conf.tmpl.
# It prints where everything answers and runs until Ctrl-C, then stops
# it all and deletes its folder. The automatic version of the same
# cluster, with its checks, is TestClusterBehindNginx in cmd/dastan.
#   bench/cluster.sh [BASE_PORT]     (default 18000: nginx on BASE_PORT,
#                                     instances on +1..+3, S3 +10, PG +20)
# Needs: PostgreSQL's server binaries (/usr/lib/postgresql/*/bin),
# nginx (apt-get install nginx-light), versitygw (see bench/s3.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/s3.sh
base=${1:-18000}
dir=$(mktemp -d /tmp/dastan-cluster-XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  s3_stop
  [ -n "${pgctl:-}" ] && as_pg "$pgctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL refuses to run as root: run it as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }
pgctl=$bin/pg_ctl
mkdir -p "$dir/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$dir/pg"; }
as_pg "$bin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
as_pg "$pgctl" -D "$dir/pg" -l "$dir/pg/server.log" -w \
  -o "-p $((base + 20)) -h 127.0.0.1 -k $dir/pg -c max_connections=200" start >/dev/null
db="postgres://postgres@127.0.0.1:$((base + 20))/postgres?sslmode=disable"

s3_start "$dir" $((base + 10))

go build -o "$dir/dastan" ./cmd/dastan
servers=""
for i in 1 2 3; do
  port=$((base + i))
  "$dir/dastan" serve --demo -addr "127.0.0.1:$port" -database-url "$db" -data-dir "$dir/data$i" \
    >"$dir/dastan$i.log" 2>&1 &
  pids+=($!)
  servers+="server 127.0.0.1:$port max_fails=1 fail_timeout=10s;
        "
done
for i in 1 2 3; do
  until grep -q "ready at" "$dir/dastan$i.log"; do
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "instance $i stopped:" >&2; cat "$dir/dastan$i.log" >&2; exit 1; }
    sleep 0.2
  done
done

mkdir -p "$dir/nginx"
tmpl=$(cat deploy/cluster/nginx.conf.tmpl)
tmpl=${tmpl//@DIR@/$dir/nginx}
tmpl=${tmpl//@LISTEN@/127.0.0.1:$base}
tmpl=${tmpl//@SERVERS@/$servers}
printf '%s\n' "$tmpl" >"$dir/nginx/nginx.conf"
"$nginx" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log" &
pids+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$base/healthz"; do sleep 0.2; done

cat <<MSG
The cluster is up (its files in $dir):
  nginx, the balancer:   http://127.0.0.1:$base/
  instances:             http://127.0.0.1:$((base + 1))/ $((base + 2)) $((base + 3)) (logs: $dir/dastan{1,2,3}.log)
  PostgreSQL:            $db
  S3 (versitygw):        $DASTAN_MEDIA_S3_ENDPOINT bucket $DASTAN_MEDIA_S3_BUCKET
The demo's sign-ins are in the log of the instance that filled the store:
$(grep -h -A6 "password:" "$dir"/dastan?.log | head -8)
Try: kill one instance (kill ${pids[0]} ${pids[1]} ${pids[2]} are theirs) and keep reading
through nginx; stop PostgreSQL ($pgctl -D $dir/pg stop, as postgres) and see
pages served with Warning: 110. Ctrl-C stops everything.
MSG
wait "${pids[@]}"
