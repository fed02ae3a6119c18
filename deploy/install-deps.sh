#!/usr/bin/env bash
# Installs everything microalign needs to build and run on Debian 12 (bookworm).
# Only Debian packages; safe to run again (apt-get skips what is installed).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libssl-dev nlohmann-json3-dev
  libsqlitecpp-dev libsqlite3-dev libpq-dev catch2 libhowardhinnant-date-dev libjemalloc-dev tzdata
  ca-certificates openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
