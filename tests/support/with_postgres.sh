#!/usr/bin/env bash
# Runs CMD with a private PostgreSQL server of its own, then stops the server and removes it.
# Usage: tests/support/with_postgres.sh CMD [ARGS...]   (e.g. `... ctest --output-on-failure`)
#
# CMD finds the server through MICROALIGN_TEST_POSTGRES=postgresql://USER@127.0.0.1:PORT/DB and
# its password through PGPASSFILE (0600), as production will: scram-sha-256, no trust, no password
# in the URI. The server lives in a temporary directory, listens on 127.0.0.1 only (and a unix
# socket in that directory), on a port nobody else holds, so a cluster the postgresql package may
# have started on 5432 neither hinders it nor is touched. The script exits with CMD's status.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

# Debian's server binaries are not on PATH (postgresql-common wraps only the clients).
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends postgresql
  bin=$(find_bin)
fi

# PostgreSQL refuses to run as root: as root, the server runs as the postgres user the package
# made; anyone else runs it as themselves. A prefix rather than a function: setpriv execs, so
# the server started in the background is $! itself, not a subshell around it.
as_server_user=()
[ "$(id -u)" -eq 0 ] && as_server_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)

dir=$(mktemp -d "${TMPDIR:-/tmp}/microalign-postgres.XXXXXX")
server=""
stop_and_remove() {
  local status=$?
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    # Fast shutdown: sessions are ended, nothing is kept. Should it hang, an immediate one.
    kill -INT "$server" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -QUIT "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap stop_and_remove EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
chmod 700 "$dir"

user=microalign
database=microalign_test
password=$(openssl rand -hex 24)
# initdb reads the password from a file the server user can read; it is gone once initdb is done.
(umask 077 && printf '%s\n' "$password" >"$dir/initdb-password")
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/initdb-password"
# --no-sync and fsync=off: a test server's data need not survive a crash of the machine.
"${as_server_user[@]}" "$bin/initdb" --pgdata="$dir/data" --username="$user" --pwfile="$dir/initdb-password" \
  --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/initdb-password"

# A free port is one the server manages to bind: pick one at random and try again if taken
# (no gap between finding a port free and binding it).
port=""
for _ in $(seq 20); do
  candidate=$((20000 + RANDOM % 30000))
  "${as_server_user[@]}" "$bin/postgres" -D "$dir/data" -p "$candidate" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories="$dir" -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    >"$dir/postgres.log" 2>&1 &
  server=$!
  deadline=$((SECONDS + 30))
  while kill -0 "$server" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$candidate" -t 1; then
      port=$candidate
      break 2
    fi
    sleep 0.1
  done
  if kill -0 "$server" 2>/dev/null; then
    echo "with_postgres.sh: PostgreSQL did not accept connections within 30 s:" >&2
    cat "$dir/postgres.log" >&2
    exit 1
  fi
  wait "$server" 2>/dev/null || true
  server=""
  grep -q "could not bind" "$dir/postgres.log" || { cat "$dir/postgres.log" >&2; exit 1; }
done
[ -n "$port" ] || { echo "with_postgres.sh: found no free port in 20 tries" >&2; exit 1; }

# The password for both ways in: TCP on 127.0.0.1 and the socket in $dir.
export PGPASSFILE="$dir/pgpass"
(umask 077 && printf '127.0.0.1:%s:*:%s:%s\n%s:%s:*:%s:%s\n' "$port" "$user" "$password" \
  "$dir" "$port" "$user" "$password" >"$PGPASSFILE")
"$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$database"
export MICROALIGN_TEST_POSTGRES="postgresql://$user@127.0.0.1:$port/$database"

"$@"
