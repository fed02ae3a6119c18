#!/bin/sh
# Checks deploy/microalign.service with systemd's own tools: `systemd-analyze verify` (a copy whose
# ExecStart is the binary just built, as verify wants it to exist) and `systemd-analyze security
# --offline`, whose exposure must stay at or under MAX (in tenths: 15 is 1.5). Skipped (77)
# without systemd-analyze. Usage: systemd_unit.sh UNIT MICROALIGN_BINARY [MAX]
set -u
unit=$1
binary=$2
max=${3:-15}
command -v systemd-analyze >/dev/null || { echo "skipped: systemd-analyze not found"; exit 77; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/local/bin/microalign|$binary|g" "$unit" >"$dir/microalign.service"
if ! out=$(systemd-analyze verify "$dir/microalign.service" 2>&1) || [ -n "$out" ]; then
  printf 'systemd-analyze verify:\n%s\n' "$out"
  exit 1
fi
if ! table=$(systemd-analyze security --offline=true --threshold="$max" "$unit" 2>&1); then
  printf '%s\n' "$table"
  echo "the unit's exposure went over $max/10: harden it again (README.md → Deploying has the score)"
  exit 1
fi
printf '%s\n' "$table" | tail -n 1
