#!/bin/sh
# slack_load works end to end, without timing anything: it drives microalign and its own
# acknowledge-at-once app through every phase with small numbers, and its JSON has every figure
# with every envelope acknowledged and the app stopped cleanly by SIGTERM.
# Usage: smoke_test.sh SLACK_LOAD MICROALIGN
set -eu
slack_load=$1
microalign=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$slack_load" --app "MICROALIGN_HTTP_ADDR=127.0.0.1:0 exec '$microalign' run" --n 500 --rate 200,1000 --seconds 0.5 \
  --fill 3000 --json >"$out"
cat "$out"
for key in flat_out_acks_per_s paced '"200"' '"1000"' p50_ms p99_ms p999_ms idle_rss_mb peak_rss_mb \
  rss_after_fill_mb start_to_hello_ms ceiling_acks_per_s; do
  grep -q "$key" "$out" || { echo "missing: $key"; exit 1; }
done
grep -q '"burst_missing": 0' "$out" || { echo "not every envelope of the burst was acknowledged"; exit 1; }
grep -q '"missing": [1-9]' "$out" && { echo "not every paced envelope was acknowledged"; exit 1; }
grep -q '"exit_status": 0' "$out" || { echo "microalign did not exit 0 on SIGTERM"; exit 1; }
grep -q '"ceiling_acks_per_s": null' "$out" && { echo "no ceiling measured"; exit 1; }
echo "slack_load smoke test passed"
