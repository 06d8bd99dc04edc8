# Sourced by the growth scripts (growth-table.sh, search-ab.sh,
# first-searches.sh): the PostgreSQL cluster their stores live in, under
# $DIR/pg on 127.0.0.1:$PG_PORT (default 55470), with no fsync, as the
# store tests run theirs. growth_pg_start makes it when missing, starts
# it, and stops it when the script exits (after growth_pg_on_exit's
# commands, if the script set any).
PG_PORT=${PG_PORT:-55470}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
# PostgreSQL refuses to run as root: run it as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
url() { echo "postgres://postgres@127.0.0.1:$PG_PORT/$1?sslmode=disable"; }
growth_pg_on_exit=:

growth_pg_start() {
  [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2; exit 1; }
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    mkdir -p "$DIR/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$DIR/pg"; }
    chmod 755 "$DIR"
    as_pg "$PG_BIN/initdb" -D "$DIR/pg" -U postgres -A trust -E UTF8 --no-sync --locale=C >/dev/null
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg/server.log" -w -t 300 \
    -o "-p $PG_PORT -h 127.0.0.1 -k $DIR/pg -c shared_buffers=512MB -c max_wal_size=4GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  trap 'eval "$growth_pg_on_exit"; as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast -w -t 300 stop >/dev/null' EXIT
}
