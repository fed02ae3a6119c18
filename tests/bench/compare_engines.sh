#!/usr/bin/env bash
# microalign on SQLite, on PostgreSQL, and as two replicas sharing one PostgreSQL database, measured
# by one slack_load run: one table. PostgreSQL is a private server on this machine
# (tests/support/with_postgres.sh, started here unless MICROALIGN_TEST_POSTGRES names one): its
# fsyncs and its CPU time count in the figures, as they would on a machine that ran both. Each
# PostgreSQL app gets a schema of its own; the two replicas share theirs, with a socket each (their
# shell waits for both to stop: its exit status is 0 once they have). Further arguments go to
# slack_load (--json, --n …).
# Usage: tests/bench/compare_engines.sh BUILD_DIR [slack_load options…]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: compare_engines.sh BUILD_DIR [slack_load options…]}" && pwd)
shift
if [ -z "${MICROALIGN_TEST_POSTGRES:-}" ]; then
  exec "$here/../support/with_postgres.sh" "$0" "$build" "$@"
fi
case "$MICROALIGN_TEST_POSTGRES" in *\?*) join='&' ;; *) join='?' ;; esac
bin="$build/microalign"
# Run by each app's `sh -c`: a fresh schema, and MICROALIGN_DB pointing into it.
fresh_schema="s=bench_\$\$; psql -qX \"\$MICROALIGN_TEST_POSTGRES\" -c \"CREATE SCHEMA \$s\" >/dev/null &&
  export MICROALIGN_DB=\"\$MICROALIGN_TEST_POSTGRES${join}options=-csearch_path%3D\$s\""
export MICROALIGN_HTTP_ADDR=127.0.0.1:0
"$build/tests/slack_load" \
  --app "MICROALIGN_CONNECTIONS=2 exec '$bin' run" --label "SQLite, 1 replica" \
  --app "$fresh_schema && MICROALIGN_CONNECTIONS=2 exec '$bin' run" --label "PostgreSQL, 1 replica" \
  --app "$fresh_schema && export MICROALIGN_CONNECTIONS=1 && { trap wait TERM; '$bin' run & '$bin' run & wait; wait; }" \
  --label "PostgreSQL, 2 replicas" \
  "$@"
