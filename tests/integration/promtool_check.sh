#!/bin/sh
# Checks a GET /metrics exposition with Prometheus' own checker: `promtool check metrics` (the
# text format, HELP and TYPE, counters' _total, units, …).
# Usage: promtool_check.sh EXPOSITION [PROMTOOL]. Exits 77 (CTest: skipped) without promtool:
# deploy/test.sh unpacks it from Debian's prometheus package into build/tools.
exposition=$1
promtool=${2:-}
[ -x "$promtool" ] || promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
  echo "skipped: promtool not found (deploy/test.sh puts it in build/tools, from Debian's prometheus package)"
  exit 77
fi
"$promtool" check metrics < "$exposition"
