#!/bin/sh
# compare_engines.sh works end to end, without timing anything: each of its three apps (SQLite,
# PostgreSQL, two replicas on PostgreSQL) acknowledges every envelope with small numbers and stops
# cleanly on SIGTERM. Needs the test server (MICROALIGN_TEST_POSTGRES, as CI's ctest has it).
# Usage: compare_engines_smoke_test.sh BUILD_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${MICROALIGN_TEST_POSTGRES:-}" ]; then
  [ "${MICROALIGN_REQUIRE_POSTGRES:-}" = 1 ] && { echo "MICROALIGN_TEST_POSTGRES is not set"; exit 1; }
  echo "skipped: no PostgreSQL server"
  exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/compare_engines.sh" "$1" --n 300 --rate 200 --seconds 0.5 --fill 0 --no-ceiling --json >"$out"
cat "$out"
[ "$(grep -c '"burst_missing": 0' "$out")" = 3 ] || { echo "not every app acknowledged its whole burst"; exit 1; }
grep -q '"missing": [1-9]' "$out" && { echo "not every paced envelope was acknowledged"; exit 1; }
[ "$(grep -c '"exit_status": 0' "$out")" = 3 ] || { echo "not every app exited 0 on SIGTERM"; exit 1; }
echo "compare_engines smoke test passed"
