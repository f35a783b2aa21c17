#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the web suite and print its URL.
#
#   eval "$(scripts/postgres-test-server.sh start)"   # exports ATROCITY_WATCH_TEST_DATABASE_URL
#   scripts/postgres-test-server.sh stop
#
# Uses Debian's postgresql package (apt-get install postgresql). The cluster lives in a temporary
# folder ($ATROCITY_WATCH_PG_DIR), listens on 127.0.0.1 only, trusts local connections, and is
# deleted by `stop`. The port is $ATROCITY_WATCH_PG_PORT, or else the first free one from 54329
# (other servers on the machine — another checkout's, a developer's — are left alone).
# On failure it prints the server's log on stderr and exits non-zero, so `eval "$(… start)"`
# behind `set -e` stops CI instead of silently testing without PostgreSQL.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
DIR=${ATROCITY_WATCH_PG_DIR:-/tmp/atrocity-watch-pg}
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
pick_port() {
  if [ -n "${ATROCITY_WATCH_PG_PORT:-}" ]; then
    echo "$ATROCITY_WATCH_PG_PORT"
    return
  fi
  local port=54329
  while port_in_use "$port"; do
    port=$((port + 1))
    if [ "$port" -gt 54429 ]; then
      echo "no free port between 54329 and 54429 for PostgreSQL" >&2
      exit 1
    fi
  done
  echo "$port"
}
case "${1:-start}" in
  start)
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      mkdir -p "$DIR"
      if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
      as_owner "$PGBIN/initdb -D $DIR/data -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if as_owner "$PGBIN/pg_ctl -D $DIR/data status" >/dev/null 2>&1 && [ -f "$DIR/port" ]; then
      PORT=$(cat "$DIR/port")
    else
      PORT=$(pick_port)
      # fsync off and a small WAL: a throwaway server for tests, where speed matters, not safety
      if ! as_owner "$PGBIN/pg_ctl -D $DIR/data -l $DIR/server.log -w -t 60 -o \"-p $PORT -k $DIR -h 127.0.0.1 -F -c full_page_writes=off -c synchronous_commit=off\" start" >/dev/null; then
        echo "PostgreSQL did not start; its log says:" >&2
        tail -n 20 "$DIR/server.log" >&2 || true
        exit 1
      fi
      echo "$PORT" >"$DIR/port"
    fi
    echo "export ATROCITY_WATCH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/atrocity_watch"
    ;;
  stop)
    as_owner "$PGBIN/pg_ctl -D $DIR/data -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
