#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the web suite and print its URL.
#
#   eval "$(scripts/postgres-test-server.sh start)"   # exports ATROCITY_WATCH_TEST_DATABASE_URL
#   scripts/postgres-test-server.sh stop
#
# Uses Debian's postgresql package (apt-get install postgresql). The cluster lives in a temporary
# folder, listens on 127.0.0.1 only, trusts local connections, and is deleted by `stop`.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
DIR=${ATROCITY_WATCH_PG_DIR:-/tmp/atrocity-watch-pg}
PORT=${ATROCITY_WATCH_PG_PORT:-54329}
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case "${1:-start}" in
  start)
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_owner "$PGBIN/initdb -D $DIR/data -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if ! as_owner "$PGBIN/pg_ctl -D $DIR/data status" >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl -D $DIR/data -l $DIR/server.log -w -o \"-p $PORT -k $DIR -h 127.0.0.1 -F\" start" >/dev/null
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
