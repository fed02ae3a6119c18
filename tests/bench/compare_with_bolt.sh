#!/usr/bin/env bash
# microalign beside the Bolt for JavaScript peer, measured by one slack_load run: one table, both
# apps and the generator's own ceiling. Any further arguments go to slack_load (--json, --fill 0…).
# Usage: tests/bench/compare_with_bolt.sh BUILD_DIR [slack_load options…]
# BUILD_DIR is a build with -DMICROALIGN_TESTS=ON; a Release one measures what is deployed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: compare_with_bolt.sh BUILD_DIR [slack_load options…]}" && pwd)
shift
npm ci --prefix "$here/bolt_peer" --no-audit --no-fund --loglevel=error >&2
"$build/tests/slack_load" \
  --app "MICROALIGN_CONNECTIONS=2 MICROALIGN_HTTP_ADDR=127.0.0.1:0 exec '$build/microalign' run" --label microalign \
  --app "exec node '$here/bolt_peer/app.js'" --label "Bolt-JS 5.1" \
  "$@"
