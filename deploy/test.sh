#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds microalign with its tests, and runs them all.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/deploy/install-deps.sh"

# The Teams card checks run Microsoft's Adaptive Cards library on Node.js
# (tests/teams_format/validate_cards.mjs): Debian's Node.js and npm unless the machine has them,
# then the library as package-lock.json pins it. The sandbox's browser test
# (tests/sandbox/browser_test.mjs) drives Debian's Chromium through its chromedriver, with an
# emoji font so its screenshots show what people would see.
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q "install ok installed" ||
  missing+=(fonts-noto-color-emoji)
# The fuzz targets (tests/fuzz) need clang and its libFuzzer, which Debian 12's clang 14 only
# recommends (libclang-rt-14-dev).
command -v clang++ >/dev/null || missing+=(clang)
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" ||
  missing+=(libclang-rt-14-dev)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
npm ci --prefix "$here/tests/teams_format" --no-audit --no-fund --loglevel=error

# The /metrics check runs Prometheus' own `promtool check metrics`. Debian ships promtool only in
# the prometheus package, and installing that also starts a Prometheus server: so the package is
# downloaded from the Debian archive and promtool alone unpacked, into build/tools.
if ! command -v promtool >/dev/null && [ ! -x "$here/build/tools/promtool" ]; then
  download=$(mktemp -d)
  if ! (cd "$download" && apt-get download -qq prometheus); then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    (cd "$download" && apt-get download -qq prometheus)
  fi
  mkdir -p "$here/build/tools"
  dpkg-deb --fsys-tarfile "$download"/prometheus_*.deb | tar -x -O ./usr/bin/promtool >"$here/build/tools/promtool"
  chmod 755 "$here/build/tools/promtool"
  rm -rf "$download"
fi

# The whole suite runs under AddressSanitizer and UndefinedBehaviorSanitizer: one sanitized build
# rather than a plain one and a sanitized one (CI has two cores). Reads past a stack frame's
# life are caught too (detect_stack_use_after_return); the bot's subprocesses inherit the options.
"$here/deploy/build.sh" "$here/build/test" Debug -DMICROALIGN_TESTS=ON -DMICROALIGN_SANITIZE=ON
export ASAN_OPTIONS=detect_stack_use_after_return=1 UBSAN_OPTIONS=print_stacktrace=1
# The tests run with a private PostgreSQL server (tests/support/with_postgres.sh: its own temporary
# directory, 127.0.0.1 only, stopped and removed after; about a second). Here a test that needs it
# fails rather than skips should it be missing (MICROALIGN_REQUIRE_POSTGRES).
export MICROALIGN_REQUIRE_POSTGRES=1
(cd "$here/build/test" &&
  "$here/tests/support/with_postgres.sh" ctest --output-on-failure --parallel "$(nproc)" --timeout 300)
echo "The sandbox's screenshots: $here/build/test/artifacts/"

# The libFuzzer targets, built with clang in a build of their own, each fuzzed for
# MICROALIGN_FUZZ_SECONDS (45 by default: four rounds of two targets); a finding fails the run
# and names its reproducer.
CC=clang CXX=clang++ cmake -S "$here" -B "$here/build/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMICROALIGN_TESTS=OFF -DMICROALIGN_FUZZ=ON >/dev/null
cmake --build "$here/build/fuzz" --target fuzz_targets --parallel "$(nproc)"
"$here/tests/fuzz/run.sh" "$here/build/fuzz" "${MICROALIGN_FUZZ_SECONDS:-45}"
