#!/usr/bin/env bash
# Configures and builds microalign. Usage: deploy/build.sh BUILD_DIR BUILD_TYPE [cmake args…]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:?build directory}
build_type=${2:?build type}
shift 2
cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
