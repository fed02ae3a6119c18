#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds microalign with its tests, and runs them all.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/deploy/install-deps.sh"
"$here/deploy/build.sh" "$here/build/test" Debug -DMICROALIGN_TESTS=ON
cd "$here/build/test"
ctest --output-on-failure --parallel "$(nproc)" --timeout 300
