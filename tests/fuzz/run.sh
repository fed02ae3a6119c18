#!/usr/bin/env bash
# Runs every libFuzzer target of a MICROALIGN_FUZZ build for SECONDS each, two at a time (CI has
# two cores), from its seed corpus (corpus/<target>) plus long seeds (long_seeds.sh). Fails when
# a target finds a crash, a sanitizer report, a broken invariant, a leak or an input slower than
# 30 s, and prints the reproducer's path and how to replay it.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?build directory (configured with -DMICROALIGN_FUZZ=ON)}" && pwd)
seconds=${2:?seconds per target}
runs=$build/fuzz-runs

# Inputs up to 256 KB from the first run on (-len_control=0): the bugs worth finding here are in
# long inputs. A linear reader takes about 2 s on 256 KB here (six parses, sanitized); the
# quadratic URL reader took over a minute a parse at that size, so it shows as a timeout.
fuzz() {  # fuzz TARGET: its log, corpus and findings go to $runs/TARGET
  local target=$1 dir=$runs/$1
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/findings"
  cp "$here/corpus/$target/"* "$dir/corpus/"
  "$here/long_seeds.sh" "$dir/corpus"
  "$build/tests/fuzz/$target" -max_len=262144 -len_control=0 -timeout=30 -rss_limit_mb=4096 \
    -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$dir/findings/" "$dir/corpus" \
    >"$dir/log" 2>&1
}

report() {  # report TARGET STATUS
  local target=$1 status=$2 dir=$runs/$1
  if [ "$status" -eq 0 ]; then
    echo "fuzz: $target: nothing found in ${seconds}s ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$') runs)"
    return 0
  fi
  echo "fuzz: $target FOUND A BUG (exit $status); the last lines of $dir/log:"
  tail -n 40 "$dir/log"
  for artifact in "$dir/findings/"*; do
    [ -e "$artifact" ] || continue
    echo "fuzz: $target: reproducer $artifact"
    echo "fuzz: $target: replay with $build/tests/fuzz/$target $artifact"
  done
  return 1
}

targets=()
for corpus in "$here/corpus/"*/; do targets+=("$(basename "$corpus")"); done

failed=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for target in "${targets[@]:i:2}"; do
    fuzz "$target" &
    pids+=($!)
  done
  for j in "${!pids[@]}"; do
    status=0
    wait "${pids[j]}" || status=$?
    report "${targets[i + j]}" "$status" || failed=1
  done
done
exit $failed
