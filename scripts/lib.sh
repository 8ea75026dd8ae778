# scripts/lib.sh: shared by the demo, the test suite and the benchmark.
#
#   ensure_packages PKG...   install missing Debian packages (root, or sudo)
#   build_and_install        make && make install of the extension
#   cluster_start [SETTING...]
#                            initdb + start a throwaway PostgreSQL 15 cluster, run
#                            by the postgres user, on a private Unix socket only;
#                            exports PGHOST, PGPORT, PGUSER, PGDATABASE and
#                            CLUSTER_DIR, and stops and removes it on exit, even
#                            on failure or Ctrl-C.
#   as_cluster_owner CMD...  run a command as the user that owns the cluster

set -euo pipefail

B2BKPI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=15
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
export PG_CONFIG=$PG_BIN/pg_config

log() { printf '==> %s\n' "$*" >&2; }

run_privileged() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  run_privileged env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  run_privileged env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# What building and running the extension needs on a fresh Debian bookworm.
ensure_build_packages() {
  ensure_packages make gcc libc6-dev postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR
}

build_and_install() {
  log "building b2bkpi"
  make -C "$B2BKPI_ROOT" -s PG_CONFIG="$PG_CONFIG" >/dev/null
  run_privileged make -C "$B2BKPI_ROOT" -s PG_CONFIG="$PG_CONFIG" install >/dev/null
}

# PostgreSQL refuses to run as root, so root hands the cluster to postgres.
cluster_owner() {
  if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

as_cluster_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_stop() {
  [ -n "${CLUSTER_DIR:-}" ] || return 0
  if [ -f "$CLUSTER_DIR/data/postmaster.pid" ]; then
    as_cluster_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$CLUSTER_DIR"
  CLUSTER_DIR=
}

cluster_start() {
  CLUSTER_DIR=$(mktemp -d /tmp/b2bkpi-cluster.XXXXXX)
  export CLUSTER_DIR
  trap cluster_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  chown "$(cluster_owner)" "$CLUSTER_DIR"
  chmod 700 "$CLUSTER_DIR"

  as_cluster_owner "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
    -E UTF8 --locale=C --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1 \
    || { cat "$CLUSTER_DIR/initdb.log" >&2; return 1; }
  {
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$CLUSTER_DIR'"
    echo "port = 5432"
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
    echo "max_worker_processes = 8"
    echo "max_parallel_workers = 8"
    local setting
    for setting in "$@"; do echo "$setting"; done
  } >>"$CLUSTER_DIR/data/postgresql.conf"

  as_cluster_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" \
    -w -t 60 start >/dev/null \
    || { cat "$CLUSTER_DIR/server.log" >&2; return 1; }

  export PGHOST=$CLUSTER_DIR PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}
