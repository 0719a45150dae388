# Throwaway PostgreSQL for the tests: installs Debian's postgresql if absent,
# starts a cluster in a temporary directory on 127.0.0.1 at a free port, and
# exports LANTERN_TEST_POSTGRES_URL. Source this file, then call pg_start;
# pg_stop stops the cluster and removes its directory.

pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_install() {
  if [ -n "$(pg_bindir)" ]; then return 0; fi
  echo "installing Debian's postgresql (not found on this machine)" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

pg_start() {
  pg_install
  local bin; bin=$(pg_bindir)
  PG_TMP=$(mktemp -d /tmp/lantern-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TMP"
    run=(runuser -u postgres --)
  fi
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${run[@]}" "$bin/initdb" -D "$PG_TMP/data" -U lantern -A trust -E UTF8 --no-locale >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$PG_TMP/server.log" >&2; return 1; }
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U lantern lantern_test
  export PG_BIN="$bin" PG_TMP
  export LANTERN_TEST_POSTGRES_URL="postgresql+psycopg://lantern@127.0.0.1:$port/lantern_test"
  echo "throwaway PostgreSQL at 127.0.0.1:$port" >&2
}

pg_stop() {
  [ -n "${PG_TMP:-}" ] || return 0
  local run=()
  [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
  unset PG_TMP
}
