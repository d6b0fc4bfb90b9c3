#!/bin/sh
# The demo's PostgreSQL 15 (Debian's packages), started as the official image starts: on an
# empty data directory it runs initdb with POSTGRES_PASSWORD for the postgres user, listens on
# every address with scram-sha-256 passwords, and creates POSTGRES_DB; then it becomes the
# server (exec, so the container's stop signal reaches it). Runs as the postgres user.
set -eu
bin=/usr/lib/postgresql/15/bin
data=${PGDATA:-/var/lib/postgresql/data}

initialise() {
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres: POSTGRES_PASSWORD is not set; refusing to create a database without a password" >&2
    exit 1
  fi
  password_file=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  "$bin/initdb" -D "$data" -U postgres --pwfile="$password_file" -E UTF8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  # /run is not in an imported root filesystem; the socket lives in /tmp.
  # The image leaves out the JIT (LLVM) to stay small.
  printf "listen_addresses = '*'\nunix_socket_directories = '/tmp'\njit = off\n" >>"$data/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$data/pg_hba.conf"
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
    # A server on the socket only, so nobody reaches a half-made database.
    "$bin/pg_ctl" -D "$data" -o "-c listen_addresses=''" -w start >/dev/null
    "$bin/createdb" -h /tmp -U postgres "$POSTGRES_DB"
    "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
  echo "postgres: initialised $data"
}

mkdir -p "$data"
chmod 700 "$data"
[ -s "$data/PG_VERSION" ] || initialise
exec "$bin/postgres" -D "$data"
